#pragma once
// The cross-entropy every task head takes: the mean over the targets that count.
#include <torch/types.h>

namespace datamux::plugins::support {

// (rows..., C) logits and (rows...) int64 targets -> the mean cross-entropy over the targets
// that are not kIgnoreLabel. Summed and divided on the device (no host sync); a batch in which
// no target counts gives 0 instead of cross_entropy's 0/0 = NaN.
torch::Tensor masked_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets);

}  // namespace datamux::plugins::support
