#include "datamux/core/experiment.h"

#include <limits>
#include <optional>
#include <ostream>

#include <torch/torch.h>

#include "datamux/core/checkpoint.h"
#include "datamux/core/distributed.h"
#include "datamux/core/first_line.h"
#include "datamux/core/interruption.h"
#include "datamux/core/json_file.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/precision.h"
#include "datamux/core/predictions.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/run_lock.h"
#include "datamux/core/sha256.h"
#include "datamux/core/training_checkpoint.h"
#include "metrics_log.h"
#include "prepared_experiment.h"
#include "resume_checks.h"
#include "run_bookkeeping.h"
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
                                          torch::Device device, RunRecord* record,
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
    if (record == nullptr) return Resumed{std::move(*loaded), *it};  // rank 0 says it and renames
    auto& a = record->allocator();
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
      record->append("resume_fallbacks", std::move(item));
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

namespace {

// Where this process is in a data-parallel run: every rank trains, rank 0 alone writes.
struct Ranks {
  LaunchEnvironment launch = launch_environment();
  std::unique_ptr<DataParallel> parallel;  // when launched as one of several ranks

  bool writer() const { return launch.rank == 0; }
  DataShard shard() const { return {launch.rank, launch.world_size}; }
};

// run.json of a run that starts or continues: a resumed run keeps its history.
void open_run_record(RunRecord& record, const RunDirectory& out, const TrainRequest& request,
                     bool resuming, std::ostream& progress) {
  if (out.reused())
    progress << "note: " << out.path().string()
             << ": reusing a run directory that an earlier start left half-made (nothing was "
                "trained in it)" << std::endl;
  if (resuming) record.adopt(out.file("run.json"));
  else record.set_text("config_source", std::filesystem::absolute(request.config).string());
}

// The records of a run that is starting: run.json's description of it.
void describe_run(RunRecord& record, const PreparedExperiment& experiment,
                  const TrainSettings& settings, const std::vector<DataFile>& data_files,
                  const Ranks& ranks) {
  auto& a = record.allocator();
  const ResolvedConfig& config = experiment.config;
  record.set_text("status", "running");
  record.set_text("init_from", config.train.options.get_string("init_from"));
  record.set("plugins", plugins_json(*experiment.plugins, a));
  record.set("environment", environment_json(experiment.device, a));
  record.set_text("primary_metric", experiment.model->task().primary_metric());
  record.set("steps", rapidjson::Value(settings.steps));
  record.set("data_files", data_files_json(data_files, a));
  const std::int64_t groups = config.train.options.get_int("batch_size");
  rapidjson::Value parallel(rapidjson::kObjectType);
  parallel.AddMember("world_size", ranks.launch.world_size, a);
  parallel.AddMember("backend", json_string(ranks.parallel ? ranks.parallel->backend() : "none", a), a);
  parallel.AddMember("launcher", json_string(ranks.launch.launcher.empty() ? "single" : ranks.launch.launcher, a), a);
  parallel.AddMember("batch_size_per_rank", groups, a);
  parallel.AddMember("global_batch_size", groups * ranks.launch.world_size, a);
  record.set("data_parallel", std::move(parallel));
}

void record_data_changes(RunRecord& record, const std::vector<DataChange>& changes,
                         std::int64_t steps_done) {
  auto& a = record.allocator();
  for (const auto& change : changes) {
    rapidjson::Value item(rapidjson::kObjectType);
    const DataFile& file = change.now.key.empty() ? change.before : change.now;
    item.AddMember("key", json_string(file.key, a), a);
    item.AddMember("path", json_string(file.path, a), a);
    item.AddMember("old_sha256", json_string(change.before.sha256, a), a);
    item.AddMember("new_sha256", json_string(change.now.sha256, a), a);
    item.AddMember("resumed_at_step", steps_done, a);
    record.append("data_changes", std::move(item));
  }
}

// Every rank ends with the same weights, bit for bit: each one's digest goes into run.json,
// and a difference is an error rather than a silently diverged model.
void check_replicas(DataParallel& parallel, MuxModel& model, RunRecord* record) {
  std::string bytes;
  for (const auto& tensor : model.parameters()) {
    const torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
    bytes.append(static_cast<const char*>(cpu.data_ptr()), cpu.numel() * cpu.element_size());
  }
  const std::string digest = sha256_hex(bytes);
  const std::vector<std::string> digests = parallel.gather_digests(digest);
  for (std::size_t r = 0; r < digests.size(); ++r)
    if (digests[r] != digests[0])
      throw Error("data-parallel training: rank " + std::to_string(r) +
                  "'s final weights differ from rank 0's (sha256 " + digests[r] + " vs " +
                  digests[0] + ")");
  if (record == nullptr) return;
  auto& a = record->allocator();
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& d : digests) list.PushBack(json_string(d, a), a);
  record->document()["data_parallel"].AddMember("weights_sha256_by_rank", list, a);
}

