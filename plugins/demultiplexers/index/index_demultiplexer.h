#pragma once
// DataMUX's index demultiplexer. Every instance carries a prefix of N index slots (filler
// everywhere except its own slot i) and one shared CLS slot. After encoding the mixture,
// instance i's state at position t is LayerNorm(GELU(W [h_i ; h_t] + b)), where h_i is the
// mixture's hidden state at index slot i.
#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/modules/normalization.h>

#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/model_context.h"

namespace datamux::plugins::index {

// The most instances the reserved vocabulary serves: one index token each. Fixed rather than
// N, so that one tokenizer (a warm-up's) serves every N of a sweep.
constexpr std::int64_t kMaxInstances = 64;

// The tokens the index prefix uses, in the order of ModelContext::reserved_tokens: the shared
// CLS slot, the filler, then index token i of instance i.
enum ReservedSlot : std::int64_t { kCls = 0, kFiller = 1, kFirstIndex = 2 };
std::vector<std::string> reserved_token_names();

class IndexDemultiplexer : public Demultiplexer {
 public:
  // ctx supplies N, d, the reserved token ids and the initialisation seed.
  explicit IndexDemultiplexer(const ModelContext& ctx);

  // N index slots and the shared CLS slot.
  static std::int64_t prefix_length(std::int64_t num_instances) { return num_instances + 1; }
  std::int64_t prefix_length() const { return prefix_length(num_instances_); }
  torch::Tensor add_prefix(const torch::Tensor& input_ids) override;
  torch::Tensor sentence(const torch::Tensor& hidden) override;
  torch::Tensor tokens(const torch::Tensor& hidden) override;
  // demux() splits the Linear(2d -> d) into a d x d product per index state and one per
  // position state, so the count grows with N + positions, not N * positions.
  FlopCount sentence_flops(const FlopShape& shape) const override {
    return demux_flops(shape.groups, 1);
  }
  FlopCount tokens_flops(const FlopShape& shape) const override {
    return demux_flops(shape.groups, shape.length - prefix_length());
  }

 private:
  // (B, N, d) index states and (B, T, d) position states -> (B, N, T, d) demuxed states.
  torch::Tensor demux(const torch::Tensor& index_states, const torch::Tensor& position_states);
  double demux_flops(std::int64_t groups, std::int64_t positions) const {
    const double d = double(hidden_size_);
    return 2.0 * double(groups) * double(num_instances_ + positions) * d * d;
  }
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
