#include "datamux/core/experiment.h"

#include <cstdio>
#include <ostream>

#include <torch/torch.h>
#include <unistd.h>

#include "datamux/core/checkpoint.h"
#include "datamux/core/json_file.h"
#include "datamux/core/precision.h"
#include "datamux/core/predictions.h"
#include "datamux/core/run_directory.h"
#include "prepared_experiment.h"

namespace datamux {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& a) {
  return rapidjson::Value(value.c_str(), a);
}

rapidjson::Value metrics_json(const MetricValues& values, Allocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  for (const auto& [name, value] : values) object.AddMember(text(name, a), rapidjson::Value(value), a);
  return object;
}

rapidjson::Value plugins_json(const PluginHost& plugins, Allocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& record : plugins.loaded()) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("name", text(record->name, a), a);
    item.AddMember("version", text(record->version, a), a);
    item.AddMember("path", text(std::filesystem::absolute(record->path).string(), a), a);
    item.AddMember("sha256", text(record->sha256, a), a);
    item.AddMember("build_key", text(record->build_key, a), a);
    list.PushBack(item, a);
  }
  return list;
}

rapidjson::Value environment_json(const torch::Device& device, Allocator& a) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  rapidjson::Value env(rapidjson::kObjectType);
  env.AddMember("device", text(device.str(), a), a);
  env.AddMember("libtorch", text(TORCH_VERSION, a), a);
  env.AddMember("threads", at::get_num_threads(), a);
  env.AddMember("host", text(host, a), a);
  return env;
}

}  // namespace

void train_experiment(const TrainRequest& request, std::ostream& progress) {
  ExperimentConfig raw = ExperimentConfig::from_file(request.config);
  for (const auto& assignment : request.overrides) raw.set(assignment);
  PreparedExperiment experiment = prepare_experiment(raw, request.plugin_paths);
  const ResolvedConfig& config = experiment.config;
  const torch::Device device = experiment.device;
  MuxModel& model = *experiment.model;
  const auto seed = static_cast<std::uint64_t>(config.run.options.get_int("seed"));

  RunDirectory out(request.out);
  rapidjson::Document record(rapidjson::kObjectType);
  auto& a = record.GetAllocator();
  record.AddMember("status", "running", a);
  record.AddMember("config_source", text(std::filesystem::absolute(request.config).string(), a), a);
  record.AddMember("plugins", plugins_json(*experiment.plugins, a), a);
  record.AddMember("environment", environment_json(device, a), a);
  out.write_json("config.json", config.to_json());
  write_data_record(out, experiment.data);
  out.write_json("run.json", record);

  try {
    const std::int64_t n = config.model.options.get_int("num_instances");
    const std::int64_t groups = config.train.options.get_int("batch_size");
    const std::int64_t max_length = config.model.options.get_int("max_seq_length");
    const std::int64_t log_every = config.train.options.get_int("log_every");
    const TrainSettings settings = TrainSettings::from_options(config.train.options);
    TrainBatches batches(experiment.data.train, groups, n, max_length, seed, device);
    const auto evaluation = evaluation_batches(experiment.data.eval, groups, n, max_length, device);

    EvaluationRecord last_evaluation{0, 0, {}};
    TrainingObserver observer;
    observer.on_step = [&](const StepRecord& step) {
      rapidjson::Document line(rapidjson::kObjectType);
      auto& la = line.GetAllocator();
      line.AddMember("step", step.step, la);
      line.AddMember("loss", step.loss, la);
      for (const auto& [name, value] : step.losses)
        line.AddMember(text(name, la), rapidjson::Value(value), la);
      line.AddMember("lr", step.learning_rate, la);
      line.AddMember("grad_norm", step.grad_norm, la);
      line.AddMember("elapsed_s", step.elapsed_seconds, la);
      out.append_metrics(line);
      if (step.step % log_every == 0 || step.step == settings.steps) {
        const double rate = step.step / std::max(1e-9, step.elapsed_seconds);
        char buffer[200];
        std::snprintf(buffer, sizeof buffer, "step %lld/%lld  loss %.4f",
                      static_cast<long long>(step.step), static_cast<long long>(settings.steps),
                      step.loss);
        std::string line_text = buffer;
        if (step.losses.size() > 1)
          for (const auto& [name, value] : step.losses) {
            std::snprintf(buffer, sizeof buffer, "  %s %.4f", name.c_str(), value);
            line_text += buffer;
          }
        std::snprintf(buffer, sizeof buffer, "  lr %.2e  %.1f steps/s  eta %.0fs",
                      step.learning_rate, rate, (settings.steps - step.step) / rate);
        progress << line_text << buffer << std::endl;
      }
    };
    observer.on_evaluation = [&](const EvaluationRecord& evaluation_record) {
      rapidjson::Document line(rapidjson::kObjectType);
      auto& la = line.GetAllocator();
      line.AddMember("step", evaluation_record.step, la);
      rapidjson::Value eval = metrics_json(evaluation_record.metrics, la);
      eval.AddMember("loss", evaluation_record.loss, la);
      line.AddMember("eval", eval, la);
      out.append_metrics(line);
      progress << "eval at step " << evaluation_record.step << ":";
      for (const auto& [name, value] : evaluation_record.metrics) progress << " " << name << " " << value;
      progress << "  loss " << evaluation_record.loss << std::endl;
      last_evaluation = evaluation_record;
    };
    {
      AutocastScope autocast(config.run.options.get_string("precision"), device);
      Trainer(model, settings).run(batches, evaluation, observer);
    }
    save_weights(model, out.file("model.pt"));

    record["status"].SetString("complete");
    rapidjson::Value final_metrics = metrics_json(last_evaluation.metrics, a);
    final_metrics.AddMember("loss", last_evaluation.loss, a);
    record.AddMember("final_eval", final_metrics, a);
    record.AddMember("steps", settings.steps, a);
    record.AddMember("skipped_examples", batches.skipped_examples(), a);
    out.write_json("run.json", record);
    progress << "run complete: " << out.path().string() << std::endl;
  } catch (const std::exception& error) {
    record["status"].SetString("failed");
    record.AddMember("error", text(error.what(), a), a);
    out.write_json("run.json", record);
    throw;
  }
}

