#pragma once
// The attention mask the transformer backbones share: which keys a query may attend to.
#include <string>

#include <torch/types.h>

namespace datamux::plugins::transformer {

// mixed (B, L', d) and mask (B, L') (true = a real position in at least one instance of the
// group) -> (B, 1, 1, L') bool key mask for EncoderLayer::forward. Returns an undefined tensor,
// meaning "attend to every position, pads included" (the reference behaviour), when `enabled`
// is false or no mask is given. A group without any real position may attend to everything,
// so its softmax never runs over an empty set. `who` prefixes the error on a shape mismatch.
torch::Tensor make_key_mask(const torch::Tensor& mask, const torch::Tensor& mixed, bool enabled,
                            const std::string& who);

}  // namespace datamux::plugins::transformer
