#include "datamux/core/experiment.h"

#include <limits>
#include <optional>
#include <ostream>

#include <torch/torch.h>

#include "datamux/core/checkpoint.h"
#include "datamux/core/first_line.h"
#include "datamux/core/interruption.h"
#include "datamux/core/json_file.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/precision.h"
#include "datamux/core/predictions.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/run_lock.h"
#include "datamux/core/throughput.h"
#include "datamux/core/training_checkpoint.h"
#include "metrics_log.h"
#include "prepared_experiment.h"
#include "progress_display.h"
#include "resume_checks.h"
#include "run_record.h"

namespace datamux {
namespace {

// What train_experiment starts from: a fresh config, or a run directory to continue.
struct RunPlan {
  ExperimentConfig raw;
  bool resuming = false;
  bool complete = false;
  std::vector<CheckpointFile> checkpoints;  // when resuming, by step (the newest last)
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
    plan.checkpoints = list_checkpoints(request.out / "checkpoints");
    if (!plan.checkpoints.empty())
      plan.raw.set("train.init_from=");  // every weight comes from the checkpoint
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

// pretrain is a warm-up (its task an objective, sdk/registrar.h); finetune is a task started
// from one.
void check_command_fits(RunCommand command, const ResolvedConfig& config, const std::string& source) {
  const bool warmup = config.task_is_objective;
  if (command == RunCommand::kPretrain && !warmup)
    throw Error(source + ": `datamux pretrain` runs a warm-up objective, but task.plugin '" +
                config.task.plugin + "' is not an objective (use `datamux finetune` or `datamux train`)");
  if (command == RunCommand::kFinetune && warmup)
    throw Error(source + ": `datamux finetune` trains a task, but task.plugin '" +
                config.task.plugin + "' is a warm-up objective (use `datamux pretrain`)");
  if (command == RunCommand::kFinetune && config.train.options.get_string("init_from").empty())
    throw Error("datamux finetune: --from is required (the warm-up run directory or a checkpoint)");
}

// finetune --from must name a warm-up run (or a file in one): checked before its weights are
// loaded, since another run's would load into the wrong heads or fail with a shape error.
void check_finetune_source(const std::filesystem::path& from,
                           const std::vector<std::string>& plugin_paths) {
  const std::filesystem::path run = init_run_of(from);
  const std::string task = task_plugin_of_run(run);
  PluginHost plugins(plugin_search_path(plugin_paths));
  if (!is_objective(plugins, task))
    throw Error("datamux finetune --from " + from.string() + ": " + run.string() +
                " is not a warm-up (its task.plugin '" + task + "' is not an objective); start from a `datamux pretrain` run or a checkpoint in one, or use "
                "`datamux train --set train.init_from=...`");
}

std::optional<double> metric_value(const MetricValues& metrics, const std::string& name) {
  for (const auto& [metric, value] : metrics)
    if (metric == name) return value;
  return std::nullopt;
}

// The run.json members a checkpoint carries, so a resumed run reports what it had reached.
constexpr const char* kCarriedMembers[] = {"final_eval", "best_eval", "throughput"};

struct Resumed {
  LoadedCheckpoint loaded;
  CheckpointFile file;
};

// Loads the newest checkpoint that loads, trying them newest first (a failed attempt leaves
// nothing behind: the next one overwrites every weight, optimizer and RNG state). Each damaged
// one is said in one line, recorded in run.json's resume_fallbacks and set aside as
// "<name>.damaged", so pruning never counts it among the kept checkpoints. When none loads,
// the newest one's error is thrown and nothing is set aside.
std::optional<Resumed> load_newest_usable(const std::vector<CheckpointFile>& checkpoints,
                                          MuxModel& model, torch::optim::Optimizer& optimizer,
                                          torch::Device device, RunRecord& record,
                                          std::ostream& progress) {
  if (checkpoints.empty()) return std::nullopt;
  std::vector<std::pair<CheckpointFile, std::string>> damaged;
  for (auto it = checkpoints.rbegin(); it != checkpoints.rend(); ++it) {
    std::optional<LoadedCheckpoint> loaded;
    try {
      loaded = load_training_checkpoint(it->path, model, optimizer, device);
    } catch (const std::exception& error) {
      damaged.emplace_back(*it, first_line(error.what()));
      continue;
    }
    auto& a = record.allocator();
    for (const auto& [file, error] : damaged) {
      const std::filesystem::path kept = file.path.string() + ".damaged";
      std::error_code ignored;
      std::filesystem::rename(file.path, kept, ignored);
      progress << "datamux: warning: " << error << "; resuming from the previous checkpoint "
               << it->path.string() << " instead (the damaged one is kept as " << kept.string()
               << ")" << std::endl;
      rapidjson::Value item(rapidjson::kObjectType);
      item.AddMember("file", json_string(file.path.string(), a), a);
      item.AddMember("error", json_string(error, a), a);
      item.AddMember("kept_as", json_string(kept.string(), a), a);
      item.AddMember("resumed_from", json_string(it->path.string(), a), a);
      record.append("resume_fallbacks", std::move(item));
    }
    return Resumed{std::move(*loaded), *it};
  }
  std::string message = damaged.front().second;
  if (damaged.size() > 1)
    message += "; no earlier checkpoint loads either (" + std::to_string(damaged.size() - 1) + " tried)";
  throw Error(message);
}

// On resuming: the data files must be the ones the run started with (run.json's data_files;
// a run recorded before they were is not checked). With `allow`, each change is said instead.
std::vector<DataChange> check_data_files(const std::filesystem::path& run,
                                         const std::vector<DataFile>& now, bool allow,
                                         std::ostream& progress) {
  if (!std::filesystem::exists(run / "run.json")) return {};
  const auto record = read_json_file(run / "run.json");
  if (!record.IsObject() || !record.HasMember("data_files")) return {};
  const auto changes = changed_data_files(record["data_files"], now);
  if (changes.empty()) return changes;
  if (!allow)
    throw Error(changes.front().describe() +
                "; refusing to resume on other data (--allow-changed-data continues anyway and "
                "records it in run.json)");
  for (const auto& change : changes)
    progress << "datamux: warning: " << change.describe()
             << "; continuing on it as --allow-changed-data asks" << std::endl;
  return changes;
}

// Marks the run failed, best effort: on a full disk run.json may not be writable either, and
// the returned message then says so.
std::string mark_failed(RunRecord& record, std::int64_t steps_done, const std::string& error) {
  record.set_text("status", "failed");
  record.set_text("error", error);
  record.set_steps_done(steps_done);
  try {
    record.write();
    return error;
  } catch (const std::exception& failure) {
    return error + " (and run.json could not be marked failed: " + first_line(failure.what()) + ")";
  }
}

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
  // An existing directory is locked before anything in it is read, so that a second process
  // is refused at once; a new one is locked as soon as it is created (below).
  std::optional<RunLock> lock;
  if (std::filesystem::is_directory(request.out)) lock.emplace(request.out);
  RunPlan plan = plan_run(request);
  if (plan.complete) {
    progress << request.out.string() << ": already complete" << std::endl;
    return TrainOutcome::kAlreadyComplete;
  }
  if (!plan.resuming && request.command == RunCommand::kFinetune && !request.from.empty())
    check_finetune_source(request.from, request.plugin_paths);
  PreparedExperiment experiment = prepare_experiment(plan.raw, request.plugin_paths, plan.reuse);
  const ResolvedConfig& config = experiment.config;
  if (!plan.resuming) check_command_fits(request.command, config, plan.raw.source());
  for (const auto& library : experiment.plugins->broken())
    progress << "warning: " << library.warning() << std::endl;
  for (const auto& warning : experiment.data.report.warnings)
    progress << "warning: " << warning << std::endl;
  if (plan.resuming && !request.config.empty())
    check_same_config(request.config, request.out / "config.json", request.overrides,
                      *experiment.plugins);
  const std::vector<DataFile> data_files = fingerprint_data_files(config);
  const std::vector<DataChange> data_changes =
      plan.resuming ? check_data_files(request.out, data_files, request.allow_changed_data, progress)
                    : std::vector<DataChange>{};
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
  if (!lock) {
    std::error_code error;
    std::filesystem::create_directories(request.out, error);
    if (error) throw Error(request.out.string() + ": cannot create output directory: " + error.message());
    lock.emplace(request.out);
  }
  const RunDirectory out =
      plan.resuming ? RunDirectory::reopen(request.out) : RunDirectory::create(request.out);
  if (out.reused())
    progress << "note: " << out.path().string()
             << ": reusing a run directory that an earlier start left half-made (nothing was "
                "trained in it)" << std::endl;
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
  record.set("data_files", data_files_json(data_files, a));
  // Until a checkpoint is loaded, the state on disk is the newest checkpoint's, or none.
  std::int64_t last_step = plan.checkpoints.empty() ? 0 : plan.checkpoints.back().step;
  record.set_steps_done(last_step);

