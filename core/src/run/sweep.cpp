#include "datamux/core/sweep.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <thread>

#include "datamux/core/distributed.h"
#include "datamux/core/experiment.h"
#include "datamux/core/interruption.h"
#include "datamux/core/json_file.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/run_lock.h"
#include "run_record.h"

namespace datamux {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// sweep.json: the grid and where each run stands, rewritten after every run.
class SweepRecord {
 public:
  SweepRecord(const SweepConfig& config, const std::vector<SweepRun>& runs,
              std::filesystem::path out)
      : config_(config), runs_(runs), out_(std::move(out)) {
    for (const auto& run : runs_) {
      const std::string status = run_status(out_ / run.id);
      statuses_[run.id] = status.empty() ? "pending" : status;
      note_primary_metric(run);
    }
  }

  const std::string& status(const std::string& id) { return statuses_[id]; }
  void set_status(const SweepRun& run, const std::string& status) {
    statuses_[run.id] = status;
    noted_.insert(run.id);
    note_primary_metric(run);
  }

  // Under the sweep's lock, since the shards of an array share sweep.json: a run's status is
  // its run.json's, else what this process noted (a skip), else what sweep.json said. With
  // `sweep_status` empty, the sweep's own status follows from its runs'.
  void write(std::string sweep_status) {
    SweepDirectoryLock lock(out_);
    merge_statuses();
    if (sweep_status.empty()) sweep_status = overall_status();
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    doc.AddMember("schema_version", 1, a);
    doc.AddMember("name", json_string(config_.name, a), a);
    doc.AddMember("config_source", json_string(std::filesystem::absolute(config_.source).string(), a), a);
    doc.AddMember("status", json_string(sweep_status, a), a);
    rapidjson::Value backbones(rapidjson::kArrayType);
    for (const auto& backbone : config_.backbones) backbones.PushBack(json_string(backbone.name, a), a);
    doc.AddMember("backbones", backbones, a);
    rapidjson::Value ns(rapidjson::kArrayType);
    for (std::int64_t n : config_.num_instances) ns.PushBack(n, a);
    doc.AddMember("num_instances", ns, a);
    rapidjson::Value tasks(rapidjson::kArrayType);
    for (const auto& task : config_.tasks) {
      rapidjson::Value item(rapidjson::kObjectType);
      item.AddMember("name", json_string(task.name, a), a);
      if (auto it = primary_metrics_.find(task.name); it != primary_metrics_.end())
        item.AddMember("primary_metric", json_string(it->second, a), a);
      tasks.PushBack(item, a);
    }
    doc.AddMember("tasks", tasks, a);
    rapidjson::Value runs(rapidjson::kArrayType);
    for (const auto& run : runs_) {
      rapidjson::Value item(rapidjson::kObjectType);
      item.AddMember("id", json_string(run.id, a), a);
      item.AddMember("dir", json_string(run.id, a), a);
      item.AddMember("backbone", json_string(run.backbone, a), a);
      item.AddMember("num_instances", run.num_instances, a);
      item.AddMember("task", json_string(run.task, a), a);
      item.AddMember("role", json_string(run.role, a), a);
      if (!run.from.empty()) item.AddMember("from", json_string(run.from, a), a);
      item.AddMember("status", json_string(statuses_.at(run.id), a), a);
      runs.PushBack(item, a);
    }
    doc.AddMember("runs", runs, a);
    write_file_atomically(out_ / "sweep.json", to_json_text(doc) + "\n");
  }

