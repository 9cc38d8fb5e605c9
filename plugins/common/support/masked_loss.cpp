#include "support/masked_loss.h"

#include <torch/nn/functional/loss.h>

#include "datamux/sdk/batch.h"

namespace datamux::plugins::support {

torch::Tensor masked_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  namespace F = torch::nn::functional;
  const torch::Tensor flat_targets = targets.reshape({-1});
  const torch::Tensor summed = F::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), flat_targets,
      F::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel).reduction(torch::kSum));
  const torch::Tensor counted = flat_targets.ne(kIgnoreLabel).sum().clamp_min(1).to(summed.scalar_type());
  return summed / counted;
}

}  // namespace datamux::plugins::support
