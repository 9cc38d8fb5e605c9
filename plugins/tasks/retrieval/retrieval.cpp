#include "retrieval.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/activation.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "datamux/sdk/error.h"
#include "support/masked_loss.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::retrieval {

Retrieval::Retrieval(std::int64_t hidden_size, std::int64_t vocab_size, std::uint64_t seed)
    : hidden_size_(hidden_size), vocab_size_(vocab_size) {
  dense_ = register_module("dense", torch::nn::Linear(hidden_size, hidden_size));
  layer_norm_ = register_module(
      "layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden_size}).eps(1e-5)));
  decoder_ = register_module("decoder", torch::nn::Linear(hidden_size, vocab_size));
  // Normal(0, 0.02) weights and zero biases as in RoBERTa's LM head, from this component's
  // own seed; LayerNorm starts as the identity.
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  for (auto* linear : {dense_.get(), decoder_.get()}) {
    linear->weight.normal_(0.0, 0.02, gen);
    linear->bias.zero_();
  }
}

TaskOutput Retrieval::forward(const DemuxedStates& states, const Batch& batch) {
  const auto& x = states.tokens;
  if (!x.defined() || x.dim() != 3 || x.size(2) != hidden_size_)
    throw Error("retrieval: expected (rows, length, " + std::to_string(hidden_size_) +
                ") token states, got " + (x.defined() ? support::shape_text(x) : "none"));
  const std::int64_t n = batch.num_instances, rows = x.size(0), length = x.size(1);
  if (n < 1 || rows % n != 0)
    throw Error("retrieval: " + std::to_string(rows) + " rows do not form groups of " +
                std::to_string(n) + " instances");
  if (!batch.input_ids.defined() || batch.input_ids.dim() != 2 ||
      batch.input_ids.size(0) != rows || batch.input_ids.size(1) != length)
    throw Error("retrieval: input ids of shape " +
                (batch.input_ids.defined() ? support::shape_text(batch.input_ids) : "none") +
                " for token states of shape " + support::shape_text(x));
  const bool has_mask = batch.attention_mask.defined();
  if (has_mask && batch.attention_mask.sizes() != batch.input_ids.sizes())
    throw Error("retrieval: attention mask of shape " + support::shape_text(batch.attention_mask) +
                " for input ids of shape " + support::shape_text(batch.input_ids));
  const std::int64_t groups = rows / n;
  const auto device = x.device();

  // One instance per (group, position), from the global CPU generator.
  const torch::Tensor k = torch::randint(n, {groups, 1, length}, torch::kLong).to(device);
  // Gather only the B*L selected states before the vocabulary projection.
  const torch::Tensor selected =
      x.reshape({groups, n, length, hidden_size_})
          .gather(1, k.unsqueeze(-1).expand({groups, 1, length, hidden_size_}))
          .squeeze(1);  // (B, L, d)
  torch::Tensor targets =
      batch.input_ids.to(device, torch::kLong).reshape({groups, n, length}).gather(1, k).squeeze(1);
  if (has_mask) {
    const torch::Tensor real =
        batch.attention_mask.to(device, torch::kBool).reshape({groups, n, length}).gather(1, k)
            .squeeze(1);
    targets = targets.masked_fill(real.logical_not(), kIgnoreLabel);
  }

  TaskOutput out;
  namespace F = torch::nn::functional;
  const torch::Tensor h = layer_norm_->forward(F::gelu(dense_->forward(selected)));
  out.logits = decoder_->forward(h);  // (B, L, vocab)
  out.targets = targets;
  out.loss = support::masked_cross_entropy(out.logits, targets);
  return out;
}

std::unique_ptr<Metric> Retrieval::make_metric() const {
  return std::make_unique<RetrievalAccuracy>();
}

void RetrievalAccuracy::update(const torch::Tensor& logits, const torch::Tensor& drawn,
                               const Batch& /*batch*/) {
  if (!drawn.defined()) return;
  torch::NoGradGuard no_grad;
  if (logits.dim() != 3 || drawn.dim() != 2 || logits.size(0) != drawn.size(0) ||
      logits.size(1) != drawn.size(1))
    throw Error("retrieval: logits of shape " + support::shape_text(logits) +
                " for drawn targets of shape " + support::shape_text(drawn) +
                "; expected (groups, length, vocab) and (groups, length)");
  const torch::Tensor targets = drawn.to(logits.device());
  const torch::Tensor counted = targets.ne(kIgnoreLabel);
  correct_ += logits.argmax(-1).eq(targets).logical_and(counted).sum().item<std::int64_t>();
  count_ += counted.sum().item<std::int64_t>();
}

MetricValues RetrievalAccuracy::compute() const {
  const double accuracy = count_ > 0 ? static_cast<double>(correct_) / count_ : 0.0;
  return {{"accuracy", accuracy}, {"positions", static_cast<double>(count_)}};
}

MetricKind RetrievalAccuracy::kind(const std::string& name) const {
  return name == "positions" ? MetricKind::kCount : MetricKind::kScore;
}

}  // namespace datamux::plugins::retrieval
