#pragma once
// A GRU backbone: token embeddings, then a (bidirectional) GRU over the multiplexed mixture.
#include <torch/torch.h>

#include "datamux/sdk/backbone.h"

namespace mux_plm {

struct GruConfig {
  std::int64_t vocab_size = 0;
  std::int64_t hidden_size = 128;  // d: embeddings and outputs
  std::int64_t num_layers = 1;
  bool bidirectional = true;       // then each direction has d / 2 units
  double dropout = 0.1;
  bool use_mask = true;            // ModelContext::attention_mask: skip padding positions
};

class GruBackbone : public datamux::Backbone {
 public:
  explicit GruBackbone(const GruConfig& config);

  std::int64_t hidden_size() const override { return config_.hidden_size; }
  torch::Tensor embed(const torch::Tensor& input_ids) override;
  torch::Tensor encode(const torch::Tensor& mixed, const torch::Tensor& mask) override;

 private:
  GruConfig config_;
  torch::nn::Embedding embedding_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::GRU gru_{nullptr};
};

}  // namespace mux_plm
