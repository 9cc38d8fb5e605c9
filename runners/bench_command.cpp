// `datamux bench`: parses the options into a BenchRequest and prints core's rows.
#include <iostream>

#include "cli_parse.h"
#include "datamux/core/bench.h"
#include "datamux/sdk/join.h"

namespace datamux::cli {
namespace {

void require_one_of(const std::string& option, const std::string& value,
                    std::initializer_list<const char*> allowed) {
  for (const char* item : allowed)
    if (value == item) return;
  throw UsageError("datamux bench: --" + option + " '" + value + "' is not one of " + join(allowed));
}

void require_positive(const std::string& option, std::int64_t value) {
  if (value < 1)
    throw UsageError("datamux bench: --" + option + " must be at least 1, got " +
                     std::to_string(value));
}

// cxxopts takes one-letter names only as short options (-n); the documented spelling is --n.
Arguments with_long_n(const Arguments& args) {
  Arguments result;
  for (const auto& arg : args) {
    if (arg == "--n") result.push_back("--num-instances");
    else if (arg.rfind("--n=", 0) == 0) result.push_back("--num-instances=" + arg.substr(4));
    else result.push_back(arg);
  }
  return result;
}

}  // namespace

int bench_command(const Arguments& args) {
  cxxopts::Options options("datamux bench",
                           "Throughput of one model at several N, on random weights and inputs.");
  const BenchRequest defaults;
  options.add_options()
      ("backbone", "backbone component (e.g. roberta, albert, lstm)", cxxopts::value<std::string>(), "NAME")
      ("preset", "the backbone's preset (e.g. roberta-base); none: its defaults",
       cxxopts::value<std::string>()->default_value(""), "NAME")
      ("multiplexer", "multiplexer component",
       cxxopts::value<std::string>()->default_value("gaussian_hadamard"), "NAME")
      ("demultiplexer", "demultiplexer component", cxxopts::value<std::string>()->default_value("index"),
       "NAME")
      ("task", "task head component", cxxopts::value<std::string>()->default_value("sequence_classification"),
       "NAME")
      ("auxiliary", "auxiliary objective beside the task (\"\": none); counted in train mode",
       cxxopts::value<std::string>()->default_value("retrieval"), "NAME")
      ("labels", "label shape the task reads: sentence (one per instance) or token",
       cxxopts::value<std::string>()->default_value("sentence"), "KIND")
      ("n,num-instances", "the N to measure, comma-separated (also --n)",
       cxxopts::value<std::string>()->default_value("1,2,5,10,20"), "N,N,...")
      ("batch", "groups per pass (B); a pass holds B*N instances",
       cxxopts::value<std::int64_t>()->default_value(std::to_string(defaults.groups)), "B")
      ("seq", "tokens per instance (L), bos and eos included",
       cxxopts::value<std::int64_t>()->default_value(std::to_string(defaults.seq_length)), "L")
      ("device", "cpu, cuda or auto", cxxopts::value<std::string>()->default_value(defaults.device), "DEVICE")
      ("precision", "fp32 or bf16", cxxopts::value<std::string>()->default_value(defaults.precision), "P")
      ("mode", "infer (forward pass) or train (a whole training step)",
       cxxopts::value<std::string>()->default_value(defaults.mode), "MODE")
      ("threads", "CPU threads for libtorch; 0: the run default (see docs/performance.md)",
       cxxopts::value<std::int64_t>()->default_value("0"), "T")
      ("repeats", "timed passes per N; the median is reported",
       cxxopts::value<std::int64_t>()->default_value(std::to_string(defaults.repeats)), "R")
      ("vocab", "vocabulary size of the random inputs",
       cxxopts::value<std::int64_t>()->default_value(std::to_string(defaults.vocab_size)), "V")
      ("gemm-size", "side of the square reference matrix product",
       cxxopts::value<std::int64_t>()->default_value(std::to_string(defaults.gemm_size)), "S")
      ("seed", "seed of the weights and inputs", cxxopts::value<std::uint64_t>()->default_value("1"), "S")
      ("set", "override one config value (e.g. backbone.num_layers=2); repeatable",
       cxxopts::value<std::vector<std::string>>(), "SECTION.KEY=VALUE")
      ("json", "one JSON object per line instead of a table");
  add_plugin_path_and_help(options);
  const auto result = parse(options, with_long_n(args));
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }

  BenchRequest request;
  request.backbone = required(result, "backbone", "datamux bench");
  request.preset = result["preset"].as<std::string>();
  request.multiplexer = result["multiplexer"].as<std::string>();
  request.demultiplexer = result["demultiplexer"].as<std::string>();
  request.task = result["task"].as<std::string>();
  request.auxiliary = result["auxiliary"].as<std::string>();
  const std::string labels = result["labels"].as<std::string>();
  require_one_of("labels", labels, {"sentence", "token"});
  request.token_labels = labels == "token";
  try {
    request.num_instances = parse_instance_list(result["num-instances"].as<std::string>());
  } catch (const Error& error) {
    throw UsageError(std::string("datamux bench: ") + error.what());
  }
  request.groups = result["batch"].as<std::int64_t>();
  request.seq_length = result["seq"].as<std::int64_t>();
  request.repeats = result["repeats"].as<std::int64_t>();
  request.vocab_size = result["vocab"].as<std::int64_t>();
  request.gemm_size = result["gemm-size"].as<std::int64_t>();
  request.threads = result["threads"].as<std::int64_t>();
  for (const auto& [option, value] : {std::pair<const char*, std::int64_t>{"batch", request.groups},
                                      {"repeats", request.repeats}, {"vocab", request.vocab_size},
                                      {"gemm-size", request.gemm_size}})
    require_positive(option, value);
  if (request.seq_length < 2)
    throw UsageError("datamux bench: --seq must be at least 2 (bos and eos), got " +
                     std::to_string(request.seq_length));
  if (request.threads < 0) throw UsageError("datamux bench: --threads must not be negative");
  request.device = result["device"].as<std::string>();
  require_one_of("device", request.device, {"cpu", "cuda", "auto"});
  request.precision = result["precision"].as<std::string>();
  require_one_of("precision", request.precision, {"fp32", "bf16"});
  request.mode = result["mode"].as<std::string>();
  require_one_of("mode", request.mode, {"infer", "train"});
  request.seed = result["seed"].as<std::uint64_t>();
  request.overrides = repeated(result, "set");
  request.plugin_paths = repeated(result, "plugin-path");

  const bool json = result.count("json") > 0;
  bool first = true;
  run_bench(request, [&](const BenchSetting& setting, const BenchRow& row) {
    if (json) {
      std::cout << bench_row_json(setting, row) << std::endl;
      return;
    }
    if (first)
      std::cout << "# " << request.backbone << (request.preset.empty() ? "" : " " + request.preset)
                << ", " << request.multiplexer << " / " << request.demultiplexer << ", "
                << setting.mode << ", " << setting.precision << ", " << setting.device << ", "
                << setting.threads << " threads, B = " << request.groups << ", L = "
                << request.seq_length << ", median of " << request.repeats << "\n"
                << bench_text_header() << std::endl;
    first = false;
    std::cout << bench_row_text(row) << std::endl;
  });
  return 0;
}

}  // namespace datamux::cli
