#pragma once
// BERT/RoBERTa weight initialisation, shared by the transformer backbones.
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>

namespace datamux::plugins::transformer {

constexpr double kInitStd = 0.02;

// Re-initialises every Linear, Embedding and LayerNorm below `module` (in registration order):
// weights normal(0, std) drawn from `generator`, biases zero, an Embedding's padding row zero
// (as nn.Embedding(padding_idx) starts it), LayerNorm weight 1 and bias 0. Pass a private
// generator seeded from the component's seed, so the weights depend only on that seed.
void init_bert_weights(torch::nn::Module& module, const at::Generator& generator,
                       double std = kInitStd);

}  // namespace datamux::plugins::transformer
