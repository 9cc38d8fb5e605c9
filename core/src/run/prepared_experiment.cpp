#include "prepared_experiment.h"

#include <optional>

#include <torch/torch.h>

#include "datamux/core/checkpoint.h"
#include "datamux/core/device.h"
#include "datamux/core/json_file.h"
#include "datamux/core/model_builder.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/precision.h"
#include "datamux/core/threads.h"

namespace datamux {
namespace {

// Where an earlier run's weights come from: a run directory means its model.pt; a file means
// that weights file or training checkpoint, inside a run directory (or its checkpoints/).
struct InitSource {
  std::filesystem::path run, weights;
};

InitSource init_source(const std::filesystem::path& from) {
  if (std::filesystem::is_directory(from)) {
    if (!is_run_directory(from))
      throw Error("train.init_from: " + from.string() + " is not a run directory (no config.json)");
    if (!std::filesystem::exists(from / "model.pt"))
      throw Error("train.init_from: " + from.string() +
                  " has no model.pt (the run did not finish; pass one of its checkpoints)");
    return {from, from / "model.pt"};
  }
  if (!std::filesystem::is_regular_file(from))
    throw Error("train.init_from: " + from.string() + ": no such run directory or checkpoint");
  for (const auto& dir : {from.parent_path(), from.parent_path().parent_path()})
    if (is_run_directory(dir)) return {dir, from};
  throw Error("train.init_from: " + from.string() +
              " is not inside a run directory (its config.json and tokenizer are needed too)");
}

// The component a run's config.json names in `section`, or "" when it has no such section.
std::string component_of_run(const rapidjson::Value& config, const char* section) {
  if (!config.IsObject() || !config.HasMember(section) || !config[section].IsObject() ||
      !config[section].HasMember("plugin") || !config[section]["plugin"].IsString())
    return "";
  return config[section]["plugin"].GetString();
}

// Loads backbone, multiplexer and demultiplexer from an earlier run, and into this model's
// auxiliary objective the head of the same component there: a warm-up's task, or a
// finetuning run's auxiliary. Another component's head cannot fit, so it starts fresh.
void initialise_from(MuxModel& model, const ResolvedConfig& config, const InitSource& source_run,
                     torch::Device device) {
  const auto source = read_json_file(source_run.run / "config.json");
  std::vector<std::pair<std::string, std::string>> children = {
      {"backbone", "backbone"}, {"multiplexer", "multiplexer"}, {"demultiplexer", "demultiplexer"}};
  if (config.auxiliary) {
    if (component_of_run(source, "task") == config.auxiliary->plugin)
      children.emplace_back("auxiliary", "task");
    else if (component_of_run(source, "auxiliary") == config.auxiliary->plugin)
      children.emplace_back("auxiliary", "auxiliary");
  }
  load_weights(model, source_run.weights, device, children);
}

}  // namespace

PreparedExperiment prepare_experiment(const ExperimentConfig& raw,
                                      const std::vector<std::string>& plugin_paths,
                                      const DataReuse& reuse) {
  auto plugins = std::make_unique<PluginHost>(plugin_search_path(plugin_paths));
  ResolvedConfig config = resolve_config(raw, *plugins);

  const auto& run = config.run.options;
  const torch::Device device = select_device(run.get_string("device"));
  check_precision(run.get_string("precision"), device);
  apply_thread_setting(run.get_int("threads"));

  // A finetuning run starts from its warm-up: same tokenizer, and its weights (below).
  const std::filesystem::path init_from = config.train.options.get_string("init_from");
  std::optional<InitSource> source;
  if (!init_from.empty()) source = init_source(init_from);
  DataReuse data_reuse = reuse;
  if (source && data_reuse.tokenizer.empty()) data_reuse.tokenizer = reuse_of_run(source->run).tokenizer;

  auto scratch = std::make_unique<TemporaryDirectory>();
  DataSplits data = load_splits(config, data_reuse, scratch->path());
  const DataShape shape{data.train.vocab_size, data.train.label_names, data.train.reserved_tokens};
  std::shared_ptr<MuxModel> model = build_model(config, *plugins, shape);
  model->to(device);
  if (source) initialise_from(*model, config, *source, device);
  return PreparedExperiment{std::move(plugins), std::move(config), device,
                            std::move(data),    std::move(model),  std::move(scratch)};
}

void write_data_record(const RunDirectory& out, const DataSplits& data) {
  rapidjson::Document record(rapidjson::kObjectType);
  auto& a = record.GetAllocator();
  rapidjson::Value labels(rapidjson::kArrayType);
  for (const auto& name : data.train.label_names) labels.PushBack(rapidjson::Value(name.c_str(), a), a);
  record.AddMember("label_names", labels, a);
  record.AddMember("vocab_size", data.train.vocab_size, a);
  record.AddMember("train_examples", static_cast<std::uint64_t>(data.train.examples.size()), a);
  record.AddMember("eval_examples", static_cast<std::uint64_t>(data.eval.examples.size()), a);
  record.AddMember("lines_read", static_cast<std::uint64_t>(data.report.lines_read), a);
  record.AddMember("skipped", static_cast<std::uint64_t>(data.report.skipped), a);
  rapidjson::Value warnings(rapidjson::kArrayType);
  for (const auto& warning : data.report.warnings)
    warnings.PushBack(rapidjson::Value(warning.c_str(), a), a);
  record.AddMember("warnings", warnings, a);
  if (!data.tokenizer.empty()) {
    std::string model;  // a few hundred kB; written like every record, errors named
    if (!read_file(data.tokenizer, model)) throw Error(data.tokenizer.string() + ": cannot read the tokenizer");
    write_file_atomically(out.file("tokenizer.model"), model);
    record.AddMember("tokenizer", "tokenizer.model", a);
  }
  out.write_json("data.json", record);
}

DataReuse reuse_of_run(const std::filesystem::path& run) {
  // The tokenizer and the label list are part of the trained model: token ids and label
  // indices mean nothing without them, so a missing one is an error, never re-derived.
  const auto record_file = run / "data.json";
  if (!std::filesystem::is_regular_file(record_file))
    throw Error(record_file.string() +
                ": missing (the run's record of its labels and tokenizer; without it the run "
                "cannot be evaluated or continued)");
  const auto record = read_json_file(record_file);
  DataReuse reuse;
  if (record.HasMember("tokenizer") && record["tokenizer"].IsString()) {
    reuse.tokenizer = run / record["tokenizer"].GetString();
    if (!std::filesystem::is_regular_file(reuse.tokenizer))
      throw Error(reuse.tokenizer.string() +
                  ": missing (the run's tokenizer is part of its model; restore it, a new one "
                  "would give other token ids)");
  }
  if (record.HasMember("label_names") && record["label_names"].IsArray()) {
    std::vector<std::string> names;
    for (const auto& name : record["label_names"].GetArray())
      if (name.IsString()) names.push_back(name.GetString());
    reuse.label_names = std::move(names);
  }
  return reuse;
}

std::filesystem::path init_run_of(const std::filesystem::path& from) {
  return init_source(from).run;
}

std::string task_plugin_of_run(const std::filesystem::path& run) {
  const auto config_file = run / "config.json";
  const std::string task = component_of_run(read_json_file(config_file), "task");
  if (task.empty())
    throw Error(config_file.string() + ": no task.plugin (not a config written by a run)");
  return task;
}

}  // namespace datamux
