#include "datamux/reports/sweep_tables.h"

#include <algorithm>

#include "datamux/sdk/error.h"

namespace datamux::reports {
namespace {

template <typename T>
void append_unique(std::vector<T>& items, const T& item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
}

SweepGrid grid_of(const SweepRecords& records) {
  SweepGrid grid;
  grid.backbones = records.sweep.backbones;
  grid.num_instances = records.sweep.num_instances;
  grid.tasks = records.sweep.tasks;
  for (const auto& run : records.runs) {
    append_unique(grid.backbones, run.entry.backbone);
    append_unique(grid.num_instances, run.entry.num_instances);
    if (run.entry.role != "finetune") continue;
    const bool known =
        std::any_of(grid.tasks.begin(), grid.tasks.end(),
                    [&](const SweepTask& task) { return task.name == run.entry.task; });
    if (!known) grid.tasks.push_back(SweepTask{run.entry.task, ""});
  }
  // sweep.json learns a task's primary metric from its first run; until then its runs' records
  // say it.
  for (auto& task : grid.tasks)
    for (const auto& run : records.runs)
      if (task.primary_metric.empty() && run.records && run.entry.role == "finetune" &&
          run.entry.task == task.name)
        task.primary_metric = run.records->run.primary_metric;
  std::sort(grid.num_instances.begin(), grid.num_instances.end());
  return grid;
}

std::string primary_metric_of(const SweepGrid& grid, const std::string& task) {
  for (const auto& entry : grid.tasks)
    if (entry.name == task) return entry.primary_metric;
  return "";
}

FinetuneResult finetune_result(const SweepRun& run, const SweepGrid& grid) {
  FinetuneResult result;
  result.run = &run;
  result.task = run.entry.task;
  result.backbone = run.entry.backbone;
  result.num_instances = run.entry.num_instances;
  result.metric_name = primary_metric_of(grid, run.entry.task);
  if (!run.records) return result;
  const RunRecord& record = run.records->run;
  if (record.best_eval) {
    result.metric = record.best_eval->value(result.metric_name);
    if (!result.metric)
      throw Error((run.records->dir / "run.json").string() + ": best_eval has no '" +
                  result.metric_name + "', the primary metric of task '" + result.task +
                  "' in sweep.json");
    result.metric_step = record.best_eval->step;
  }
  if (record.throughput) result.instances_per_s = record.throughput->instances_per_s;
  result.critical = find_critical_retrieval_loss(run.records->metrics.means);
  return result;
}

WarmupResult warmup_result(const SweepRun& run) {
  WarmupResult result;
  result.run = &run;
  result.backbone = run.entry.backbone;
  result.num_instances = run.entry.num_instances;
  if (!run.records) return result;
  const RunRecords& records = *run.records;
  // A warm-up's task is retrieval: its evaluation loss is the retrieval loss.
  if (records.run.final_eval && records.run.final_eval->value("loss")) {
    result.retrieval_loss = records.run.final_eval->value("loss");
    result.source = "final_eval.loss";
  } else if (!records.metrics.means.empty()) {
    result.retrieval_loss = records.metrics.means.back().task_loss;
    result.source = "last 100-step mean task_loss";
  }
  return result;
}

std::string describe_cell(const SweepRunEntry& entry) {
  return entry.task + ", " + entry.backbone + ", N = " + std::to_string(entry.num_instances);
}

// Each (role, task, backbone, N) may have one run: a second would make the tables ambiguous.
void refuse_duplicates(const SweepRecords& records) {
  for (std::size_t i = 0; i < records.runs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const auto& a = records.runs[j].entry;
      const auto& b = records.runs[i].entry;
      if (a.role == b.role && a.task == b.task && a.backbone == b.backbone &&
          a.num_instances == b.num_instances)
        throw Error((records.dir / "sweep.json").string() + ": runs '" + a.id + "' and '" + b.id +
                    "' are both the " + a.role + " run of " + describe_cell(a));
    }
}

}  // namespace

const FinetuneResult* SweepTables::finetune(const std::string& task, const std::string& backbone,
                                            std::int64_t num_instances) const {
  for (const auto& result : finetunes)
    if (result.task == task && result.backbone == backbone && result.num_instances == num_instances)
      return &result;
  return nullptr;
}

const WarmupResult* SweepTables::warmup(const std::string& backbone,
                                        std::int64_t num_instances) const {
  for (const auto& result : warmups)
    if (result.backbone == backbone && result.num_instances == num_instances) return &result;
  return nullptr;
}

SweepTables compute_sweep_tables(const SweepRecords& records) {
  refuse_duplicates(records);
  SweepTables tables;
  tables.grid = grid_of(records);
  const auto find_run = [&](const std::string& role, const std::string* task,
                            const std::string& backbone, std::int64_t n) -> const SweepRun* {
    for (const auto& run : records.runs)
      if (run.entry.role == role && (task == nullptr || run.entry.task == *task) &&
          run.entry.backbone == backbone && run.entry.num_instances == n)
        return &run;
    return nullptr;
  };
  for (const auto& task : tables.grid.tasks)
    for (const auto n : tables.grid.num_instances)
      for (const auto& backbone : tables.grid.backbones)
        if (const SweepRun* run = find_run("finetune", &task.name, backbone, n))
          tables.finetunes.push_back(finetune_result(*run, tables.grid));
  for (const auto n : tables.grid.num_instances)
    for (const auto& backbone : tables.grid.backbones)
      if (const SweepRun* run = find_run("warmup", nullptr, backbone, n))
        tables.warmups.push_back(warmup_result(*run));

  for (const auto& task : tables.grid.tasks)
    for (const auto& backbone : tables.grid.backbones) {
      std::vector<ResultAtN> results;
      const FinetuneResult* baseline = tables.finetune(task.name, backbone, 1);
      for (auto& result : tables.finetunes) {
        if (result.task != task.name || result.backbone != backbone) continue;
        if (baseline)
          result.speedup = speedup_over_baseline(result.instances_per_s, baseline->instances_per_s);
        results.push_back(ResultAtN{result.num_instances, result.metric, result.instances_per_s});
      }
      if (results.empty()) continue;
      tables.headlines.push_back(
          HeadlineResult{task.name, backbone, task.primary_metric, find_headline(results)});
    }
  return tables;
}

}  // namespace datamux::reports