 private:
  void merge_statuses() {
    std::map<std::string, std::string> written;
    const auto file = out_ / "sweep.json";
    if (std::filesystem::exists(file)) {
      try {
        const auto before = read_json_file(file);
        if (before.IsObject() && before.HasMember("runs") && before["runs"].IsArray())
          for (const auto& item : before["runs"].GetArray())
            if (item.HasMember("id") && item.HasMember("status") && item["status"].IsString())
              written[item["id"].GetString()] = item["status"].GetString();
      } catch (const std::exception&) {
        // A damaged sweep.json is rewritten from the runs' records.
      }
    }
    for (const auto& run : runs_) {
      const std::string on_disk = run_status(out_ / run.id);
      if (!on_disk.empty()) statuses_[run.id] = on_disk;
      else if (!noted_.count(run.id) && written.count(run.id)) statuses_[run.id] = written[run.id];
      note_primary_metric(run);
    }
  }

  std::string overall_status() const {
    bool all_complete = true, open = false;
    for (const auto& [id, status] : statuses_) {
      all_complete = all_complete && status == "complete";
      open = open || status == "pending" || status == "running";
    }
    return all_complete ? "complete" : open ? "running" : "failed";
  }

  // A task's primary metric is the task plugin's to say; its runs record it.
  void note_primary_metric(const SweepRun& run) {
    const auto file = out_ / run.id / "run.json";
    if (run.role != "finetune" || primary_metrics_.count(run.task) || !std::filesystem::exists(file)) return;
    const auto record = read_json_file(file);
    if (record.IsObject() && record.HasMember("primary_metric") && record["primary_metric"].IsString())
      primary_metrics_[run.task] = record["primary_metric"].GetString();
  }

  const SweepConfig& config_;
  const std::vector<SweepRun>& runs_;
  std::filesystem::path out_;
  std::map<std::string, std::string> statuses_;
  std::set<std::string> noted_;  // the runs this process set a status for
  std::map<std::string, std::string> primary_metrics_;
};

std::string config_file_name(const std::string& id) {
  std::string name = id;
  for (char& c : name)
    if (c == '/') c = '-';
  return name + ".json";
}

}  // namespace

namespace {

constexpr auto kBusyPoll = std::chrono::seconds(2);

// One sweep process: trains the runs it is given, each under the run's lock.
class SweepWorker {
 public:
  SweepWorker(const SweepRequest& request, const SweepConfig& config, SweepRecord& record,
              std::ostream& progress)
      : request_(request), config_(config), record_(record), progress_(progress) {
    overrides_ = config.overrides;
    overrides_.insert(overrides_.end(), request.overrides.begin(), request.overrides.end());
  }

  // Trains `run` unless it is complete. Sharded, a run that another process holds is waited
  // for (then it is complete, or this process continues it); unsharded it is left to it.
  // Returns the run's status afterwards ("busy" when it was left to another process).
  std::string train(const SweepRun& run, const std::string& heading) {
    const auto dir = request_.out / run.id;
    bool said_waiting = false;
    for (;;) {
      if (run_status(dir) == "complete") return "complete";
      // The run's lock for all of its work here (its config, training, report), the same
      // lock `datamux train` takes.
      std::filesystem::create_directories(dir);
      std::optional<RunLock> lock;
      try {
        lock.emplace(dir);
      } catch (const RunLocked& busy) {
        if (!request_.shard) {
          progress_ << heading << ": skipped (" << busy.what() << ")" << std::endl;
          return "busy";
        }
        if (!said_waiting)
          progress_ << heading << ": waiting for pid " << busy.holder() << ", which trains it" << std::endl;
        said_waiting = true;
        std::this_thread::sleep_for(kBusyPoll);
        continue;
      }
      if (run_status(dir) == "complete") return "complete";  // finished while this one waited
      progress_ << heading << std::endl;
      return train_locked(run, dir);
    }
  }

