#include "gru_backbone.h"

#include <torch/nn/utils/rnn.h>
#include <torch/torch.h>

namespace mux_plm {

GruBackbone::GruBackbone(const GruConfig& config) : config_(config) {
  const std::int64_t units = config.bidirectional ? config.hidden_size / 2 : config.hidden_size;
  embedding_ = register_module(
      "embedding", torch::nn::Embedding(config.vocab_size, config.hidden_size));
  dropout_ = register_module("dropout", torch::nn::Dropout(config.dropout));
  gru_ = register_module(
      "gru", torch::nn::GRU(torch::nn::GRUOptions(config.hidden_size, units)
                                .num_layers(config.num_layers)
                                .bidirectional(config.bidirectional)
                                .batch_first(true)
                                .dropout(config.num_layers > 1 ? config.dropout : 0.0)));
}

// A recurrence sees positions through its order, so the embedding carries none of its own.
torch::Tensor GruBackbone::embed(const torch::Tensor& input_ids) {
  return dropout_(embedding_(input_ids));
}

torch::Tensor GruBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (!config_.use_mask) return std::get<0>(gru_(mixed));
  // Instances are padded on the right, so a group's real positions are a prefix: packing by
  // length keeps the backward direction from reading the padding first.
  const torch::Tensor lengths = mask.sum(1).clamp_min(1).to(torch::kCPU, torch::kLong);
  const auto packed = torch::nn::utils::rnn::pack_padded_sequence(
      mixed, lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  const auto output = std::get<0>(gru_->forward_with_packed_input(packed));
  return std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(
      output, /*batch_first=*/true, /*padding_value=*/0.0, mixed.size(1)));
}

}  // namespace mux_plm