  try {
    // run.json first: a start cut short (a full disk) then leaves a record that says so, and
    // a directory that a rerun can reuse (left_half_made).
    record.write();
    if (!plan.resuming) {
      out.write_json("config.json", config.to_json());
      write_data_record(out, experiment.data);
    }
    Trainer trainer(model, settings);
    std::int64_t steps_done = 0;
    double seconds_done = 0;
    rapidjson::Document carried(rapidjson::kObjectType);
    last_step = 0;  // nothing usable, should every checkpoint fail to load
    const std::optional<Resumed> resumed = load_newest_usable(
        plan.checkpoints, model, trainer.optimizer(), device, record, progress);
    if (resumed) {
      batches.restore(resumed->loaded.data);
      steps_done = resumed->loaded.progress.step;
      seconds_done = resumed->loaded.progress.seconds;
      carried = parse_json(resumed->loaded.progress.run_state, resumed->file.path.string());
      for (const char* key : kCarriedMembers) {
        if (carried.HasMember(key)) record.set(key, rapidjson::Value(carried[key], a));
        else record.document().RemoveMember(key);
      }
    }
    last_step = steps_done;
    record.set_steps_done(steps_done);
    for (const auto& change : data_changes) {
      rapidjson::Value item(rapidjson::kObjectType);
      const DataFile& file = change.now.key.empty() ? change.before : change.now;
      item.AddMember("key", json_string(file.key, a), a);
      item.AddMember("path", json_string(file.path, a), a);
      item.AddMember("old_sha256", json_string(change.before.sha256, a), a);
      item.AddMember("new_sha256", json_string(change.now.sha256, a), a);
      item.AddMember("resumed_at_step", steps_done, a);
      record.append("data_changes", std::move(item));
    }
    if (resumed || !data_changes.empty()) record.write();
    MetricsLog log(out.file("metrics.jsonl"), steps_done);
    if (carried.HasMember("window")) log.restore_window(carried["window"]);
    ProgressDisplay display(progress, request.progress_bar, settings.steps,
                            train.get_int("log_every"), steps_done);
    if (resumed)
      display.message("resuming " + out.path().string() + " from step " +
                      std::to_string(steps_done) + " (" + resumed->file.path.string() + ")");

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
      log.sync();  // the log a resume keeps up to this step is on disk before the checkpoint
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
    const std::string message = mark_failed(record, last_step, error.what());
    if (message != error.what()) throw Error(message);
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
  save_archive(archive, path);
}

}  // namespace datamux