// A run continues on as many ranks as it started on: its batches (and so its learning-rate
// schedule's meaning) depend on the global batch. Runs recorded before data_parallel are 1.
void check_same_world(const std::filesystem::path& run, int world_size) {
  if (!std::filesystem::exists(run / "run.json")) return;
  const auto record = read_json_file(run / "run.json");
  int before = 1;
  if (record.IsObject() && record.HasMember("data_parallel") && record["data_parallel"].IsObject() &&
      record["data_parallel"].HasMember("world_size") && record["data_parallel"]["world_size"].IsInt())
    before = record["data_parallel"]["world_size"].GetInt();
  if (before != world_size)
    throw Error(run.string() + ": the run trained on " + std::to_string(before) + " rank" +
                (before == 1 ? "" : "s") + "; resume it on " + std::to_string(before) +
                " too (now " + std::to_string(world_size) + "): its global batch, and so every "
                "later step, depends on the number of ranks");
}

// Every rank must train on the same examples, tokenized alike: a rank that read other files
// (no shared file system) or trained another tokenizer would silently train another model.
void check_same_training_data(DataParallel& parallel, const Dataset& train) {
  std::string bytes;
  for (const Example& example : train.examples) {
    bytes.append(reinterpret_cast<const char*>(example.ids.data()), example.ids.size() * sizeof(example.ids[0]));
    bytes.append(reinterpret_cast<const char*>(&example.label), sizeof example.label);
  }
  const std::vector<std::string> digests = parallel.gather_digests(sha256_hex(bytes));
  for (std::size_t r = 1; r < digests.size(); ++r)
    if (digests[r] != digests[0])
      throw Error("data-parallel training: rank " + std::to_string(r) + "'s training data (" +
                  std::to_string(train.examples.size()) + " examples here) differs from rank 0's, "
                  "token for token; do all ranks read the same files, on a file system they share?");
}

// Every rank continues from the same checkpoint (they must agree on its step), and with rank
// 0's parameters and buffers (the multiplexer's fixed vectors among them).
void start_from_rank_zero(DataParallel& parallel, MuxModel& model, std::int64_t steps_done,
                          const std::filesystem::path& run) {
  const std::int64_t lowest = parallel.minimum(steps_done);
  const std::int64_t highest = parallel.maximum(steps_done);
  if (lowest != highest)
    throw Error("rank " + std::to_string(parallel.rank()) + ": the ranks resumed from different "
                "checkpoints (steps " + std::to_string(lowest) + " and " + std::to_string(highest) +
                "); is " + run.string() + " on a file system every node sees?");
  std::vector<torch::Tensor> state = model.parameters();
  for (const auto& buffer : model.buffers()) state.push_back(buffer);
  parallel.broadcast(state);
}

BookkeepingSettings bookkeeping_settings(const Options& train, bool progress_bar) {
  BookkeepingSettings kept;
  kept.steps = train.get_int("steps");
  kept.checkpoint_every = train.get_int("checkpoint_every");
  kept.keep_checkpoints = train.get_int("keep_checkpoints");
  kept.throughput_repeats = train.get_int("throughput_repeats");
  kept.log_every = train.get_int("log_every");
  kept.progress_bar = progress_bar;
  return kept;
}

