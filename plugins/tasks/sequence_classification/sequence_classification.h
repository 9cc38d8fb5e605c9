#pragma once
// Sentence classification with RoBERTa's classification head, on one demultiplexed sentence
// state per instance.
#include <cstdint>
#include <memory>
#include <string>

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "datamux/sdk/metrics.h"
#include "datamux/sdk/task.h"

namespace datamux::plugins::sequence_classification {

class SequenceClassification : public Task {
 public:
  SequenceClassification(std::int64_t hidden_size, std::int64_t num_labels,
                         double classifier_dropout, std::uint64_t seed);

  Granularity granularity() const override { return Granularity::kSentence; }
  TaskOutput forward(const DemuxedStates& states, const Batch& batch) override;
  std::unique_ptr<Metric> make_metric() const override;
  std::string primary_metric() const override { return "accuracy"; }

 private:
  std::int64_t hidden_size_;
  std::int64_t num_labels_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear dense_{nullptr};     // d -> d, followed by tanh
  torch::nn::Linear out_proj_{nullptr};  // d -> num_labels
};

// Over the rows whose label is not kIgnoreLabel: accuracy, then, for two labels, the F1 of
// label 1 (GLUE's second metric for QQP and MRPC), then the number of examples.
class AccuracyMetric : public Metric {
 public:
  explicit AccuracyMetric(std::int64_t num_labels) : num_labels_(num_labels) {}
  void update(const torch::Tensor& logits, const Batch& batch) override;
  MetricValues compute() const override;

 private:
  std::int64_t num_labels_;
  metrics::ClassificationCounter counter_{1};
};

}  // namespace datamux::plugins::sequence_classification
