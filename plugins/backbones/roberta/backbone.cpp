#include "backbone.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"
#include "transformer/flops.h"
#include "transformer/init.h"
#include "transformer/key_mask.h"

namespace datamux::plugins::roberta {

RobertaBackbone::RobertaBackbone(const RobertaConfig& config)
    : config_(config), embeddings_(*this, config, config.hidden_size, "roberta") {
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
  // Positions are added here; the reference adds them a second time in the encoder, which
  // encode() reproduces only when double_position_embeddings is set.
  return embeddings_.forward(input_ids);
}

torch::Tensor RobertaBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (mixed.dim() != 3 || mixed.size(2) != config_.hidden_size)
    throw Error("roberta: encode expects (groups, length, " + std::to_string(config_.hidden_size) +
                ") input, got " + support::shape_text(mixed));
  const auto key_mask = transformer::make_key_mask(mask, mixed, config_.attention_mask, "roberta");
  auto x = mixed;
  if (config_.double_position_embeddings)
    x = x + embeddings_.positions(mixed.size(1), mixed);  // (L', d) broadcast over the groups
  for (auto& layer : layers_) x = layer->forward(x, key_mask);
  return x;
}

FlopCount RobertaBackbone::encode_flops(const FlopShape& shape) const {
  return double(config_.num_layers) *
         transformer::encoder_layer_flops(config_.layer(), shape.groups, shape.length);
}

}  // namespace datamux::plugins::roberta
