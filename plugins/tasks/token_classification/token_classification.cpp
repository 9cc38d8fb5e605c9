#include "token_classification.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "datamux/sdk/error.h"
#include "support/masked_loss.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::token_classification {

TokenClassification::TokenClassification(std::int64_t hidden_size,
                                         std::vector<std::string> label_names,
                                         double classifier_dropout, std::uint64_t seed)
    : hidden_size_(hidden_size), label_names_(std::move(label_names)) {
  const auto num_labels = static_cast<std::int64_t>(label_names_.size());
  dropout_ = register_module("dropout", torch::nn::Dropout(classifier_dropout));
  classifier_ = register_module("classifier", torch::nn::Linear(hidden_size, num_labels));
  // Normal(0, 0.02) weights and zero biases as in RoBERTa, from this component's own seed.
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  classifier_->weight.normal_(0.0, 0.02, gen);
  classifier_->bias.zero_();
}

TaskOutput TokenClassification::forward(const DemuxedStates& states, const Batch& batch) {
  const auto& x = states.tokens;
  if (!x.defined() || x.dim() != 3 || x.size(2) != hidden_size_)
    throw Error("token_classification: expected (rows, length, " + std::to_string(hidden_size_) +
                ") token states, got " + (x.defined() ? support::shape_text(x) : "none"));
  TaskOutput out;
  out.logits = classifier_->forward(dropout_->forward(x));  // (B*N, L, C)
  if (!batch.labels.defined()) return out;  // prediction only

  const auto labels = batch.labels.to(out.logits.device(), torch::kLong);
  if (labels.dim() != 2 || labels.size(0) != x.size(0) || labels.size(1) != x.size(1))
    throw Error("token_classification: labels of shape " + support::shape_text(labels) +
                " for token states of shape " + support::shape_text(x) + "; expected (rows, length)");
  out.targets = labels;
  out.loss = support::masked_cross_entropy(out.logits, labels);
  return out;
}

std::unique_ptr<Metric> TokenClassification::make_metric() const {
  return std::make_unique<ChunkMetric>(label_names_);
}

void ChunkMetric::update(const torch::Tensor& logits, const torch::Tensor& targets,
                         const Batch& batch) {
  if (!targets.defined()) return;
  torch::NoGradGuard no_grad;
  const auto num_labels = static_cast<std::int64_t>(label_names_.size());
  if (logits.dim() != 3 || logits.size(2) != num_labels)
    throw Error("token_classification: logits of shape " + support::shape_text(logits) + " for " +
                std::to_string(num_labels) + " tags; expected (rows, length, tags)");
  const auto predictions = logits.argmax(-1).to(torch::kCPU, torch::kLong).contiguous();
  const auto labels = targets.to(torch::kCPU, torch::kLong).contiguous();
  if (labels.sizes() != predictions.sizes())
    throw Error("token_classification: labels of shape " + support::shape_text(labels) +
                " for predictions of shape " + support::shape_text(predictions));
  const std::int64_t rows = labels.size(0), length = labels.size(1);
  // Words cut off by truncation belong to the sentence too (see Batch::truncated_labels).
  torch::Tensor cut;
  if (batch.truncated_labels.defined()) {
    cut = batch.truncated_labels.to(torch::kCPU, torch::kLong).contiguous();
    if (cut.dim() != 2 || cut.size(0) != rows)
      throw Error("token_classification: truncated labels of shape " + support::shape_text(cut) +
                  " for " + std::to_string(rows) + " rows; expected (rows, words)");
  }
  const std::int64_t cut_width = cut.defined() ? cut.size(1) : 0;
  const auto* label = labels.data_ptr<std::int64_t>();
  const auto* predicted = predictions.data_ptr<std::int64_t>();
  const auto* cut_label = cut.defined() ? cut.data_ptr<std::int64_t>() : nullptr;
  auto tag_of = [&](std::int64_t id) -> const std::string& {
    if (id < 0 || id >= num_labels)
      throw Error("token_classification: label " + std::to_string(id) + " is outside the " +
                  std::to_string(num_labels) + " tags");
    return label_names_[static_cast<std::size_t>(id)];
  };
  std::vector<std::string> gold, guess;
  for (std::int64_t row = 0; row < rows; ++row) {
    gold.clear();
    guess.clear();
    for (std::int64_t t = row * length; t < (row + 1) * length; ++t) {
      if (label[t] == kIgnoreLabel) continue;
      gold.push_back(tag_of(label[t]));
      guess.push_back(label_names_[static_cast<std::size_t>(predicted[t])]);
    }
    for (std::int64_t w = row * cut_width; w < (row + 1) * cut_width; ++w) {
      if (cut_label[w] == kIgnoreLabel) continue;
      gold.push_back(tag_of(cut_label[w]));
      guess.push_back(kUnseenTag);
    }
    if (!gold.empty()) counter_.add_sentence(gold, guess);
  }
}

MetricValues ChunkMetric::compute() const {
  const metrics::ChunkCounts counts = counter_.overall();
  return {{"precision", counts.precision()},
          {"recall", counts.recall()},
          {"f1", counts.f1()},
          {"token_accuracy", counter_.token_accuracy()},
          {"sentences", static_cast<double>(counter_.sentences())}};
}

MetricKind ChunkMetric::kind(const std::string& name) const {
  return name == "sentences" ? MetricKind::kCount : MetricKind::kScore;
}

}  // namespace datamux::plugins::token_classification
