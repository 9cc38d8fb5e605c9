#pragma once
// A demultiplexer splits the backbone's output on the mixture back into one state per instance.
#include <torch/nn/module.h>

#include "datamux/sdk/flops.h"
#include "datamux/sdk/visibility.h"

namespace datamux {

class DATAMUX_API Demultiplexer : public torch::nn::Module {
 public:
  ~Demultiplexer() override = default;

  // Number P of positions prepended to every instance (0 when the method needs none).
  virtual std::int64_t prefix_length() const = 0;

  // (B*N, L) -> (B*N, P + L) token ids with this method's prefix in front.
  virtual torch::Tensor add_prefix(const torch::Tensor& input_ids) = 0;

  // (B, P + L, d) -> (B*N, d): one sentence-level state per instance.
  virtual torch::Tensor sentence(const torch::Tensor& hidden) = 0;

  // (B, P + L, d) -> (B*N, L, d): one state per instance and original token position.
  virtual torch::Tensor tokens(const torch::Tensor& hidden) = 0;

  // Analytic forward FLOPs (sdk/flops.h) of sentence() and of tokens() on B mixtures of
  // shape.length = P + L positions; std::nullopt (the default): not declared.
  virtual FlopCount sentence_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
  virtual FlopCount tokens_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
};

}  // namespace datamux
