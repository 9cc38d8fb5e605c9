#include "backbone.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"
#include "transformer/flops.h"
#include "transformer/init.h"
#include "transformer/key_mask.h"

namespace datamux::plugins::albert {

AlbertBackbone::AlbertBackbone(const AlbertConfig& config)
    : config_(config), embeddings_(*this, config, config.embedding_size, "albert") {
  embed_projection_ = register_module(
      "embed_projection", torch::nn::Linear(config.embedding_size, config.hidden_size));
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
  auto x = embeddings_.forward(input_ids);  // (B*N, L', E)
  return embed_projection_->forward(x);     // (B*N, L', d)
}

torch::Tensor AlbertBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (mixed.dim() != 3 || mixed.size(2) != config_.hidden_size)
    throw Error("albert: encode expects (groups, length, " + std::to_string(config_.hidden_size) +
                ") input, got " + support::shape_text(mixed));
  const auto key_mask = transformer::make_key_mask(mask, mixed, config_.attention_mask, "albert");
  auto x = mixed;
  for (std::int64_t i = 0; i < config_.num_layers; ++i)
    for (auto& layer : groups_[group_of(i)]) x = layer->forward(x, key_mask);
  return x;
}

FlopCount AlbertBackbone::embed_flops(const FlopShape& shape) const {
  return 2.0 * double(shape.groups * shape.num_instances) * double(shape.length) *
         double(config_.embedding_size) * double(config_.hidden_size);
}

FlopCount AlbertBackbone::encode_flops(const FlopShape& shape) const {
  // Shared parameters save memory, not work: every application of a group runs all its layers.
  const double applications = double(config_.num_layers) * double(config_.inner_group_num);
  return applications * transformer::encoder_layer_flops(config_.layer(), shape.groups, shape.length);
}

}  // namespace datamux::plugins::albert
