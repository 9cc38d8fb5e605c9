#pragma once
// The training loop: AdamW, linear warm-up then linear decay, gradient clipping,
// periodic evaluation. What it measures goes to an observer (run log, progress, tests).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/optim/adamw.h>

#include "datamux/core/batching.h"
#include "datamux/core/mux_model.h"
#include "datamux/sdk/options.h"

namespace datamux {

class DataParallel;

struct TrainSettings {
  std::int64_t steps = 100;
  double learning_rate = 5e-5;
  double weight_decay = 0.01;
  std::int64_t warmup_steps = 0;
  double max_grad_norm = 1.0;  // 0 disables clipping
  std::int64_t eval_every = 0;  // 0: evaluate once, at the end

  static TrainSettings from_options(const Options& train);
};

// Learning rate before step `step` (0-based): linear warm-up, then linear decay to 0.
double scheduled_learning_rate(const TrainSettings& settings, std::int64_t step);

struct StepRecord {
  std::int64_t step;  // 1-based, after the update
  double loss;        // the weighted total that was minimised
  MetricValues losses;  // its parts: "task_loss", and "<auxiliary>_loss" with an auxiliary objective
  double learning_rate;
  double grad_norm;  // before clipping
  double elapsed_seconds;
};

struct EvaluationRecord {
  std::int64_t step;
  double loss;
  MetricValues metrics;  // the task's, then "<auxiliary>_loss" with an auxiliary objective
  std::vector<std::string> counts;  // the names in `metrics` that the task declares counts
};

// Whether `name` is one of `record`'s counts (shown as an integer, never charted).
bool is_count(const EvaluationRecord& record, const std::string& name);

struct TrainingObserver {
  std::function<void(const StepRecord&)> on_step;
  std::function<void(const EvaluationRecord&)> on_evaluation;
  // After each step and its evaluation, if one was due: where checkpoints are written.
  std::function<void(std::int64_t step)> after_step;
  // Polled after each step; true ends the run there (an interruption).
  std::function<bool()> stop_requested;
};

// Loss and task metrics over every batch, in evaluation mode without gradients. When
// `logits` is given, each batch's task logits are appended to it (on the model's device).
// Random draws inside (an objective's) use a fixed seed, so an evaluation is
// reproducible, and the caller's RNG state is left as it was, so evaluating does not change
// the training that follows.
EvaluationRecord evaluate(MuxModel& model, const std::vector<Batch>& batches, std::int64_t step,
                          std::vector<torch::Tensor>* logits = nullptr);

// The task logits of every batch, as evaluate() collects them, for inputs without labels:
// evaluation mode, no gradients, no auxiliary retrieval head (it does not change the task's
// logits). The model's mode is left as it was.
std::vector<torch::Tensor> task_logits(MuxModel& model, const std::vector<Batch>& batches);

class Trainer {
 public:
  Trainer(MuxModel& model, TrainSettings settings);

  // For checkpoints: its state is saved and restored with the model's.
  torch::optim::Optimizer& optimizer() { return *optimizer_; }

  // Data-parallel training: losses and gradients averaged over the ranks after backward and
  // before clipping, and each step's RNG seeded per rank (DataParallel::seed_step).
  void set_data_parallel(DataParallel* parallel, std::uint64_t seed);

  // Runs steps `steps_done` + 1 .. settings.steps (a resumed run passes the checkpoint's step
  // and the seconds already spent); evaluates when due and at the last step if `evaluation`
  // is not empty. Returns the last step run: settings.steps, or fewer when stopped.
  std::int64_t run(TrainBatches& batches, const std::vector<Batch>& evaluation,
                   const TrainingObserver& observer, std::int64_t steps_done = 0,
                   double seconds_done = 0);

 private:
  MuxModel& model_;
  TrainSettings settings_;
  std::vector<torch::Tensor> trainable_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  DataParallel* parallel_ = nullptr;
  std::uint64_t seed_ = 0;
};

}  // namespace datamux
