#pragma once
// A backbone embeds each instance on its own and encodes the multiplexed mixture once.
#include <torch/nn/module.h>

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
};

}  // namespace datamux
