#pragma once
// A multiplexer mixes the N embedded instances of each group into one input.
#include <torch/nn/module.h>

#include "datamux/sdk/flops.h"
#include "datamux/sdk/visibility.h"

namespace datamux {

class DATAMUX_API Multiplexer : public torch::nn::Module {
 public:
  ~Multiplexer() override = default;

  // (B*N, L', d) -> (B, L', d). Fixed (non-learnable) parameters must be buffers so that they
  // are saved with the model but never trained.
  virtual torch::Tensor mix(const torch::Tensor& embedded) = 0;

  // Analytic forward FLOPs (sdk/flops.h) of mix() on B*N instances of shape.length positions;
  // std::nullopt (the default): not declared.
  virtual FlopCount mix_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
};

}  // namespace datamux
