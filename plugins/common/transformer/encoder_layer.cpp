#include "encoder_layer.h"

#include <cmath>
#include <limits>

#include <ATen/Dispatch.h>
#include <torch/nn/functional/dropout.h>
#include <torch/types.h>
#include <torch/version.h>

namespace datamux::plugins::transformer {
namespace {

#if TORCH_VERSION_MAJOR < 2
// Replacing masked scores by the dtype's lowest finite value (rather than adding -inf) keeps
// the softmax finite in every dtype, half precision included.
double lowest_finite(c10::ScalarType type) {
  double lowest = 0.0;
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, type, "lowest_finite", [&] {
    lowest = static_cast<double>(std::numeric_limits<scalar_t>::lowest());
  });
  return lowest;
}
#endif

}  // namespace

EncoderLayerImpl::EncoderLayerImpl(const EncoderLayerConfig& config)
    : num_heads_(config.num_heads),
      head_dim_(config.hidden_size / config.num_heads),
      attention_dropout_(config.attention_dropout) {
  const auto d = config.hidden_size;
  const auto norm_options = torch::nn::LayerNormOptions({d}).eps(config.layer_norm_eps);
  qkv_ = register_module("qkv", torch::nn::Linear(d, 3 * d));
  attn_out_ = register_module("attn_out", torch::nn::Linear(d, d));
  attn_norm_ = register_module("attn_norm", torch::nn::LayerNorm(norm_options));
  ffn_in_ = register_module("ffn_in", torch::nn::Linear(d, config.intermediate_size));
  ffn_out_ = register_module("ffn_out", torch::nn::Linear(config.intermediate_size, d));
  ffn_norm_ = register_module("ffn_norm", torch::nn::LayerNorm(norm_options));
  dropout_ = register_module("dropout", torch::nn::Dropout(config.dropout));
}

torch::Tensor EncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& key_mask) {
  auto h = attn_norm_->forward(x + dropout_->forward(self_attention(x, key_mask)));
  auto ffn = ffn_out_->forward(torch::gelu(ffn_in_->forward(h)));
  return ffn_norm_->forward(h + dropout_->forward(ffn));
}

torch::Tensor EncoderLayerImpl::self_attention(const torch::Tensor& x,
                                               const torch::Tensor& key_mask) {
  const auto batch = x.size(0);
  const auto length = x.size(1);
  const auto width = x.size(2);
  // (B, L, 3d) -> (3, B, H, L, head_dim): one matmul for all three projections.
  auto qkv = qkv_->forward(x).view({batch, length, 3, num_heads_, head_dim_}).permute(
      {2, 0, 3, 1, 4});
  auto q = qkv[0];
  auto k = qkv[1];
  auto v = qkv[2];
  const double dropout_p = is_training() ? attention_dropout_ : 0.0;

  torch::Tensor context;
#if TORCH_VERSION_MAJOR >= 2
  // The fused kernel; a bool mask is true where attention is allowed, as ours is.
  if (key_mask.defined())
    context = at::scaled_dot_product_attention(q, k, v, key_mask, dropout_p);
  else
    context = at::scaled_dot_product_attention(q, k, v, {}, dropout_p);
#else
  auto scores = torch::matmul(q * (1.0 / std::sqrt(static_cast<double>(head_dim_))),
                              k.transpose(-2, -1));
  if (key_mask.defined())
    scores = scores.masked_fill(key_mask.logical_not(), lowest_finite(scores.scalar_type()));
  auto probs = torch::dropout(torch::softmax(scores, -1), dropout_p, is_training());
  context = torch::matmul(probs, v);
#endif
  // (B, H, L, head_dim) -> (B, L, d)
  context = context.transpose(1, 2).reshape({batch, length, width});
  return attn_out_->forward(context);
}

}  // namespace datamux::plugins::transformer
