#include "mlp_demultiplexer.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::mlp {
namespace {

constexpr double kInitStd = 0.02;
constexpr double kLayerNormEps = 1e-5;

}  // namespace

MlpDemultiplexer::MlpDemultiplexer(const ModelContext& ctx)
    : num_instances_(ctx.num_instances), hidden_size_(ctx.hidden_size) {
  const auto n = num_instances_;
  const auto d = hidden_size_;
  // Normal(0, 0.02) and zero bias, as the reference initialises every Linear of the model.
  auto gen = at::detail::createCPUGenerator(ctx.seed);
  weight_ = register_parameter("weight", torch::randn({n, d, d}, gen, torch::kFloat) * kInitStd);
  bias_ = register_parameter("bias", torch::zeros({n, d}));
  norm_weight_ = register_parameter("norm_weight", torch::ones({n, d}));
  norm_bias_ = register_parameter("norm_bias", torch::zeros({n, d}));
}

torch::Tensor MlpDemultiplexer::add_prefix(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2 || input_ids.size(0) % num_instances_ != 0)
    throw Error("mlp: add_prefix expects (groups*" + std::to_string(num_instances_) +
                ", length) token ids, got " + support::shape_text(input_ids));
  return input_ids;  // this method needs no prefix
}

void MlpDemultiplexer::check_hidden(const torch::Tensor& hidden) const {
  if (hidden.dim() != 3 || hidden.size(1) < 1 || hidden.size(2) != hidden_size_)
    throw Error("mlp: expected (groups, length, " + std::to_string(hidden_size_) +
                ") hidden states, got " + support::shape_text(hidden));
}

torch::Tensor MlpDemultiplexer::demux(const torch::Tensor& positions) {
  const auto n = num_instances_;
  const auto d = hidden_size_;
  // y[b, i, t] = W_i h[b, t] + b_i for every instance i at once.
  auto pre = torch::einsum("btd,ned->bnte", {positions, weight_}) + bias_.view({1, n, 1, d});
  auto normed = torch::layer_norm(torch::gelu(pre), {d}, /*weight=*/{}, /*bias=*/{}, kLayerNormEps);
  return normed * norm_weight_.view({1, n, 1, d}) + norm_bias_.view({1, n, 1, d});
}

torch::Tensor MlpDemultiplexer::sentence(const torch::Tensor& hidden) {
  check_hidden(hidden);
  const auto rows = hidden.size(0) * num_instances_;
  return demux(hidden.narrow(1, 0, 1)).reshape({rows, hidden_size_});  // (B*N, d)
}

torch::Tensor MlpDemultiplexer::tokens(const torch::Tensor& hidden) {
  check_hidden(hidden);
  const auto rows = hidden.size(0) * num_instances_;
  const auto length = hidden.size(1);
  return demux(hidden).reshape({rows, length, hidden_size_});  // (B*N, L, d)
}

}  // namespace datamux::plugins::mlp
