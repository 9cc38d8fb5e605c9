#include "backbone.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"
#include "transformer/init.h"
#include "transformer/key_mask.h"

namespace datamux::plugins::albert {
namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "(";
  for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
  return text + ")";
}

}  // namespace

AlbertBackbone::AlbertBackbone(const AlbertConfig& config) : config_(config) {
  const auto e = config.embedding_size;
  word_embeddings_ = register_module(
      "word_embeddings",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(config.vocab_size, e).padding_idx(config.pad_id)));
  position_embeddings_ =
      register_module("position_embeddings", torch::nn::Embedding(config.max_positions, e));
  embed_norm_ = register_module(
      "embed_norm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({e}).eps(config.layer_norm_eps)));
  embed_dropout_ = register_module("embed_dropout", torch::nn::Dropout(config.dropout));
  embed_projection_ =
      register_module("embed_projection", torch::nn::Linear(e, config.hidden_size));
  // Parameters exist once per group, however many layer applications share them.
  group_list_ = register_module("groups", torch::nn::ModuleList());
  groups_.resize(config.num_hidden_groups);
  for (auto& group : groups_) {
    torch::nn::ModuleList members;
    for (std::int64_t j = 0; j < config.inner_group_num; ++j) {
      group.emplace_back(config.layer());
      members->push_back(group.back());
    }
    group_list_->push_back(members);
  }
  reset_parameters();
}

void AlbertBackbone::reset_parameters() {
  // A private generator makes the initial weights depend only on this component's seed.
  auto gen = at::detail::createCPUGenerator(config_.seed);
  transformer::init_bert_weights(*this, gen);
}

torch::Tensor AlbertBackbone::embed(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2)
    throw Error("albert: embed expects (rows, length) token ids, got " + shape_text(input_ids));
  const auto length = input_ids.size(1);
  if (length > config_.max_positions)
    throw Error("albert: input length " + std::to_string(length) + " exceeds max_positions " +
                std::to_string(config_.max_positions));
  auto positions = torch::arange(length, input_ids.options().dtype(torch::kLong));
  auto x = word_embeddings_->forward(input_ids) + position_embeddings_->forward(positions);
  x = embed_dropout_->forward(embed_norm_->forward(x));  // (B*N, L', E)
  return embed_projection_->forward(x);                  // (B*N, L', d)
}

torch::Tensor AlbertBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (mixed.dim() != 3 || mixed.size(2) != config_.hidden_size)
    throw Error("albert: encode expects (groups, length, " + std::to_string(config_.hidden_size) +
                ") input, got " + shape_text(mixed));
  const auto key_mask = transformer::make_key_mask(mask, mixed, config_.attention_mask, "albert");
  auto x = mixed;
  for (std::int64_t i = 0; i < config_.num_layers; ++i)
    for (auto& layer : groups_[group_of(i)]) x = layer->forward(x, key_mask);
  return x;
}

}  // namespace datamux::plugins::albert
