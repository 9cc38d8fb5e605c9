#pragma once
// What a training run keeps while the loop runs: metrics.jsonl, run.json's evaluations and
// throughput, best.pt, checkpoints and the progress display, and how the run ends (complete or
// interrupted). The loop itself (experiment.cpp, trainer.cpp) knows none of it. In
// data-parallel training only rank 0 keeps the books. Private to the core.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "datamux/core/batching.h"
#include "datamux/core/mux_model.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/trainer.h"
#include "metrics_log.h"
#include "progress_display.h"
#include "run_record.h"

namespace datamux {

// The run.json members a checkpoint carries, so a resumed run reports what it had reached.
extern const char* const kCarriedMembers[3];

struct BookkeepingSettings {
  std::int64_t steps = 0;
  std::int64_t checkpoint_every = 0;
  std::int64_t keep_checkpoints = 1;
  std::int64_t throughput_repeats = 0;
  std::int64_t log_every = 0;
  bool progress_bar = false;
};

class RunBookkeeping {
 public:
  // `run_state` is the resumed checkpoint's (its log window, the carried members), or empty.
  RunBookkeeping(const RunDirectory& out, RunRecord& record, MuxModel& model,
                 torch::optim::Optimizer& optimizer, const TrainBatches& batches,
                 const std::vector<Batch>& evaluation, std::int64_t eval_instances,
                 torch::Device device, const BookkeepingSettings& settings,
                 std::int64_t steps_done, double seconds_done, const std::string& run_state,
                 std::ostream& progress);

  ProgressDisplay& display() { return display_; }

  void on_step(const StepRecord& step);
  // Its throughput, run.json's final and best evaluation, best.pt when it is the best.
  void on_evaluation(const EvaluationRecord& result);
  void save_checkpoint(std::int64_t step);

  // The end of the loop at `reached`: model.pt and "complete", or "interrupted" by `signal`
  // with a checkpoint already written (then Interrupted is thrown, saying how to continue).
  void finish(std::int64_t reached, int signal, const std::string& command, std::int64_t dropped);

 private:
  const RunDirectory& out_;
  RunRecord& record_;
  MuxModel& model_;
  torch::optim::Optimizer& optimizer_;
  const TrainBatches& batches_;
  const std::vector<Batch>& evaluation_;
  std::int64_t eval_instances_;
  torch::Device device_;
  BookkeepingSettings settings_;
  MetricsLog log_;
  ProgressDisplay display_;
  std::string primary_;
  double best_;
  double elapsed_;
};

// Sets run.json's carried members to a resumed checkpoint's `run_state` (absent ones removed).
void adopt_carried_members(RunRecord& record, const std::string& run_state, const std::string& source);

}  // namespace datamux
