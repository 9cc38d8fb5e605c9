#include "embeddings.h"

#include <utility>

#include <torch/types.h>

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::transformer {

Embeddings::Embeddings(torch::nn::Module& owner, const EncoderConfig& config, std::int64_t width,
                       std::string who)
    : who_(std::move(who)), max_positions_(config.max_positions) {
  word_embeddings_ = owner.register_module(
      "word_embeddings",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(config.vocab_size, width).padding_idx(config.pad_id)));
  position_embeddings_ = owner.register_module(
      "position_embeddings", torch::nn::Embedding(config.max_positions, width));
  embed_norm_ = owner.register_module(
      "embed_norm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(config.layer_norm_eps)));
  embed_dropout_ = owner.register_module("embed_dropout", torch::nn::Dropout(config.dropout));
}

torch::Tensor Embeddings::forward(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2)
    throw Error(who_ + ": embed expects (rows, length) token ids, got " +
                support::shape_text(input_ids));
  const auto length = input_ids.size(1);
  check_length(length);
  auto position_ids = torch::arange(length, input_ids.options().dtype(torch::kLong));
  auto x = word_embeddings_->forward(input_ids) + position_embeddings_->forward(position_ids);
  return embed_dropout_->forward(embed_norm_->forward(x));
}

torch::Tensor Embeddings::positions(std::int64_t length, const torch::Tensor& like) {
  check_length(length);
  return position_embeddings_->forward(torch::arange(length, like.options().dtype(torch::kLong)));
}

void Embeddings::check_length(std::int64_t length) const {
  if (length > max_positions_)
    throw Error(who_ + ": input length " + std::to_string(length) + " exceeds max_positions " +
                std::to_string(max_positions_));
}

}  // namespace datamux::plugins::transformer
