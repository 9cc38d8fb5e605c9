#pragma once
// The embedding both transformer backbones start with: LayerNorm(token + learned position),
// then dropout. Its modules are registered on the backbone itself, under the names checkpoints
// use (word_embeddings, position_embeddings, embed_norm, embed_dropout), not on a submodule.
#include <cstdint>
#include <string>

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>

#include "encoder_config.h"

namespace datamux::plugins::transformer {

class Embeddings {
 public:
  // Registers the four modules on `owner`, in that order (the initialisation draws in
  // registration order), each `width` wide. `who` starts the messages of shape errors.
  Embeddings(torch::nn::Module& owner, const EncoderConfig& config, std::int64_t width,
             std::string who);

  // (rows, L) token ids -> (rows, L, width).
  torch::Tensor forward(const torch::Tensor& input_ids);

  // The (L, width) embeddings of positions 0 .. L-1, on `like`'s device; throws datamux::Error
  // when L exceeds max_positions.
  torch::Tensor positions(std::int64_t length, const torch::Tensor& like);

 private:
  void check_length(std::int64_t length) const;  // against max_positions

  std::string who_;
  std::int64_t max_positions_;
  torch::nn::Embedding word_embeddings_{nullptr};      // vocabulary -> width
  torch::nn::Embedding position_embeddings_{nullptr};  // positions -> width
  torch::nn::LayerNorm embed_norm_{nullptr};           // over width
  torch::nn::Dropout embed_dropout_{nullptr};
};

}  // namespace datamux::plugins::transformer
