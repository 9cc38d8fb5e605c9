#pragma once
// A run directory's records (docs/run-records.md) read into plain structs: run.json,
// metrics.jsonl and config.json. Every problem is a datamux::Error of one line naming the
// file (and line, for metrics.jsonl) and the key at fault.
#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace datamux::reports {

// The newest run.json / sweep.json schema this reader understands.
inline constexpr std::int64_t kRunRecordSchemaVersion = 1;

using NamedValues = std::vector<std::pair<std::string, double>>;  // in file order

// One evaluation: its step and every metric (the task's own names, "loss", ...).
struct Evaluation {
  std::int64_t step = 0;
  NamedValues values;
  // The names among `values` that the task declares counts ("counts" in the record); absent
  // in records written before metrics declared their kind.
  std::optional<std::vector<std::string>> counts;
  std::optional<double> value(const std::string& name) const;
};

// Inference throughput measured right after an evaluation.
struct Throughput {
  double instances_per_s = 0;
  double passes_per_s = 0;
  std::int64_t eval_instances = 0;
  std::int64_t repeats = 0;
  double median_s = 0;
  std::string device;
};

// One 100-step "mean" line of metrics.jsonl.
struct LossMean {
  std::int64_t step = 0;
  std::int64_t window = 0;
  double loss = 0;
  double task_loss = 0;
  std::optional<double> retrieval_loss;  // only with an auxiliary retrieval head
};

// One step line of metrics.jsonl: the losses of one optimizer step.
struct StepLoss {
  std::int64_t step = 0;
  double loss = 0;
  double task_loss = 0;
  std::optional<double> retrieval_loss;
};

struct PluginUse {
  std::string name, version, path, sha256, build_key;
};

// run.json.
struct RunRecord {
  std::int64_t schema_version = 0;
  std::string status;   // running | complete | failed | interrupted
  std::string command;  // pretrain | finetune | train
  std::string config_source;
  std::string init_from;
  std::vector<PluginUse> plugins;
  // device, libtorch, blas, threads, host (required) and anything else the trainer adds:
  // for display (strings as they are, other values as JSON text), and the object as written.
  std::vector<std::pair<std::string, std::string>> environment;
  std::string environment_json;
  std::string primary_metric;
  std::int64_t steps = 0;
  std::int64_t steps_done = 0;
  std::optional<Evaluation> final_eval;
  std::optional<Evaluation> best_eval;
  std::optional<Throughput> throughput;
  std::optional<std::int64_t> dropped_examples;
  std::optional<double> wall_s;
  std::string error;
};

// metrics.jsonl: its step, mean and eval lines.
struct MetricsLog {
  std::size_t step_lines = 0;
  std::vector<StepLoss> steps;
  std::vector<LossMean> means;
  std::vector<Evaluation> evaluations;
};

struct RunRecords {
  std::filesystem::path dir;
  RunRecord run;
  MetricsLog metrics;
  rapidjson::Document config;  // config.json as written: the resolved config
  // The run's metrics that are counts, by metric_counts below.
  std::vector<std::string> counts;
  bool is_count(const std::string& name) const;
};

// Which metrics of a run are counts, in order of first appearance. A metric that appears in
// an evaluation with a "counts" list is a count when that list names it. One that appears
// only in evaluations without the list (records written before metrics declared their kind)
// is a count when every value recorded for it is a whole number and one is greater than 1:
// scores are fractions or losses, counts of what was scored are whole numbers above 1.
std::vector<std::string> metric_counts(const RunRecord& run, const MetricsLog& metrics);

RunRecord read_run_json(const std::filesystem::path& file);
MetricsLog read_metrics_log(const std::filesystem::path& file);
RunRecords read_run_records(const std::filesystem::path& run_dir);

}  // namespace datamux::reports