// What the loop reports goes to the books (rank 0's, else none); a signal on any rank stops
// every rank after the same step, with a checkpoint there. `last_step` and `signal` are the
// caller's, for the failure record and the interruption.
TrainingObserver coordinated_observer(RunBookkeeping* books, DataParallel* parallel,
                                      std::int64_t checkpoint_every, std::int64_t& last_step,
                                      int& signal) {
  TrainingObserver observer;
  observer.on_step = [books, &last_step](const StepRecord& step) {
    last_step = step.step;
    if (books != nullptr) books->on_step(step);
  };
  if (books != nullptr)
    observer.on_evaluation = [books](const EvaluationRecord& result) { books->on_evaluation(result); };
  observer.after_step = [books, parallel, checkpoint_every, &signal](std::int64_t step) {
    signal = InterruptionGuard::received();
    if (parallel != nullptr) signal = static_cast<int>(parallel->maximum(signal));
    const bool due = checkpoint_every > 0 && step % checkpoint_every == 0;
    if (books != nullptr && (due || signal != 0)) books->save_checkpoint(step);
  };
  observer.stop_requested = [&signal] { return signal != 0; };
  return observer;
}

}  // namespace

TrainOutcome train_experiment(const TrainRequest& request, std::ostream& progress) {
  Ranks ranks;
  // Ranks other than 0 only read the run directory; what they would print, rank 0 prints.
  std::ostream quiet(nullptr);
  std::ostream& shown = ranks.writer() ? progress : quiet;
  if (ranks.launch.distributed()) DataParallel::use_local_gpu(ranks.launch);
  // An existing directory is locked before anything in it is read, so that a second process
  // is refused at once; a new one is locked as soon as it is created (below). The ranks of
  // one run share it: rank 0 holds the lock for them.
  std::optional<RunLock> lock;
  if (ranks.writer() && std::filesystem::is_directory(request.out)) lock.emplace(request.out);
  RunPlan plan = plan_run(request);
  if (plan.complete) {
    shown << request.out.string() << ": already complete" << std::endl;
    return TrainOutcome::kAlreadyComplete;
  }
  if (plan.resuming) check_same_world(request.out, ranks.launch.world_size);
  if (!plan.resuming && request.command == RunCommand::kFinetune && !request.from.empty())
    check_finetune_source(request.from, request.plugin_paths);
  PreparedExperiment experiment = prepare_experiment(plan.raw, request.plugin_paths, plan.reuse);
  const ResolvedConfig& config = experiment.config;
  if (!plan.resuming) check_command_fits(request.command, config, plan.raw.source());
  for (const auto& library : experiment.plugins->broken())
    shown << "warning: " << library.warning() << std::endl;
  for (const auto& warning : experiment.data.report.warnings)
    shown << "warning: " << warning << std::endl;
  if (plan.resuming && !request.config.empty())
    check_same_config(request.config, request.out / "config.json", request.overrides,
                      *experiment.plugins);
  const std::vector<DataFile> data_files = fingerprint_data_files(config);
  const std::vector<DataChange> data_changes =
      plan.resuming ? check_data_files(request.out, data_files, request.allow_changed_data, shown)
                    : std::vector<DataChange>{};
  const torch::Device device = experiment.device;
  MuxModel& model = *experiment.model;
  const Options& train = config.train.options;
  const auto seed = static_cast<std::uint64_t>(config.run.options.get_int("seed"));
  const std::int64_t n = config.model.options.get_int("num_instances");
  const std::int64_t groups = train.get_int("batch_size");
  const std::int64_t max_length = config.model.options.get_int("max_seq_length");
  const TrainSettings settings = TrainSettings::from_options(train);
  TrainBatches batches(experiment.data.train, groups, n, max_length, seed, device, ranks.shard());
  // Evaluation runs on rank 0 alone (docs/distributed.md): the others wait for it.
  const auto evaluation = ranks.writer()
                              ? evaluation_batches(experiment.data.eval, groups, n, max_length, device)
                              : std::vector<Batch>{};
  const auto eval_instances = static_cast<std::int64_t>(experiment.data.eval.examples.size());
  // Every rank has planned from the directory as it was: only now may rank 0 change it.
  if (ranks.launch.distributed()) {
    ranks.parallel = std::make_unique<DataParallel>(ranks.launch, device);
    check_same_training_data(*ranks.parallel, experiment.data.train);
  }

  // Everything above can fail without leaving anything behind; from here on the run exists.
  if (ranks.writer() && !lock) {
    std::error_code error;
    std::filesystem::create_directories(request.out, error);
    if (error) throw Error(request.out.string() + ": cannot create output directory: " + error.message());
    lock.emplace(request.out);
  }
  std::optional<RunDirectory> out;
  std::optional<RunRecord> record;
  if (ranks.writer()) {
    out.emplace(plan.resuming ? RunDirectory::reopen(request.out) : RunDirectory::create(request.out));
    record.emplace(*out, command_name(request.command));
    open_run_record(*record, *out, request, plan.resuming, progress);
    describe_run(*record, experiment, settings, data_files, ranks);
  }
  // Until a checkpoint is loaded, the state on disk is the newest checkpoint's, or none.
  std::int64_t last_step = plan.checkpoints.empty() ? 0 : plan.checkpoints.back().step;
  if (record) record->set_steps_done(last_step);

  try {
    // run.json first: a start cut short (a full disk) then leaves a record that says so, and
    // a directory that a rerun can reuse (left_half_made).
    if (record) {
      record->write();
      if (!plan.resuming) {
        out->write_json("config.json", config.to_json());
        write_data_record(*out, experiment.data);
      }
    }
    Trainer trainer(model, settings);
    std::int64_t steps_done = 0;
    double seconds_done = 0;
    std::string run_state;
    last_step = 0;  // nothing usable, should every checkpoint fail to load
    const std::optional<Resumed> resumed = load_newest_usable(
        plan.checkpoints, model, trainer.optimizer(), device, record ? &*record : nullptr, shown);
    if (resumed) {
      batches.restore(resumed->loaded.data);
      steps_done = resumed->loaded.progress.step;
      seconds_done = resumed->loaded.progress.seconds;
      run_state = resumed->loaded.progress.run_state;
      if (record) adopt_carried_members(*record, run_state, resumed->file.path.string());
    }
    if (ranks.parallel) {
      start_from_rank_zero(*ranks.parallel, model, steps_done, request.out);
      trainer.set_data_parallel(ranks.parallel.get(), seed);
    }
    last_step = steps_done;
    if (record) {
      record->set_steps_done(steps_done);
      record_data_changes(*record, data_changes, steps_done);
      if (resumed || !data_changes.empty()) record->write();
    }
    std::optional<RunBookkeeping> books;
    if (ranks.writer()) {
      books.emplace(*out, *record, model, trainer.optimizer(), batches, evaluation, eval_instances,
                    device, bookkeeping_settings(train, request.progress_bar), steps_done,
                    seconds_done, run_state, progress);
      if (resumed)
        books->display().message("resuming " + out->path().string() + " from step " +
                                 std::to_string(steps_done) + " (" + resumed->file.path.string() + ")");
    }

    int signal = 0;
    const TrainingObserver observer =
        coordinated_observer(books ? &*books : nullptr, ranks.parallel.get(),
                             train.get_int("checkpoint_every"), last_step, signal);

    std::int64_t reached = 0;
    {
      InterruptionGuard guard;
      AutocastScope autocast(config.run.options.get_string("precision"), device);
      reached = trainer.run(batches, evaluation, observer, steps_done, seconds_done);
    }
    if (ranks.parallel) check_replicas(*ranks.parallel, model, record ? &*record : nullptr);
    if (books) {
      books->finish(reached, signal, command_name(request.command), batches.skipped_examples());
      progress << "run complete: " << out->path().string() << std::endl;
    } else if (reached < settings.steps) {
      throw Interrupted("rank " + std::to_string(ranks.launch.rank) + ": stopped at step " +
                            std::to_string(reached) + " with the others (" +
                            InterruptionGuard::signal_name(signal) + "); rank 0 wrote the checkpoint",
                        signal);
    }
    // Rank 0 hosts the store: it leaves only when every rank is done with it.
    if (ranks.parallel) ranks.parallel->barrier();
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& error) {
    if (ranks.parallel) ranks.parallel->note_failure(error.what());
    if (!record) throw;
    const std::string message = mark_failed(*record, last_step, error.what());
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
