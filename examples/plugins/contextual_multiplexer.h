#pragma once
// The contextual multiplexer of MUX-PLMs (Murahari et al. 2023): a small transformer encoder
// layer first makes each instance's embeddings aware of the other instances of its group,
// then each instance is scaled by a fixed Gaussian vector phi_i (Hadamard product) and the
// group is averaged, as the plain Gaussian-Hadamard multiplexer does.
#include <torch/torch.h>

#include "datamux/sdk/multiplexer.h"

namespace mux_plm {

enum class Context {
  kInstances,  // at each position, attention across the N instances of the group
  kPositions,  // attention along each instance's own positions
};

struct ContextualConfig {
  std::int64_t num_instances = 2;
  std::int64_t hidden_size = 0;
  std::int64_t heads = 4;
  std::int64_t feedforward = 0;  // 0: 2 * hidden_size
  double dropout = 0.1;
  double norm = 20.0;            // L2 norm of each phi_i
  Context context = Context::kInstances;
  std::uint64_t seed = 0;
};

class ContextualMultiplexer : public datamux::Multiplexer {
 public:
  explicit ContextualMultiplexer(const ContextualConfig& config);

  // (B*N, L, d) -> (B, L, d)
  torch::Tensor mix(const torch::Tensor& embedded) override;

  // The transformer layer's output, before the Hadamard mixing: (B*N, L, d).
  torch::Tensor contextualise(const torch::Tensor& embedded);
  const torch::Tensor& phi() const { return phi_; }

 private:
  ContextualConfig config_;
  torch::nn::TransformerEncoderLayer layer_{nullptr};
  torch::Tensor phi_;  // (N, d), a buffer: saved with the model, never trained
};

}  // namespace mux_plm
