#pragma once
// Token classification (NER): a linear head on every demultiplexed token state. Only the
// first sub-token of each word carries a label; the others hold kIgnoreLabel and are skipped
// by the loss and the metric.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "datamux/sdk/metrics.h"
#include "datamux/sdk/task.h"

namespace datamux::plugins::token_classification {

class TokenClassification : public Task {
 public:
  TokenClassification(std::int64_t hidden_size, std::vector<std::string> label_names,
                      double classifier_dropout, std::uint64_t seed);

  StatesRead reads() const override { return {false, true}; }
  // states.tokens (B*N, L, d) -> logits (B*N, L, C); loss: cross-entropy over the labelled
  // positions of batch.labels (B*N, L).
  TaskOutput forward(const DemuxedStates& states, const Batch& batch) override;
  std::unique_ptr<Metric> make_metric() const override;
  std::string primary_metric() const override { return "f1"; }
  // The classifier at every position of every instance.
  FlopCount flops(const FlopShape& shape) const override {
    return 2.0 * double(shape.groups * shape.num_instances) * double(shape.length) *
           double(hidden_size_) * double(label_names_.size());
  }

 private:
  std::int64_t hidden_size_;
  std::vector<std::string> label_names_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear classifier_{nullptr};  // d -> num_labels
};

// conlleval's entity-level scores. Each row is one sentence: its labelled positions, in
// order, give the gold and the predicted tag sequences (label ids mapped to names), followed
// by the words truncation cut off (Batch::truncated_labels), predicted kUnseenTag. Rows
// without any word (padding instances) are skipped.
constexpr const char* kUnseenTag = "O";

class ChunkMetric : public Metric {
 public:
  explicit ChunkMetric(std::vector<std::string> label_names)
      : label_names_(std::move(label_names)) {}
  // targets: the (rows, length) labels; batch: its truncated_labels.
  void update(const torch::Tensor& logits, const torch::Tensor& targets, const Batch& batch) override;
  // precision, recall, f1, token_accuracy, sentences
  MetricValues compute() const override;
  MetricKind kind(const std::string& name) const override;  // "sentences" is a count

 private:
  std::vector<std::string> label_names_;
  metrics::ConllCounter counter_;
};

}  // namespace datamux::plugins::token_classification
