#pragma once
// An ALBERT-style encoder trained from scratch: a factorised embedding (vocabulary -> E,
// projected to d) and cross-layer parameter sharing (num_layers applications of
// num_hidden_groups groups of inner_group_num layers), split into the two halves DataMUX needs.
#include <cstdint>
#include <vector>

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

#include "config.h"
#include "datamux/sdk/backbone.h"
#include "transformer/embeddings.h"
#include "transformer/encoder_layer.h"

namespace datamux::plugins::albert {

class AlbertBackbone : public Backbone {
 public:
  explicit AlbertBackbone(const AlbertConfig& config);

  std::int64_t hidden_size() const override { return config_.hidden_size; }
  // (B*N, L') ids -> (B*N, L', d). The E -> d projection happens here, per instance, so the
  // multiplexer mixes in d-space. With albert-base, E = d = 768, so the mixture has the same
  // width as in the reference; note that HF ALBERT, which the reference wraps, applies its
  // E -> d map at the start of the encoder, i.e. after mixing.
  torch::Tensor embed(const torch::Tensor& input_ids) override;
  torch::Tensor encode(const torch::Tensor& mixed, const torch::Tensor& mask) override;
  // The E -> d projection of every instance's embeddings.
  FlopCount embed_flops(const FlopShape& shape) const override;
  FlopCount encode_flops(const FlopShape& shape) const override;

  // The group that layer application i uses (HF ALBERT: i * num_hidden_groups / num_layers).
  std::int64_t group_of(std::int64_t layer) const {
    return layer * config_.num_hidden_groups / config_.num_layers;
  }

 private:
  // BERT initialisation, drawn from this component's own seed.
  void reset_parameters();

  AlbertConfig config_;
  transformer::Embeddings embeddings_;           // token + position, E wide
  torch::nn::Linear embed_projection_{nullptr};  // E -> d
  torch::nn::ModuleList group_list_{nullptr};  // owns the layers, names them groups.<g>.<j>
  std::vector<std::vector<transformer::EncoderLayer>> groups_;  // the same, typed for forward()
};

}  // namespace datamux::plugins::albert
