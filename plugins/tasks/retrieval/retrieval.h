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

// What the latest forward drew, for the metric: the logits it returned and their targets.
struct Draw {
  const void* logits_data = nullptr;  // identifies the logits (never dereferenced)
  std::vector<std::int64_t> logits_shape;
  torch::Tensor targets;  // (B, L) int64: the drawn instance's token, kIgnoreLabel at its pads
};

class Retrieval : public Task {
 public:
  Retrieval(std::int64_t hidden_size, std::int64_t vocab_size, std::uint64_t seed);

  Granularity granularity() const override { return Granularity::kToken; }
  // states.tokens (B*N, L, d) -> logits (B, L, vocab): one row per group, position t holding
  // the prediction for the instance drawn at (b, t). The draw uses torch's global CPU
  // generator (the run seed fixes it, the same on every device).
  TaskOutput forward(const DemuxedStates& states, const Batch& batch) override;
  // Accuracy of the argmax against the drawn tokens. The metric reads the draw of this head's
  // latest forward, so update() must get the logits that forward returned.
  std::unique_ptr<Metric> make_metric() const override;
  std::string primary_metric() const override { return "accuracy"; }
  // The dense layer and the vocabulary projection, on the one drawn instance per group and
  // position (forward gathers before projecting).
  FlopCount flops(const FlopShape& shape) const override {
    const double d = double(hidden_size_);
    return 2.0 * double(shape.groups) * double(shape.length) * d * (d + double(vocab_size_));
  }

  // The draw of the latest forward (targets undefined before the first).
  const Draw& last_draw() const { return *draw_; }

 private:
  std::int64_t hidden_size_;
  std::int64_t vocab_size_;
  std::shared_ptr<Draw> draw_ = std::make_shared<Draw>();
  torch::nn::Linear dense_{nullptr};       // d -> d, followed by GELU and LayerNorm
  torch::nn::LayerNorm layer_norm_{nullptr};
  torch::nn::Linear decoder_{nullptr};     // d -> vocab
};

// Token accuracy over the counted positions: "accuracy", then "positions".
class RetrievalAccuracy : public Metric {
 public:
  explicit RetrievalAccuracy(std::shared_ptr<const Draw> draw) : draw_(std::move(draw)) {}
  void update(const torch::Tensor& logits, const Batch& batch) override;
  MetricValues compute() const override;
  MetricKind kind(const std::string& name) const override;  // "positions" is a count

 private:
  std::shared_ptr<const Draw> draw_;
  std::int64_t correct_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace datamux::plugins::retrieval
