#pragma once
// Sentence classification with RoBERTa's classification head, on one demultiplexed sentence
// state per instance: the demultiplexer's (the reference's CLS slot), or the mean of the
// instance's demultiplexed token states.
//
// Why `mean` exists: the CLS slot holds a constant token, so the backbone must first learn to
// gather each instance's sentence into it, and only the task loss teaches that. The auxiliary
// retrieval loss pulls the shared backbone the other way (every position keeps its own
// tokens), so a small model sits at chance for hundreds of steps before it finds the route.
// The demultiplexed token states are what the retrieval warm-up trained; their mean carries
// the instance's words from the first step.
#include <cstdint>
#include <memory>
#include <string>

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "datamux/sdk/metrics.h"
#include "datamux/sdk/task.h"

namespace datamux::plugins::sequence_classification {

enum class Pooling { kCls, kMean };

class SequenceClassification : public Task {
 public:
  SequenceClassification(std::int64_t hidden_size, std::int64_t num_labels,
                         double classifier_dropout, Pooling pooling, std::uint64_t seed);

  // Mean pooling reads the token states only, cls the sentence states only.
  StatesRead reads() const override {
    return pooling_ == Pooling::kMean ? StatesRead{false, true} : StatesRead{true, false};
  }
  TaskOutput forward(const DemuxedStates& states, const Batch& batch) override;
  std::unique_ptr<Metric> make_metric() const override;
  std::string primary_metric() const override { return "accuracy"; }
  // The dense layer and the output projection per instance (pooling is a sum: not counted).
  FlopCount flops(const FlopShape& shape) const override {
    const double d = double(hidden_size_);
    return 2.0 * double(shape.groups * shape.num_instances) * d * (d + double(num_labels_));
  }

 private:
  // (rows, d) sentence states: the demultiplexer's, or the masked mean of the token states.
  torch::Tensor sentence_states(const DemuxedStates& states, const Batch& batch) const;

  std::int64_t hidden_size_;
  std::int64_t num_labels_;
  Pooling pooling_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear dense_{nullptr};     // d -> d, followed by tanh
  torch::nn::Linear out_proj_{nullptr};  // d -> num_labels
};

// Over the rows whose label is not kIgnoreLabel: accuracy, then, for two labels, the F1 of
// label 1 (GLUE's second metric for QQP and MRPC), then the number of examples.
class AccuracyMetric : public Metric {
 public:
  explicit AccuracyMetric(std::int64_t num_labels) : num_labels_(num_labels) {}
  void update(const torch::Tensor& logits, const torch::Tensor& targets, const Batch& batch) override;
  MetricValues compute() const override;
  MetricKind kind(const std::string& name) const override;  // "examples" is a count

 private:
  std::int64_t num_labels_;
  metrics::ClassificationCounter counter_{1};
};

}  // namespace datamux::plugins::sequence_classification
