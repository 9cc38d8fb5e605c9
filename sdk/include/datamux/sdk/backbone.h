#pragma once
// A backbone embeds each instance on its own and encodes the multiplexed mixture once.
#include <torch/nn/module.h>

#include "datamux/sdk/flops.h"
#include "datamux/sdk/visibility.h"

namespace datamux {

class DATAMUX_API Backbone : public torch::nn::Module {
 public:
  ~Backbone() override = default;

  // Width d of embeddings and hidden states.
  virtual std::int64_t hidden_size() const = 0;

  // (B*N, L') token ids -> (B*N, L', d) embeddings, positions included.
  virtual torch::Tensor embed(const torch::Tensor& input_ids) = 0;

  // (B, L', d) mixed embeddings and (B, L') bool mask (true = a real position in at least one
  // instance of the group) -> (B, L', d) hidden states.
  virtual torch::Tensor encode(const torch::Tensor& mixed, const torch::Tensor& mask) = 0;

  // Analytic forward FLOPs (sdk/flops.h) of embed() on the B*N instances and of encode() on
  // the B mixtures, each shape.length positions long; std::nullopt (the default): not declared.
  virtual FlopCount embed_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
  virtual FlopCount encode_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
};

}  // namespace datamux
