#include "datamux/core/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "datamux/core/distributed.h"
#include "datamux/core/inference_scope.h"
#include "datamux/sdk/error.h"

namespace datamux {

TrainSettings TrainSettings::from_options(const Options& train) {
  TrainSettings settings;
  settings.steps = train.get_int("steps");
  settings.learning_rate = train.get_float("learning_rate");
  settings.weight_decay = train.get_float("weight_decay");
  settings.warmup_steps = train.get_int("warmup_steps");
  settings.max_grad_norm = train.get_float("max_grad_norm");
  settings.eval_every = train.get_int("eval_every");
  return settings;
}

double scheduled_learning_rate(const TrainSettings& settings, std::int64_t step) {
  if (step < settings.warmup_steps)
    return settings.learning_rate * double(step + 1) / double(settings.warmup_steps);
  const double remaining = double(settings.steps - step);
  const double span = double(std::max<std::int64_t>(1, settings.steps - settings.warmup_steps));
  return settings.learning_rate * std::max(0.0, remaining / span);
}

namespace {

// Seeds the global CPU generator for a scope and puts its state back afterwards.
class SeededGenerator {
 public:
  explicit SeededGenerator(std::uint64_t seed) : generator_(at::detail::getDefaultCPUGenerator()) {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    saved_ = generator_.get_state();
    generator_.set_current_seed(seed);
  }
  ~SeededGenerator() {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(saved_);
  }
  SeededGenerator(const SeededGenerator&) = delete;
  SeededGenerator& operator=(const SeededGenerator&) = delete;

 private:
  at::Generator generator_;
  torch::Tensor saved_;
};

constexpr std::uint64_t kEvaluationSeed = 20220523;

}  // namespace

EvaluationRecord evaluate(MuxModel& model, const std::vector<Batch>& batches, std::int64_t step,
                          std::vector<torch::Tensor>* logits) {
  const bool was_training = model.is_training();
  model.eval();
  InferenceScope inference;
  SeededGenerator seeded(kEvaluationSeed);
  auto metric = model.task().make_metric();
  double loss_sum = 0, auxiliary_sum = 0;
  for (const Batch& batch : batches) {
    const ForwardResult result = model.forward(batch);
    loss_sum += result.loss.item<double>();
    if (result.auxiliary.loss.defined()) auxiliary_sum += result.auxiliary.loss.item<double>();
    metric->update(result.task.logits, result.task.targets, batch);
    if (logits != nullptr) logits->push_back(result.task.logits);
  }
  model.train(was_training);
  const double count = double(batches.size());
  EvaluationRecord record{step, batches.empty() ? std::nan("") : loss_sum / count, metric->compute()};
  for (const auto& [name, value] : record.metrics)
    if (metric->kind(name) == MetricKind::kCount) record.counts.push_back(name);
  if (model.auxiliary() != nullptr && !batches.empty())
    record.metrics.emplace_back(model.auxiliary_loss_name(), auxiliary_sum / count);
  return record;
}

std::vector<torch::Tensor> task_logits(MuxModel& model, const std::vector<Batch>& batches) {
  const bool was_training = model.is_training();
  model.eval();
  InferenceScope inference;
  std::vector<torch::Tensor> logits;
  for (const Batch& batch : batches) logits.push_back(model.forward(batch, false).task.logits);
  model.train(was_training);
  return logits;
}

bool is_count(const EvaluationRecord& record, const std::string& name) {
  return std::find(record.counts.begin(), record.counts.end(), name) != record.counts.end();
}

Trainer::Trainer(MuxModel& model, TrainSettings settings) : model_(model), settings_(settings) {
  for (const auto& parameter : model_.parameters())
    if (parameter.requires_grad()) trainable_.push_back(parameter);
  optimizer_ = std::make_unique<torch::optim::AdamW>(
      trainable_, torch::optim::AdamWOptions(settings_.learning_rate)
                      .weight_decay(settings_.weight_decay));
}

void Trainer::set_data_parallel(DataParallel* parallel, std::uint64_t seed) {
  parallel_ = parallel;
  seed_ = seed;
}

std::int64_t Trainer::run(TrainBatches& batches, const std::vector<Batch>& evaluation,
                          const TrainingObserver& observer, std::int64_t steps_done,
                          double seconds_done) {
  model_.train();
  const auto start = std::chrono::steady_clock::now();
  const double no_clipping = std::numeric_limits<double>::infinity();

  for (std::int64_t step = steps_done; step < settings_.steps; ++step) {
    const double learning_rate = scheduled_learning_rate(settings_, step);
    for (auto& group : optimizer_->param_groups())
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learning_rate);

    if (parallel_ != nullptr) {
      parallel_->note_step(step + 1);
      DataParallel::seed_step(seed_, parallel_->rank(), step);
    }
    const Batch batch = batches.next();
    optimizer_->zero_grad();
    const ForwardResult result = model_.forward(batch);
    double loss = result.loss.item<double>();
    MetricValues losses = {{"task_loss", result.task.loss.item<double>()}};
    if (result.auxiliary.loss.defined())
      losses.emplace_back(model_.auxiliary_loss_name(), result.auxiliary.loss.item<double>());
    if (parallel_ != nullptr) {  // the global batch's loss, on every rank (a NaN stops them all)
      std::vector<double> values = {loss};
      for (const auto& part : losses) values.push_back(part.second);
      values = parallel_->average(values);
      loss = values[0];
      for (std::size_t i = 0; i < losses.size(); ++i) losses[i].second = values[i + 1];
    }
    if (!std::isfinite(loss))
      throw Error("training stopped at step " + std::to_string(step + 1) + ": the loss is " +
                  (std::isnan(loss) ? "NaN" : "infinite") + " (try a lower train.learning_rate)");
    result.loss.backward();
    if (parallel_ != nullptr) parallel_->average_gradients(trainable_);
    // Measured even when clipping is off, for the log.
    const double grad_norm = torch::nn::utils::clip_grad_norm_(
        trainable_, settings_.max_grad_norm > 0 ? settings_.max_grad_norm : no_clipping);
    optimizer_->step();

    const double elapsed =
        seconds_done +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (observer.on_step)
      observer.on_step({step + 1, loss, std::move(losses), learning_rate, grad_norm, elapsed});
    const bool last = step + 1 == settings_.steps;
    const bool due = settings_.eval_every > 0 && (step + 1) % settings_.eval_every == 0;
    if (!evaluation.empty() && (due || last) && observer.on_evaluation)
      observer.on_evaluation(evaluate(model_, evaluation, step + 1));
    if (observer.after_step) observer.after_step(step + 1);
    if (!last && observer.stop_requested && observer.stop_requested()) return step + 1;
  }
  return settings_.steps;
}

}  // namespace datamux
