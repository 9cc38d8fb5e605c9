#include "datamux/core/experiment.h"

#include <cstdio>
#include <ostream>

#include <torch/torch.h>
#include <unistd.h>

#include "datamux/core/device.h"
#include "datamux/core/json_file.h"
#include "datamux/core/model_builder.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/toy_data.h"
#include "datamux/core/trainer.h"

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

Dataset load_training_data(const Options& data, std::uint64_t seed, bool evaluation) {
  ToyDataOptions options;
  options.examples = data.get_int(evaluation ? "eval_examples" : "train_examples");
  options.min_words = data.get_int("min_words");
  options.max_words = data.get_int("max_words");
  options.vocab_words = data.get_int("vocab_words");
  // Distinct streams for the two splits, both fixed by the run seed.
  return generate_toy_sentiment(options, seed * 2 + (evaluation ? 1 : 0));
}

void save_model(MuxModel& model, const std::filesystem::path& path) {
  const auto temporary = path.string() + ".tmp";
  torch::serialize::OutputArchive archive;
  model.save(archive);
  archive.save_to(temporary);
  std::filesystem::rename(temporary, path);
}

}  // namespace

void train_experiment(const TrainRequest& request, std::ostream& progress) {
  ExperimentConfig raw = ExperimentConfig::from_file(request.config);
  for (const auto& assignment : request.overrides) raw.set(assignment);
  PluginHost plugins(plugin_search_path(request.plugin_paths));
  const ResolvedConfig config = resolve_config(raw, plugins);

  const auto& run = config.run.options;
  const torch::Device device = select_device(run.get_string("device"));
  if (run.get_int("threads") > 0) torch::set_num_threads(static_cast<int>(run.get_int("threads")));
  const auto seed = static_cast<std::uint64_t>(run.get_int("seed"));

  const Dataset train_data = load_training_data(config.data.options, seed, false);
  const Dataset eval_data = load_training_data(config.data.options, seed, true);
  const DataShape shape{train_data.vocab_size, train_data.num_labels(), train_data.tokens};
  std::shared_ptr<MuxModel> model = build_model(config, plugins, shape);
  model->to(device);

  RunDirectory out(request.out);
  rapidjson::Document record(rapidjson::kObjectType);
  auto& a = record.GetAllocator();
  record.AddMember("status", "running", a);
  record.AddMember("config_source", text(std::filesystem::absolute(request.config).string(), a), a);
  record.AddMember("plugins", plugins_json(plugins, a), a);
  record.AddMember("environment", environment_json(device, a), a);
  out.write_json("config.json", config.to_json());
  out.write_json("run.json", record);

  try {
    const std::int64_t n = config.model.options.get_int("num_instances");
    const std::int64_t groups = config.train.options.get_int("batch_size");
    const std::int64_t max_length = config.model.options.get_int("max_seq_length");
    const std::int64_t log_every = config.train.options.get_int("log_every");
    const TrainSettings settings = TrainSettings::from_options(config.train.options);
    TrainBatches batches(train_data, groups, n, max_length, seed, device);
    const auto evaluation = evaluation_batches(eval_data, groups, n, max_length, device);

    EvaluationRecord last_evaluation{0, 0, {}};
    TrainingObserver observer;
    observer.on_step = [&](const StepRecord& step) {
      rapidjson::Document line(rapidjson::kObjectType);
      auto& la = line.GetAllocator();
      line.AddMember("step", step.step, la);
      line.AddMember("loss", step.loss, la);
      line.AddMember("task_loss", step.loss, la);
      line.AddMember("lr", step.learning_rate, la);
      line.AddMember("grad_norm", step.grad_norm, la);
      line.AddMember("elapsed_s", step.elapsed_seconds, la);
      out.append_metrics(line);
      if (step.step % log_every == 0 || step.step == settings.steps) {
        const double rate = step.step / std::max(1e-9, step.elapsed_seconds);
        char buffer[160];
        std::snprintf(buffer, sizeof buffer,
                      "step %lld/%lld  loss %.4f  lr %.2e  %.1f steps/s  eta %.0fs",
                      static_cast<long long>(step.step), static_cast<long long>(settings.steps),
                      step.loss, step.learning_rate, rate, (settings.steps - step.step) / rate);
        progress << buffer << std::endl;
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
    Trainer(*model, settings).run(batches, evaluation, observer);
    save_model(*model, out.file("model.pt"));

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

}  // namespace datamux
