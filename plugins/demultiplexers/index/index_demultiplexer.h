#pragma once
// DataMUX's index demultiplexer. Every instance carries a prefix of N index slots (filler
// everywhere except its own slot i) and one shared CLS slot. After encoding the mixture,
// instance i's state at position t is LayerNorm(GELU(W [h_i ; h_t] + b)), where h_i is the
// mixture's hidden state at index slot i.
#include <cstdint>

#include <torch/nn/modules/normalization.h>

#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/model_context.h"

namespace datamux::plugins::index {

class IndexDemultiplexer : public Demultiplexer {
 public:
  // ctx supplies N, d, the reserved token ids and the initialisation seed.
  explicit IndexDemultiplexer(const ModelContext& ctx);

  std::int64_t prefix_length() const override { return num_instances_ + 1; }
  torch::Tensor add_prefix(const torch::Tensor& input_ids) override;
  torch::Tensor sentence(const torch::Tensor& hidden) override;
  torch::Tensor tokens(const torch::Tensor& hidden) override;

 private:
  // (B, N, d) index states and (B, T, d) position states -> (B, N, T, d) demuxed states.
  torch::Tensor demux(const torch::Tensor& index_states, const torch::Tensor& position_states);
  // The (B, N, d) hidden states of the N index slots, after checking the shape.
  torch::Tensor index_states(const torch::Tensor& hidden) const;

  std::int64_t num_instances_;
  std::int64_t hidden_size_;
  torch::Tensor prefix_;  // (N, N+1) token ids, row i = instance i's prefix
  torch::Tensor weight_;  // (d, 2d): [:, :d] acts on h_i, [:, d:] on h_t
  torch::Tensor bias_;    // (d)
  torch::nn::LayerNorm norm_{nullptr};
};

}  // namespace datamux::plugins::index
