#include "contextual_multiplexer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "datamux/sdk/error.h"

namespace mux_plm {

ContextualMultiplexer::ContextualMultiplexer(const ContextualConfig& config) : config_(config) {
  const std::int64_t d = config.hidden_size;
  layer_ = register_module(
      "layer", torch::nn::TransformerEncoderLayer(
                   torch::nn::TransformerEncoderLayerOptions(d, config.heads)
                       .dim_feedforward(config.feedforward > 0 ? config.feedforward : 2 * d)
                       .dropout(config.dropout)));
  // From a private generator: phi depends only on the seed, whatever the device.
  auto generator = at::detail::createCPUGenerator(config.seed);
  auto phi = torch::randn({config.num_instances, d}, generator, torch::kFloat);
  phi = phi / phi.norm(2, {1}, /*keepdim=*/true) * config.norm;
  phi_ = register_buffer("phi", phi);
}

torch::Tensor ContextualMultiplexer::contextualise(const torch::Tensor& embedded) {
  const std::int64_t n = config_.num_instances, d = config_.hidden_size;
  if (embedded.dim() != 3 || embedded.size(0) % n != 0 || embedded.size(2) != d)
    throw datamux::Error("contextual multiplexer: expected (B*N, L, " + std::to_string(d) +
                         ") embeddings with N = " + std::to_string(n) + ", got " +
                         c10::str(embedded.sizes()));
  const std::int64_t groups = embedded.size(0) / n, length = embedded.size(1);
  // The encoder layer reads (sequence, batch, d).
  if (config_.context == Context::kPositions)
    return layer_(embedded.transpose(0, 1)).transpose(0, 1);
  const torch::Tensor across = embedded.view({groups, n, length, d})
                                   .permute({1, 0, 2, 3})
                                   .reshape({n, groups * length, d});
  return layer_(across).view({n, groups, length, d}).permute({1, 0, 2, 3}).reshape({-1, length, d});
}

torch::Tensor ContextualMultiplexer::mix(const torch::Tensor& embedded) {
  const std::int64_t n = config_.num_instances, d = config_.hidden_size;
  const torch::Tensor context = contextualise(embedded);
  return (context.view({-1, n, context.size(1), d}) * phi_.view({1, n, 1, d})).mean(1);
}

}  // namespace mux_plm
