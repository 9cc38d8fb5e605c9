#pragma once
// A RoBERTa-style encoder trained from scratch, split into the two halves DataMUX needs:
// per-instance embedding, and encoding of the multiplexed mixture.
#include <cstdint>
#include <vector>

#include <torch/nn/modules/container/modulelist.h>

#include "config.h"
#include "datamux/sdk/backbone.h"
#include "transformer/embeddings.h"
#include "transformer/encoder_layer.h"

namespace datamux::plugins::roberta {

class RobertaBackbone : public Backbone {
 public:
  explicit RobertaBackbone(const RobertaConfig& config);

  std::int64_t hidden_size() const override { return config_.hidden_size; }
  torch::Tensor embed(const torch::Tensor& input_ids) override;
  torch::Tensor encode(const torch::Tensor& mixed, const torch::Tensor& mask) override;
  // Embedding look-ups and position sums only: no counted FLOPs.
  FlopCount embed_flops(const FlopShape&) const override { return 0.0; }
  FlopCount encode_flops(const FlopShape& shape) const override;

 private:
  // BERT/RoBERTa initialisation, drawn from this component's own seed.
  void reset_parameters();

  RobertaConfig config_;
  transformer::Embeddings embeddings_;  // token + position, d wide
  torch::nn::ModuleList layer_list_{nullptr};  // owns the layers, names them layers.<i>
  std::vector<transformer::EncoderLayer> layers_;  // the same layers, typed for forward()
};

}  // namespace datamux::plugins::roberta
