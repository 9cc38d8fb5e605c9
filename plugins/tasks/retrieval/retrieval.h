#pragma once
// DataMUX's retrieval objective (the warm-up task, and the auxiliary loss while finetuning):
// for every group b and original position t, an instance k is drawn uniformly from the N of
// the group, fresh per position and per batch, and a head with its own weights predicts that
// instance's token input_ids[b*N+k, t] from its demultiplexed state tokens[b*N+k, t].
// Positions where instance k is padding are not counted. Batch::labels is not used.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "datamux/sdk/task.h"

namespace datamux::plugins::retrieval {

class Retrieval : public Task {
 public:
  Retrieval(std::int64_t hidden_size, std::int64_t vocab_size, std::uint64_t seed);

  StatesRead reads() const override { return {false, true}; }
  // states.tokens (B*N, L, d) -> logits (B, L, vocab): one row per group, position t holding
  // the prediction for the instance drawn at (b, t); targets (B, L): the drawn instance's
  // token, kIgnoreLabel where it is padding. The draw uses torch's global CPU generator (the
  // run seed fixes it, the same on every device).
  TaskOutput forward(const DemuxedStates& states, const Batch& batch) override;
  // Accuracy of the argmax against the drawn tokens (TaskOutput::targets).
  std::unique_ptr<Metric> make_metric() const override;
  std::string primary_metric() const override { return "accuracy"; }
  // The dense layer and the vocabulary projection, on the one drawn instance per group and
  // position (forward gathers before projecting).
  FlopCount flops(const FlopShape& shape) const override {
    const double d = double(hidden_size_);
    return 2.0 * double(shape.groups) * double(shape.length) * d * (d + double(vocab_size_));
  }

 private:
  std::int64_t hidden_size_;
  std::int64_t vocab_size_;
  torch::nn::Linear dense_{nullptr};       // d -> d, followed by GELU and LayerNorm
  torch::nn::LayerNorm layer_norm_{nullptr};
  torch::nn::Linear decoder_{nullptr};     // d -> vocab
};

// Token accuracy over the counted positions: "accuracy", then "positions".
class RetrievalAccuracy : public Metric {
 public:
  void update(const torch::Tensor& logits, const torch::Tensor& targets, const Batch& batch) override;
  MetricValues compute() const override;
  MetricKind kind(const std::string& name) const override;  // "positions" is a count

 private:
  std::int64_t correct_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace datamux::plugins::retrieval
