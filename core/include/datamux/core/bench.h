#pragma once
// `datamux bench`: the throughput of one model configuration at several N, built through the
// same plugin host and model assembly as a run, on random weights and full-length random
// inputs, next to a large matrix product timed in the same run.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace datamux {

struct BenchRequest {
  // Component names and presets, as a config's "plugin" / "preset" keys give them.
  std::string backbone;
  std::string preset;  // empty: the backbone's defaults
  std::string multiplexer;
  std::string demultiplexer;
  std::string task;
  std::string auxiliary;  // the auxiliary objective (config section "auxiliary"); empty: none
  std::vector<std::int64_t> num_instances;  // the N to measure, in order
  std::int64_t groups = 4;                  // B: each measured pass is B groups of N
  std::int64_t seq_length = 128;            // L: every instance is this long, no padding
  std::string device = "cpu";               // cpu, cuda or auto
  std::string precision = "fp32";           // run.precision: fp32 or bf16
  std::string mode = "infer";               // infer (forward) or train (a full training step)
  std::int64_t threads = 0;                 // run.threads: 0 is the run default
  std::int64_t repeats = 5;                 // timed passes; the median is reported
  std::int64_t vocab_size = 8000;           // the random inputs' vocabulary (embeddings, retrieval head)
  bool token_labels = false;                // one label per token (token tasks) instead of per instance
  std::int64_t gemm_size = 2048;            // the reference product is gemm_size^3
  std::uint64_t seed = 1;
  std::vector<std::string> overrides;       // `section.key=value`, as for a run
  std::vector<std::string> plugin_paths;
};

// One measured N.
struct BenchRow {
  std::int64_t n = 1;
  std::int64_t groups = 0;
  std::int64_t instances = 0;       // B * N real inputs per pass
  std::int64_t positions = 0;       // L' = prefix + L, what the backbone sees per row
  std::int64_t parameters = 0;      // trainable and fixed, the whole model
  std::int64_t repeats = 0;
  double median_seconds = 0;        // one pass (infer) or one training step (train)
  double instances_per_s = 0;
  std::optional<double> speedup;        // over the N = 1 row of the same run
  std::optional<double> flops;          // analytic FLOPs of one pass (train: 3x the forward)
  std::optional<double> ideal_speedup;  // N * FLOPs(N = 1) / FLOPs(N): what FLOPs alone allow
  std::optional<double> model_gflops_per_s;
  double gemm_gflops_per_s = 0;     // the reference product, timed right after this N
  std::optional<double> fraction_of_gemm;
  double peak_memory_mb = 0;
  std::string peak_memory_scope;    // "n": this N alone; "process": since the process started
  std::string undeclared_flops;     // the components that declare no FLOP count, if any
};

struct BenchSetting {
  std::string device;     // as resolved ("cpu", "cuda:0")
  std::string precision;
  std::string mode;
  std::int64_t threads = 0;  // libtorch's intra-op threads as set
};

using BenchRowCallback = std::function<void(const BenchSetting&, const BenchRow&)>;

// Runs the measurements, calling `on_row` after each N, in the request's order. Throws Error
// on a bad request, config or plugin (a bad N = 1 model before anything is measured).
BenchSetting run_bench(const BenchRequest& request, const BenchRowCallback& on_row);

// One row as a single-line JSON object; as an aligned text line, and that text's header.
std::string bench_row_json(const BenchSetting& setting, const BenchRow& row);
std::string bench_row_text(const BenchRow& row);
std::string bench_text_header();

// A `--n` value: comma-separated N >= 1, e.g. "1,2,5,10,20".
std::vector<std::int64_t> parse_instance_list(const std::string& text);

}  // namespace datamux
