#include "datamux/core/experiment.h"

#include <limits>
#include <optional>
#include <ostream>

#include <torch/torch.h>

#include "datamux/core/checkpoint.h"
#include "datamux/core/interruption.h"
#include "datamux/core/json_file.h"
#include "datamux/core/precision.h"
#include "datamux/core/predictions.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/throughput.h"
#include "datamux/core/training_checkpoint.h"
#include "metrics_log.h"
#include "prepared_experiment.h"
#include "progress_display.h"
#include "run_record.h"

namespace datamux {
namespace {

// What train_experiment starts from: a fresh config, or a run directory to continue.
struct RunPlan {
  ExperimentConfig raw;
  bool resuming = false;
  bool complete = false;
  std::optional<CheckpointFile> checkpoint;  // the newest, when resuming
  DataReuse reuse;
};

RunPlan plan_run(const TrainRequest& request) {
  RunPlan plan;
  if (request.resume && is_run_directory(request.out)) {
    plan.resuming = true;
    for (const auto& assignment : request.overrides)
      if (assignment.rfind("run.", 0) != 0)
        throw Error("--set " + assignment + ": --resume continues " + request.out.string() +
                    " with its saved config.json; only run.* values (device, threads) can change");
    if (run_status(request.out) == "complete") {
      plan.complete = true;
      return plan;
    }
    plan.raw = ExperimentConfig::from_file(request.out / "config.json");
    for (const auto& assignment : request.overrides) plan.raw.set(assignment);
    const auto checkpoints = list_checkpoints(request.out / "checkpoints");
    if (!checkpoints.empty()) {
      plan.checkpoint = checkpoints.back();
      plan.raw.set("train.init_from=");  // every weight comes from the checkpoint
    }
    plan.reuse = reuse_of_run(request.out);
    return plan;
  }
  if (request.config.empty())
    throw Error("--config is required" + std::string(request.resume
                                                          ? " (" + request.out.string() +
                                                                " holds no run to resume)"
                                                          : ""));
  plan.raw = ExperimentConfig::from_file(request.config);
  for (const auto& assignment : request.overrides) plan.raw.set(assignment);
  if (!request.from.empty()) plan.raw.set("train.init_from=" + request.from.string());
  return plan;
}

// pretrain is the retrieval warm-up; finetune is a task started from one.
void check_command_fits(RunCommand command, const ResolvedConfig& config, const std::string& source) {
  const bool warmup = is_warmup_task(config.task.plugin);
  if (command == RunCommand::kPretrain && !warmup)
    throw Error(source + ": `datamux pretrain` runs the retrieval warm-up, but task.plugin is '" +
                config.task.plugin + "' (use `datamux finetune` or `datamux train`)");
  if (command == RunCommand::kFinetune && warmup)
    throw Error(source + ": `datamux finetune` trains a task, but task.plugin is '" +
                config.task.plugin + "' (use `datamux pretrain`)");
  if (command == RunCommand::kFinetune && config.train.options.get_string("init_from").empty())
    throw Error("datamux finetune: --from is required (the warm-up run directory or a checkpoint)");
}

// finetune --from must name a warm-up run (or a file in one): checked before its weights are
// loaded, since another run's would load into the wrong heads or fail with a shape error.
void check_finetune_source(const std::filesystem::path& from) {
  const std::filesystem::path run = init_run_of(from);
  const std::string task = task_plugin_of_run(run);
  if (!is_warmup_task(task))
    throw Error("datamux finetune --from " + from.string() + ": " + run.string() +
                " is not a retrieval warm-up (its task.plugin is '" + task +
                "'); start from a `datamux pretrain` run or a checkpoint in one, or use "
                "`datamux train --set train.init_from=...`");
}

std::optional<double> metric_value(const MetricValues& metrics, const std::string& name) {
  for (const auto& [metric, value] : metrics)
    if (metric == name) return value;
  return std::nullopt;
}

// The run.json members a checkpoint carries, so a resumed run reports what it had reached.
constexpr const char* kCarriedMembers[] = {"final_eval", "best_eval", "throughput"};

}  // namespace

const char* command_name(RunCommand command) {
  switch (command) {
    case RunCommand::kPretrain: return "pretrain";
    case RunCommand::kFinetune: return "finetune";
    case RunCommand::kTrain: break;
  }
  return "train";
}

TrainOutcome train_experiment(const TrainRequest& request, std::ostream& progress) {
  RunPlan plan = plan_run(request);
  if (plan.complete) {
    progress << request.out.string() << ": already complete" << std::endl;
    return TrainOutcome::kAlreadyComplete;
  }
  if (!plan.resuming && request.command == RunCommand::kFinetune && !request.from.empty())
    check_finetune_source(request.from);
  PreparedExperiment experiment = prepare_experiment(plan.raw, request.plugin_paths, plan.reuse);
  const ResolvedConfig& config = experiment.config;
  if (!plan.resuming) check_command_fits(request.command, config, plan.raw.source());
  for (const auto& library : experiment.plugins->broken())
    progress << "warning: " << library.warning() << std::endl;
  for (const auto& warning : experiment.data.report.warnings)
    progress << "warning: " << warning << std::endl;
  const torch::Device device = experiment.device;
  MuxModel& model = *experiment.model;
  const Options& train = config.train.options;
  const auto seed = static_cast<std::uint64_t>(config.run.options.get_int("seed"));
  const std::int64_t n = config.model.options.get_int("num_instances");
  const std::int64_t groups = train.get_int("batch_size");
  const std::int64_t max_length = config.model.options.get_int("max_seq_length");
  const std::int64_t checkpoint_every = train.get_int("checkpoint_every");
  const std::int64_t keep_checkpoints = train.get_int("keep_checkpoints");
  const std::int64_t throughput_repeats = train.get_int("throughput_repeats");
  const TrainSettings settings = TrainSettings::from_options(train);
  TrainBatches batches(experiment.data.train, groups, n, max_length, seed, device);
  const auto evaluation = evaluation_batches(experiment.data.eval, groups, n, max_length, device);
  const auto eval_instances = static_cast<std::int64_t>(experiment.data.eval.examples.size());

  // Everything above can fail without leaving anything behind; from here on the run exists.
  const RunDirectory out =
      plan.resuming ? RunDirectory::reopen(request.out) : RunDirectory::create(request.out);
  RunRecord record(out, command_name(request.command));
  if (plan.resuming) record.adopt(out.file("run.json"));
  else record.set_text("config_source", std::filesystem::absolute(request.config).string());
  auto& a = record.allocator();
  record.set_text("status", "running");
  record.set_text("init_from", train.get_string("init_from"));
  record.set("plugins", plugins_json(*experiment.plugins, a));
  record.set("environment", environment_json(device, a));
  record.set_text("primary_metric", model.task().primary_metric());
  record.set("steps", rapidjson::Value(settings.steps));
  if (!plan.resuming) {
    out.write_json("config.json", config.to_json());
    write_data_record(out, experiment.data);
  }
  std::int64_t last_step = 0;  // the last step completed, for the record of a failed run
  record.set("steps_done", rapidjson::Value(last_step));
  record.write();

  try {
    Trainer trainer(model, settings);
    std::int64_t steps_done = 0;
    double seconds_done = 0;
    rapidjson::Document carried(rapidjson::kObjectType);
    if (plan.checkpoint) {
      const LoadedCheckpoint loaded =
          load_training_checkpoint(plan.checkpoint->path, model, trainer.optimizer(), device);
      batches.restore(loaded.data);
      steps_done = loaded.progress.step;
      seconds_done = loaded.progress.seconds;
      carried = parse_json(loaded.progress.run_state, plan.checkpoint->path.string());
      for (const char* key : kCarriedMembers) {
        if (carried.HasMember(key)) record.set(key, rapidjson::Value(carried[key], a));
        else record.document().RemoveMember(key);
      }
    }
    MetricsLog log(out.file("metrics.jsonl"), steps_done);
    if (carried.HasMember("window")) log.restore_window(carried["window"]);
    ProgressDisplay display(progress, request.progress_bar, settings.steps,
                            train.get_int("log_every"), steps_done);
    if (plan.checkpoint)
      display.message("resuming " + out.path().string() + " from step " +
                      std::to_string(steps_done) + " (" + plan.checkpoint->path.string() + ")");

    const std::string primary = model.task().primary_metric();
    double best = -std::numeric_limits<double>::infinity();
    if (record.document().HasMember("best_eval") && record.document()["best_eval"].HasMember(primary.c_str()))
      best = record.document()["best_eval"][primary.c_str()].GetDouble();
    double elapsed = seconds_done;

    auto save_checkpoint = [&](std::int64_t step) {
      rapidjson::Document state(rapidjson::kObjectType);
      auto& sa = state.GetAllocator();
      state.AddMember("window", log.window_state(sa), sa);
      for (const char* key : kCarriedMembers)
        if (record.document().HasMember(key))
          state.AddMember(rapidjson::StringRef(key), rapidjson::Value(record.document()[key], sa), sa);
      save_training_checkpoint(checkpoint_path(out.checkpoints(), step), model, trainer.optimizer(),
                               batches.state(), {step, elapsed, to_json_text(state, false)});
      prune_checkpoints(out.checkpoints(), keep_checkpoints);
    };

    TrainingObserver observer;
    last_step = steps_done;
    observer.on_step = [&](const StepRecord& step) {
      elapsed = step.elapsed_seconds;
      last_step = step.step;
      log.append_step(step);
      display.step(step);
    };
    observer.on_evaluation = [&](const EvaluationRecord& result) {
      display.evaluation(result);
      const Throughput throughput =
          measure_throughput(model, evaluation, eval_instances, throughput_repeats, device);
      log.append_evaluation(result, throughput);
      record.set_evaluation("final_eval", result);
      if (throughput.repeats > 0) record.set_throughput(throughput);
      const auto value = metric_value(result.metrics, primary);
      if (value && *value > best) {
        best = *value;
        save_weights(model, out.file("best.pt"));
        record.set_evaluation("best_eval", result);
      }
      record.set("steps_done", rapidjson::Value(result.step));
      record.write();
    };
    observer.after_step = [&](std::int64_t step) {
      const bool due = checkpoint_every > 0 && step % checkpoint_every == 0;
      if (due || InterruptionGuard::received() != 0) save_checkpoint(step);
    };
    observer.stop_requested = [] { return InterruptionGuard::received() != 0; };

    std::int64_t reached = 0;
    int signal = 0;
    {
      InterruptionGuard guard;
      AutocastScope autocast(config.run.options.get_string("precision"), device);
      reached = trainer.run(batches, evaluation, observer, steps_done, seconds_done);
      signal = InterruptionGuard::received();
    }
    display.finish();
    record.set("steps_done", rapidjson::Value(reached));
    record.set("dropped_examples", rapidjson::Value(batches.skipped_examples()));
    record.set("wall_s", rapidjson::Value(elapsed));
    if (reached < settings.steps) {
      const std::string message =
          out.path().string() + ": interrupted by " + InterruptionGuard::signal_name(signal) +
          " at step " + std::to_string(reached) + "/" + std::to_string(settings.steps) +
          "; checkpoint written, continue with `datamux " + command_name(request.command) +
          " --resume --out " + out.path().string() + "`";
      record.set_text("status", "interrupted");
      record.set_text("error", message);
      record.write();
      throw Interrupted(message, signal);
    }
    log.finish_window(settings.steps);
    save_weights(model, out.file("model.pt"));
    record.set_text("status", "complete");
    record.document().RemoveMember("error");
    record.write();
    progress << "run complete: " << out.path().string() << std::endl;
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& error) {
    record.set_text("status", "failed");
    record.set_text("error", error.what());
    record.set("steps_done", rapidjson::Value(last_step));
    record.write();
    throw;
  }
  return TrainOutcome::kTrained;
}

EvaluationRecord evaluate_run(const EvalRequest& request) {
  const auto config_file = request.run / "config.json";
  if (!std::filesystem::exists(config_file))
    throw Error(request.run.string() + ": not a run directory (no config.json)");
  ExperimentConfig raw = ExperimentConfig::from_file(config_file);
  // The run's own weights are loaded below; starting again from its warm-up would be wasted.
  raw.set("train.init_from=");
  if (!request.data.empty()) raw.set("data.eval_file=" + request.data.string());
  for (const auto& assignment : request.overrides) raw.set(assignment);
  PreparedExperiment experiment =
      prepare_experiment(raw, request.plugin_paths, reuse_of_run(request.run));
  const auto weights = request.weights.empty() ? request.run / "model.pt" : request.weights;
  if (!std::filesystem::exists(weights))
    throw Error(weights.string() + ": no such weights file" +
                (request.weights.empty() ? " (the run did not finish; try --weights with its best.pt "
                                           "or a checkpoint)"
                                         : ""));
  load_weights(*experiment.model, weights, experiment.device);

  const auto& config = experiment.config;
  const auto batches = evaluation_batches(
      experiment.data.eval, config.train.options.get_int("batch_size"),
      config.model.options.get_int("num_instances"),
      config.model.options.get_int("max_seq_length"), experiment.device);
  AutocastScope autocast(config.run.options.get_string("precision"), experiment.device);
  std::vector<torch::Tensor> logits;
  EvaluationRecord record = evaluate(*experiment.model, batches, 0, &logits);
  if (!request.logits_out.empty())
    save_logits(evaluation_logits(logits, experiment.data.eval.examples.size()),
                request.logits_out);
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