 private:
  std::string train_locked(const SweepRun& run, const std::filesystem::path& dir) {
    const auto config_file = request_.out / "configs" / config_file_name(run.id);
    write_file_atomically(config_file, sweep_run_config(config_, run));
    TrainRequest train;
    train.command = run.role == "warmup" ? RunCommand::kPretrain : RunCommand::kFinetune;
    train.out = dir;
    train.plugin_paths = request_.plugin_paths;
    train.resume = true;
    train.progress_bar = request_.progress_bar;
    if (!run.from.empty()) train.from = request_.out / run.from;
    // A run already started keeps its config.json; only run.* values may change on resuming.
    const bool started = is_run_directory(dir);
    if (!started) train.config = config_file;  // a started run continues with its config.json
    for (const auto& assignment : overrides_)
      if (!started || assignment.rfind("run.", 0) == 0) train.overrides.push_back(assignment);

    auto after_run = [&] {
      if (request_.after_run && is_run_directory(dir)) request_.after_run(dir);
    };
    std::string status = "complete";
    try {
      train_experiment(train, progress_);
    } catch (const Interrupted&) {
      record_.set_status(run, "interrupted");
      record_.write("interrupted");
      after_run();
      throw;
    } catch (const std::exception& error) {
      status = "failed";
      progress_ << run.id << ": failed: " << error.what() << std::endl;
    }
    record_.set_status(run, status);
    after_run();
    return status;
  }

  const SweepRequest& request_;
  const SweepConfig& config_;
  SweepRecord& record_;
  std::ostream& progress_;
  std::vector<std::string> overrides_;
};

}  // namespace

SweepSummary run_sweep(const SweepRequest& request, std::ostream& progress) {
  const LaunchEnvironment launch = launch_environment();
  if (launch.distributed())
    throw Error("datamux sweep was started as rank " + std::to_string(launch.rank) + " of " +
                std::to_string(launch.world_size) + " (" + launch.launcher +
                " variables); a sweep is one process per shard: use --shard I/K or a job array "
                "with one task each (scripts/slurm/sweep.sbatch)");
  const SweepConfig config = SweepConfig::from_file(request.config);
  const std::vector<SweepRun> runs = plan_sweep(config);
  const std::vector<SweepRun> mine = request.shard ? shard_runs(runs, *request.shard) : runs;
  if (std::filesystem::exists(request.out) && !std::filesystem::is_directory(request.out))
    throw Error(request.out.string() + ": output path exists and is not a directory");
  std::filesystem::create_directories(request.out / "configs");

  SweepRecord record(config, runs, request.out);
  // Sharded, the sweep's status is its runs' together: the other shards' included.
  const std::string running = request.shard ? "" : "running";
  record.write(running);
  SweepWorker worker(request, config, record, progress);
  SweepSummary summary;
  const std::string of = request.shard ? " of shard " + request.shard->text() : "";
  int index = 0;
  for (const SweepRun& run : mine) {
    ++index;
    const std::string heading = "== [" + std::to_string(index) + "/" + std::to_string(mine.size()) +
                                of + "] " + run.id;
    if (run_status(request.out / run.id) == "complete") {
      ++summary.complete;
      progress << heading << ": complete" << std::endl;
      continue;
    }
    if (run.role == "finetune" && run_status(request.out / run.from) != "complete") {
      // Sharded, the warm-up may be another shard's: wait for it, or train it here when no
      // process holds it yet (the run lock makes sure it is trained once).
      if (request.shard) {
        const auto warmup = std::find_if(runs.begin(), runs.end(),
                                         [&](const SweepRun& r) { return r.id == run.from; });
        progress << heading << ": needs " << run.from << " first" << std::endl;
        worker.train(*warmup, "== " + run.from + " (for " + run.id + ")");
        record.write(running);
      }
      if (run_status(request.out / run.from) != "complete") {
        ++summary.skipped;
        record.set_status(run, "skipped");
        record.write(running);
        progress << heading << ": skipped (its warm-up " << run.from << " did not complete)" << std::endl;
        continue;
      }
    }
    const std::string status = worker.train(run, heading);
    if (status == "complete") ++summary.complete;
    else if (status == "busy") ++summary.skipped;
    else ++summary.failed;
    record.write(running);
  }
  record.write(request.shard ? "" : summary.failed + summary.skipped > 0 ? "failed" : "complete");
  return summary;
}

}  // namespace datamux