EvaluationRecord evaluate_run(const EvalRequest& request) {
  const auto config_file = request.run / "config.json";
  if (!std::filesystem::exists(config_file))
    throw Error(request.run.string() + ": not a run directory (no config.json)");
  ExperimentConfig raw = ExperimentConfig::from_file(config_file);
  // The run's own weights are loaded below; starting again from its warm-up would be wasted.
  raw.set("train.init_from=");
  for (const auto& assignment : request.overrides) raw.set(assignment);
  PreparedExperiment experiment =
      prepare_experiment(raw, request.plugin_paths, reuse_of_run(request.run));
  load_weights(*experiment.model, request.run / "model.pt", experiment.device);

  const auto& config = experiment.config;
  const auto batches = evaluation_batches(
      experiment.data.eval, config.train.options.get_int("batch_size"),
      config.model.options.get_int("num_instances"),
      config.model.options.get_int("max_seq_length"), experiment.device);
  AutocastScope autocast(config.run.options.get_string("precision"), experiment.device);
  std::vector<torch::Tensor> logits;
  EvaluationRecord record = evaluate(*experiment.model, batches, 0, &logits);
  if (!request.logits_out.empty()) save_logits(torch::cat(logits), request.logits_out);
  if (!request.predictions_out.empty())
    write_predictions(experiment.data.eval, logits, request.predictions_out);
  return record;
}

void save_logits(const torch::Tensor& logits, const std::filesystem::path& path) {
  torch::serialize::OutputArchive archive;
  archive.write("logits", logits.detach().to(torch::kCPU));
  archive.save_to(path.string());
}

}  // namespace datamux
