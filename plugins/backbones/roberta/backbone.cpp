#include "backbone.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"
#include "transformer/init.h"
#include "transformer/key_mask.h"

namespace datamux::plugins::roberta {
namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "(";
  for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
  return text + ")";
}

}  // namespace

RobertaBackbone::RobertaBackbone(const RobertaConfig& config) : config_(config) {
  const auto d = config.hidden_size;
  word_embeddings_ = register_module(
      "word_embeddings",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(config.vocab_size, d).padding_idx(config.pad_id)));
  position_embeddings_ =
      register_module("position_embeddings", torch::nn::Embedding(config.max_positions, d));
  embed_norm_ = register_module(
      "embed_norm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(config.layer_norm_eps)));
  embed_dropout_ = register_module("embed_dropout", torch::nn::Dropout(config.dropout));
  layer_list_ = register_module("layers", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < config.num_layers; ++i) {
    layers_.emplace_back(config.layer());
    layer_list_->push_back(layers_.back());
  }
  reset_parameters();
}

void RobertaBackbone::reset_parameters() {
  // A private generator makes the initial weights depend only on this component's seed, not
  // on how much of the global random stream other components consumed first.
  auto gen = at::detail::createCPUGenerator(config_.seed);
  transformer::init_bert_weights(*this, gen);
}

torch::Tensor RobertaBackbone::embed(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2)
    throw Error("roberta: embed expects (rows, length) token ids, got " + shape_text(input_ids));
  const auto length = input_ids.size(1);
  if (length > config_.max_positions)
    throw Error("roberta: input length " + std::to_string(length) + " exceeds max_positions " +
                std::to_string(config_.max_positions));
  // Positions are added here; the reference adds them a second time in the encoder, which
  // encode() reproduces only when double_position_embeddings is set.
  auto positions = torch::arange(length, input_ids.options().dtype(torch::kLong));
  auto x = word_embeddings_->forward(input_ids) + position_embeddings_->forward(positions);
  return embed_dropout_->forward(embed_norm_->forward(x));
}

torch::Tensor RobertaBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (mixed.dim() != 3 || mixed.size(2) != config_.hidden_size)
    throw Error("roberta: encode expects (groups, length, " + std::to_string(config_.hidden_size) +
                ") input, got " + shape_text(mixed));
  const auto key_mask = transformer::make_key_mask(mask, mixed, config_.attention_mask, "roberta");
  auto x = mixed;
  if (config_.double_position_embeddings) {
    const auto length = mixed.size(1);
    if (length > config_.max_positions)
      throw Error("roberta: input length " + std::to_string(length) + " exceeds max_positions " +
                  std::to_string(config_.max_positions));
    auto positions = torch::arange(length, mixed.options().dtype(torch::kLong));
    x = x + position_embeddings_->forward(positions);  // (L', d) broadcast over the groups
  }
  for (auto& layer : layers_) x = layer->forward(x, key_mask);
  return x;
}

}  // namespace datamux::plugins::roberta
