#pragma once
// The numbers of the sweep report, computed from the sweep's records: each finetuning run's
// metric and throughput (Table 1, Figure 2, throughput), each warm-up's retrieval loss
// (Figure 4), the headline per backbone and task, and the critical retrieval losses.
// Everything points into the SweepRecords it was computed from, which must outlive it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datamux/reports/analysis.h"
#include "datamux/reports/sweep_records.h"

namespace datamux::reports {

// The grid the tables are laid out on: sweep.json's backbones and tasks in its order (then
// any others its runs use), N ascending.
struct SweepGrid {
  std::vector<std::string> backbones;
  std::vector<std::int64_t> num_instances;
  std::vector<SweepTask> tasks;
};

struct FinetuneResult {
  const SweepRun* run = nullptr;
  std::string task;
  std::string backbone;
  std::int64_t num_instances = 0;
  std::string metric_name;       // the task's primary metric
  std::optional<double> metric;  // from best_eval
  std::optional<std::int64_t> metric_step;
  std::optional<double> instances_per_s;  // the last throughput measurement
  std::optional<double> speedup;          // over the same backbone and task at N = 1
  std::optional<CriticalRetrievalLoss> critical;
};

struct WarmupResult {
  const SweepRun* run = nullptr;
  std::string backbone;
  std::int64_t num_instances = 0;
  std::optional<double> retrieval_loss;
  std::string source;  // "final_eval.loss", "last 100-step mean task_loss", or ""
};

struct HeadlineResult {
  std::string task;
  std::string backbone;
  std::string metric_name;
  Headline headline;
};

struct SweepTables {
  SweepGrid grid;
  std::vector<FinetuneResult> finetunes;  // by task, then N, then backbone (grid order)
  std::vector<WarmupResult> warmups;      // by N, then backbone
  std::vector<HeadlineResult> headlines;  // by task, then backbone

  const FinetuneResult* finetune(const std::string& task, const std::string& backbone,
                                 std::int64_t num_instances) const;
  const WarmupResult* warmup(const std::string& backbone, std::int64_t num_instances) const;
};

// Two runs in the same cell of the grid, or a best_eval without the task's primary metric, are
// one-line datamux::Errors naming sweep.json or the run's run.json.
SweepTables compute_sweep_tables(const SweepRecords& records);

}  // namespace datamux::reports
