#include "backbone.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "datamux/sdk/error.h"

namespace datamux::plugins::roberta {
namespace {

constexpr double kInitStd = 0.02;

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
    layers_.emplace_back(config);
    layer_list_->push_back(layers_.back());
  }
  reset_parameters();
}

void RobertaBackbone::reset_parameters() {
  torch::NoGradGuard no_grad;
  // A private generator makes the initial weights depend only on this component's seed, not
  // on how much of the global random stream other components consumed first.
  auto gen = at::detail::createCPUGenerator(config_.seed);
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      linear->weight.normal_(0.0, kInitStd, gen);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = module->as<torch::nn::EmbeddingImpl>()) {
      embedding->weight.normal_(0.0, kInitStd, gen);
      // The pad row stays zero, as nn.Embedding(padding_idx) starts it.
      if (embedding->options.padding_idx()) embedding->weight[*embedding->options.padding_idx()].zero_();
    } else if (auto* norm = module->as<torch::nn::LayerNormImpl>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  }
}

torch::Tensor RobertaBackbone::embed(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2)
    throw Error("roberta: embed expects (rows, length) token ids, got " + shape_text(input_ids));
  const auto length = input_ids.size(1);
  if (length > config_.max_positions)
    throw Error("roberta: input length " + std::to_string(length) + " exceeds max_positions " +
                std::to_string(config_.max_positions));
  // Positions are added exactly once here (the reference adds them a second time in the
  // encoder; we do not reproduce that).
  auto positions = torch::arange(length, input_ids.options().dtype(torch::kLong));
  auto x = word_embeddings_->forward(input_ids) + position_embeddings_->forward(positions);
  return embed_dropout_->forward(embed_norm_->forward(x));
}

torch::Tensor RobertaBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (mixed.dim() != 3 || mixed.size(2) != config_.hidden_size)
    throw Error("roberta: encode expects (groups, length, " + std::to_string(config_.hidden_size) +
                ") input, got " + shape_text(mixed));
  torch::Tensor key_mask;  // undefined: attend to every position, pads included
  if (config_.attention_mask && mask.defined()) {
    if (mask.dim() != 2 || mask.size(0) != mixed.size(0) || mask.size(1) != mixed.size(1))
      throw Error("roberta: mask " + shape_text(mask) + " does not match input " +
                  shape_text(mixed));
    key_mask = mask.dtype() == torch::kBool ? mask : mask.ne(0);
    // A group with no real position at all would softmax over nothing; let it see everything.
    key_mask = key_mask.logical_or(key_mask.any(1, /*keepdim=*/true).logical_not());
    key_mask = key_mask.view({mixed.size(0), 1, 1, mixed.size(1)});
  }
  auto x = mixed;
  for (auto& layer : layers_) x = layer->forward(x, key_mask);
  return x;
}

}  // namespace datamux::plugins::roberta
