#pragma once
// One post-LN transformer encoder layer: self-attention and a GELU feed-forward block, each
// followed by dropout, the residual sum and LayerNorm (the original BERT/RoBERTa order).
// Shared by the roberta and albert backbones.
#include <cstdint>

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace datamux::plugins::transformer {

// The sizes of one layer; hidden_size must be divisible by num_heads (the backbones check).
struct EncoderLayerConfig {
  std::int64_t hidden_size = 768;
  std::int64_t num_heads = 12;
  std::int64_t intermediate_size = 3072;
  double dropout = 0.1;
  double attention_dropout = 0.1;
  double layer_norm_eps = 1e-5;
};

class EncoderLayerImpl : public torch::nn::Module {
 public:
  explicit EncoderLayerImpl(const EncoderLayerConfig& config);

  // x: (B, L, d). key_mask: (B, 1, 1, L) bool, true at keys that may be attended to, or an
  // undefined tensor to attend to every position (see key_mask.h).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& key_mask);

 private:
  torch::Tensor self_attention(const torch::Tensor& x, const torch::Tensor& key_mask);

  std::int64_t num_heads_;
  std::int64_t head_dim_;
  double attention_dropout_;
  torch::nn::Linear qkv_{nullptr};       // fused Q, K, V projection: d -> 3d
  torch::nn::Linear attn_out_{nullptr};  // d -> d
  torch::nn::LayerNorm attn_norm_{nullptr};
  torch::nn::Linear ffn_in_{nullptr};    // d -> intermediate
  torch::nn::Linear ffn_out_{nullptr};   // intermediate -> d
  torch::nn::LayerNorm ffn_norm_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};

TORCH_MODULE(EncoderLayer);

}  // namespace datamux::plugins::transformer
