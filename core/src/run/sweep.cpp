#include "datamux/core/sweep.h"

#include <map>
#include <optional>
#include <ostream>

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
    note_primary_metric(run);
  }

  void write(const std::string& sweep_status) const {
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
  std::map<std::string, std::string> primary_metrics_;
};

std::string config_file_name(const std::string& id) {
  std::string name = id;
  for (char& c : name)
    if (c == '/') c = '-';
  return name + ".json";
}

}  // namespace

SweepSummary run_sweep(const SweepRequest& request, std::ostream& progress) {
  const SweepConfig config = SweepConfig::from_file(request.config);
  const std::vector<SweepRun> runs = plan_sweep(config);
  if (std::filesystem::exists(request.out) && !std::filesystem::is_directory(request.out))
    throw Error(request.out.string() + ": output path exists and is not a directory");
  std::filesystem::create_directories(request.out / "configs");
  std::vector<std::string> overrides = config.overrides;
  overrides.insert(overrides.end(), request.overrides.begin(), request.overrides.end());

  SweepRecord record(config, runs, request.out);
  record.write("running");
  SweepSummary summary;
  int index = 0;
  for (const SweepRun& run : runs) {
    ++index;
    const auto dir = request.out / run.id;
    const std::string heading = "== [" + std::to_string(index) + "/" + std::to_string(runs.size()) +
                                "] " + run.id;
    if (record.status(run.id) == "complete") {
      ++summary.complete;
      progress << heading << ": complete" << std::endl;
      continue;
    }
    if (run.role == "finetune" && record.status(run.from) != "complete") {
      ++summary.skipped;
      record.set_status(run, "skipped");
      record.write("running");
      progress << heading << ": skipped (its warm-up " << run.from << " did not complete)" << std::endl;
      continue;
    }
    // The run's lock for all of its work here (its config, training, report), the same lock
    // `datamux train` takes: a process already working on this run is left to it.
    std::filesystem::create_directories(dir);
    std::optional<RunLock> lock;
    try {
      lock.emplace(dir);
    } catch (const RunLocked& busy) {
      ++summary.skipped;
      progress << heading << ": skipped (" << busy.what() << ")" << std::endl;
      continue;
    }
    progress << heading << std::endl;
    const auto config_file = request.out / "configs" / config_file_name(run.id);
    write_file_atomically(config_file, sweep_run_config(config, run));

    TrainRequest train;
    train.command = run.role == "warmup" ? RunCommand::kPretrain : RunCommand::kFinetune;
    train.out = dir;
    train.plugin_paths = request.plugin_paths;
    train.resume = true;
    train.progress_bar = request.progress_bar;
    if (!run.from.empty()) train.from = request.out / run.from;
    // A run already started keeps its config.json; only run.* values may change on resuming.
    const bool started = is_run_directory(dir);
    if (!started) train.config = config_file;  // a started run continues with its config.json
    for (const auto& assignment : overrides)
      if (!started || assignment.rfind("run.", 0) == 0) train.overrides.push_back(assignment);

    auto after_run = [&] {
      if (request.after_run && is_run_directory(dir)) request.after_run(dir);
    };
    try {
      train_experiment(train, progress);
      ++summary.complete;
      record.set_status(run, "complete");
    } catch (const Interrupted&) {
      record.set_status(run, "interrupted");
      record.write("interrupted");
      after_run();
      throw;
    } catch (const std::exception& error) {
      ++summary.failed;
      record.set_status(run, "failed");
      progress << run.id << ": failed: " << error.what() << std::endl;
    }
    after_run();
    record.write("running");
  }
  record.write(summary.failed + summary.skipped > 0 ? "failed" : "complete");
  return summary;
}

}  // namespace datamux
