#include "key_mask.h"

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::transformer {

torch::Tensor make_key_mask(const torch::Tensor& mask, const torch::Tensor& mixed, bool enabled,
                            const std::string& who) {
  if (!enabled || !mask.defined()) return {};
  if (mask.dim() != 2 || mask.size(0) != mixed.size(0) || mask.size(1) != mixed.size(1))
    throw Error(who + ": mask " + support::shape_text(mask) + " does not match input " +
                support::shape_text(mixed));
  auto key_mask = mask.dtype() == torch::kBool ? mask : mask.ne(0);
  // A group with no real position at all would softmax over nothing; let it see everything.
  key_mask = key_mask.logical_or(key_mask.any(1, /*keepdim=*/true).logical_not());
  return key_mask.view({mixed.size(0), 1, 1, mixed.size(1)});
}

}  // namespace datamux::plugins::transformer
