#pragma once
// The multiplexer of the non-multiplexed baseline: with N = 1 there is nothing to mix, so the
// single instance's embeddings pass through unchanged. No parameters.
#include "datamux/sdk/multiplexer.h"

namespace datamux::plugins::baseline {

class NoneMultiplexer : public Multiplexer {
 public:
  // (B*1, L', d) -> (B, L', d): the identity.
  torch::Tensor mix(const torch::Tensor& embedded) override { return embedded; }
  FlopCount mix_flops(const FlopShape&) const override { return 0.0; }
};

}  // namespace datamux::plugins::baseline
