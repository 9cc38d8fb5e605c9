#include "init.h"

#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/types.h>
#include <torch/utils.h>

namespace datamux::plugins::transformer {

void init_bert_weights(torch::nn::Module& module, const at::Generator& generator, double std) {
  torch::NoGradGuard no_grad;
  for (auto& child : module.modules(/*include_self=*/false)) {
    if (auto* linear = child->as<torch::nn::LinearImpl>()) {
      linear->weight.normal_(0.0, std, generator);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = child->as<torch::nn::EmbeddingImpl>()) {
      embedding->weight.normal_(0.0, std, generator);
      if (embedding->options.padding_idx())
        embedding->weight[*embedding->options.padding_idx()].zero_();
    } else if (auto* norm = child->as<torch::nn::LayerNormImpl>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  }
}

}  // namespace datamux::plugins::transformer
