#include "datamux/core/trainer.h"

#include <chrono>
#include <cmath>

#include <torch/torch.h>

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

EvaluationRecord evaluate(MuxModel& model, const std::vector<Batch>& batches, std::int64_t step,
                          std::vector<torch::Tensor>* logits) {
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  auto metric = model.task().make_metric();
  double loss_sum = 0, retrieval_sum = 0;
  for (const Batch& batch : batches) {
    const ForwardResult result = model.forward(batch);
    loss_sum += result.loss.item<double>();
    if (result.retrieval.loss.defined()) retrieval_sum += result.retrieval.loss.item<double>();
    metric->update(result.task.logits, batch);
    if (logits != nullptr) logits->push_back(result.task.logits);
  }
  model.train(was_training);
  const double count = double(batches.size());
  EvaluationRecord record{step, batches.empty() ? std::nan("") : loss_sum / count, metric->compute()};
  if (model.retrieval() != nullptr && !batches.empty())
    record.metrics.emplace_back("retrieval_loss", retrieval_sum / count);
  return record;
}

Trainer::Trainer(MuxModel& model, TrainSettings settings)
    : model_(model), settings_(settings) {}

void Trainer::run(TrainBatches& batches, const std::vector<Batch>& evaluation,
                  const TrainingObserver& observer) {
  std::vector<torch::Tensor> trainable;
  for (const auto& parameter : model_.parameters())
    if (parameter.requires_grad()) trainable.push_back(parameter);
  torch::optim::AdamW optimizer(
      trainable, torch::optim::AdamWOptions(settings_.learning_rate)
                     .weight_decay(settings_.weight_decay));
  model_.train();
  const auto start = std::chrono::steady_clock::now();

  for (std::int64_t step = 0; step < settings_.steps; ++step) {
    const double learning_rate = scheduled_learning_rate(settings_, step);
    for (auto& group : optimizer.param_groups())
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learning_rate);

    const Batch batch = batches.next();
    optimizer.zero_grad();
    const ForwardResult result = model_.forward(batch);
    const double loss = result.loss.item<double>();
    if (!std::isfinite(loss))
      throw Error("training stopped at step " + std::to_string(step + 1) + ": the loss is " +
                  (std::isnan(loss) ? "NaN" : "infinite") + " (try a lower train.learning_rate)");
    result.loss.backward();
    const double grad_norm =
        settings_.max_grad_norm > 0
            ? torch::nn::utils::clip_grad_norm_(trainable, settings_.max_grad_norm)
            : torch::nn::utils::clip_grad_norm_(trainable, std::numeric_limits<double>::infinity());
    optimizer.step();

    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (observer.on_step) {
      MetricValues losses = {{"task_loss", result.task.loss.item<double>()}};
      if (result.retrieval.loss.defined())
        losses.emplace_back("retrieval_loss", result.retrieval.loss.item<double>());
      observer.on_step({step + 1, loss, std::move(losses), learning_rate, grad_norm, elapsed});
    }
    const bool last = step + 1 == settings_.steps;
    const bool due = settings_.eval_every > 0 && (step + 1) % settings_.eval_every == 0;
    if (!evaluation.empty() && (due || last) && observer.on_evaluation)
      observer.on_evaluation(evaluate(model_, evaluation, step + 1));
  }
}

}  // namespace datamux
