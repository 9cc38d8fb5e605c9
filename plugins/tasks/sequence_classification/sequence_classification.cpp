#include "sequence_classification.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "datamux/sdk/error.h"
#include "support/masked_loss.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::sequence_classification {

SequenceClassification::SequenceClassification(std::int64_t hidden_size, std::int64_t num_labels,
                                               double classifier_dropout, Pooling pooling,
                                               std::uint64_t seed)
    : hidden_size_(hidden_size), num_labels_(num_labels), pooling_(pooling) {
  dropout_ = register_module("dropout", torch::nn::Dropout(classifier_dropout));
  dense_ = register_module("dense", torch::nn::Linear(hidden_size, hidden_size));
  out_proj_ = register_module("out_proj", torch::nn::Linear(hidden_size, num_labels));
  // Normal(0, 0.02) weights and zero biases as in RoBERTa, from this component's own seed.
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  for (auto* linear : {dense_.get(), out_proj_.get()}) {
    linear->weight.normal_(0.0, 0.02, gen);
    linear->bias.zero_();
  }
}

torch::Tensor SequenceClassification::sentence_states(const DemuxedStates& states,
                                                      const Batch& batch) const {
  if (pooling_ == Pooling::kCls) {
    const auto& x = states.sentence;
    if (!x.defined() || x.dim() != 2 || x.size(1) != hidden_size_)
      throw Error("sequence_classification: expected (rows, " + std::to_string(hidden_size_) +
                  ") sentence states, got " + (x.defined() ? support::shape_text(x) : "none"));
    return x;
  }
  const auto& tokens = states.tokens;
  if (!tokens.defined() || tokens.dim() != 3 || tokens.size(2) != hidden_size_)
    throw Error("sequence_classification: pooling 'mean' expected (rows, length, " +
                std::to_string(hidden_size_) + ") token states, got " +
                (tokens.defined() ? support::shape_text(tokens) : "none"));
  const auto& mask = batch.attention_mask;
  if (!mask.defined() || mask.dim() != 2 || mask.size(0) != tokens.size(0) ||
      mask.size(1) != tokens.size(1))
    throw Error("sequence_classification: pooling 'mean' needs a (rows, length) attention mask "
                "for token states of shape " + support::shape_text(tokens) + ", got " +
                (mask.defined() ? support::shape_text(mask) : "none"));
  // Each instance's own real tokens only: its padding positions hold the other instances'.
  const auto weights = mask.to(tokens.device(), tokens.scalar_type()).unsqueeze(-1);
  return (tokens * weights).sum(1) / weights.sum(1).clamp_min(1);
}

TaskOutput SequenceClassification::forward(const DemuxedStates& states, const Batch& batch) {
  const torch::Tensor x = sentence_states(states, batch);
  TaskOutput out;
  auto h = torch::tanh(dense_->forward(dropout_->forward(x)));
  out.logits = out_proj_->forward(dropout_->forward(h));
  if (!batch.labels.defined()) return out;  // prediction only

  const auto labels = batch.labels.to(out.logits.device(), torch::kLong).reshape({-1});
  if (labels.size(0) != out.logits.size(0))
    throw Error("sequence_classification: " + std::to_string(labels.size(0)) + " labels for " +
                std::to_string(out.logits.size(0)) + " instances");
  out.targets = labels;
  out.loss = support::masked_cross_entropy(out.logits, labels);
  return out;
}

std::unique_ptr<Metric> SequenceClassification::make_metric() const {
  return std::make_unique<AccuracyMetric>(num_labels_);
}

void AccuracyMetric::update(const torch::Tensor& logits, const torch::Tensor& targets,
                            const Batch& /*batch*/) {
  if (!targets.defined()) return;
  torch::NoGradGuard no_grad;
  auto predictions = logits.argmax(-1).reshape({-1}).to(torch::kCPU, torch::kLong).contiguous();
  auto labels = targets.reshape({-1}).to(torch::kCPU, torch::kLong).contiguous();
  if (labels.size(0) != predictions.size(0))
    throw Error("sequence_classification: " + std::to_string(labels.size(0)) + " labels for " +
                std::to_string(predictions.size(0)) + " predictions");
  const auto* label = labels.data_ptr<std::int64_t>();
  const auto* predicted = predictions.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < labels.size(0); ++i)
    if (label[i] != kIgnoreLabel) counter_.add(label[i], predicted[i]);
}

MetricValues AccuracyMetric::compute() const {
  MetricValues values{{"accuracy", counter_.accuracy()}};
  if (num_labels_ == 2) values.emplace_back("f1", counter_.f1());
  values.emplace_back("examples", static_cast<double>(counter_.examples()));
  return values;
}

MetricKind AccuracyMetric::kind(const std::string& name) const {
  return name == "examples" ? MetricKind::kCount : MetricKind::kScore;
}

}  // namespace datamux::plugins::sequence_classification
