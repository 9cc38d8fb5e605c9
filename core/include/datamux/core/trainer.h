#pragma once
// The training loop: AdamW, linear warm-up then linear decay, gradient clipping,
// periodic evaluation. What it measures goes to an observer (run log, progress, tests).
#include <cstdint>
#include <functional>
#include <vector>

#include "datamux/core/batching.h"
#include "datamux/core/mux_model.h"
#include "datamux/sdk/options.h"

namespace datamux {

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
  MetricValues losses;  // its parts: "task_loss", and "retrieval_loss" with an auxiliary head
  double learning_rate;
  double grad_norm;  // before clipping
  double elapsed_seconds;
};

struct EvaluationRecord {
  std::int64_t step;
  double loss;
  MetricValues metrics;  // the task's, then "retrieval_loss" with an auxiliary head
};

struct TrainingObserver {
  std::function<void(const StepRecord&)> on_step;
  std::function<void(const EvaluationRecord&)> on_evaluation;
};

// Loss and task metrics over every batch, in evaluation mode without gradients. When
// `logits` is given, each batch's task logits are appended to it (on the model's device).
EvaluationRecord evaluate(MuxModel& model, const std::vector<Batch>& batches, std::int64_t step,
                          std::vector<torch::Tensor>* logits = nullptr);

class Trainer {
 public:
  Trainer(MuxModel& model, TrainSettings settings);

  // Runs settings.steps steps; evaluates when due and at the end if `evaluation` is not empty.
  void run(TrainBatches& batches, const std::vector<Batch>& evaluation,
           const TrainingObserver& observer);

 private:
  MuxModel& model_;
  TrainSettings settings_;
};

}  // namespace datamux
