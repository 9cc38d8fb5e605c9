#pragma once
// DataMUX's MLP demultiplexer: no prefix; instance i's state at position t is
// LayerNorm_i(GELU(W_i h_t + b_i)), with one MLP and one LayerNorm affine per instance.
#include <cstdint>

#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/model_context.h"

namespace datamux::plugins::mlp {

class MlpDemultiplexer : public Demultiplexer {
 public:
  // ctx supplies N, d and the initialisation seed.
  explicit MlpDemultiplexer(const ModelContext& ctx);

  torch::Tensor add_prefix(const torch::Tensor& input_ids) override;
  // The MLPs on position 0 only (the bos token of the mixture).
  torch::Tensor sentence(const torch::Tensor& hidden) override;
  torch::Tensor tokens(const torch::Tensor& hidden) override;
  // Instance i's d x d Linear at every position it demultiplexes (one for sentence()).
  FlopCount sentence_flops(const FlopShape& shape) const override { return demux_flops(shape, 1); }
  FlopCount tokens_flops(const FlopShape& shape) const override {
    return demux_flops(shape, shape.length);
  }

 private:
  // (B, T, d) mixture states -> (B, N, T, d) per-instance states.
  torch::Tensor demux(const torch::Tensor& positions);
  double demux_flops(const FlopShape& shape, std::int64_t positions) const {
    const double d = double(hidden_size_);
    return 2.0 * double(shape.groups * num_instances_) * double(positions) * d * d;
  }
  void check_hidden(const torch::Tensor& hidden) const;

  std::int64_t num_instances_;
  std::int64_t hidden_size_;
  torch::Tensor weight_;       // (N, d, d): row i is instance i's Linear weight (out, in)
  torch::Tensor bias_;         // (N, d)
  torch::Tensor norm_weight_;  // (N, d), starts at 1
  torch::Tensor norm_bias_;    // (N, d), starts at 0
};

}  // namespace datamux::plugins::mlp
