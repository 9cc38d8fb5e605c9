#include "binary_hadamard.h"

#include <algorithm>

#include <torch/types.h>

#include "support/tensor_shapes.h"

namespace datamux::plugins::binary_hadamard {

torch::Tensor chunk_masks(std::int64_t num_instances, std::int64_t hidden_size,
                          std::int64_t overlap) {
  const auto chunk = hidden_size / num_instances;
  auto masks = torch::zeros({num_instances, hidden_size}, torch::kFloat);
  for (std::int64_t i = 0; i < num_instances; ++i) {
    const auto begin = std::max<std::int64_t>(0, i * chunk - overlap);
    const auto end =
        std::min(hidden_size, (i + 1 == num_instances ? hidden_size : (i + 1) * chunk) + overlap);
    masks[i].narrow(0, begin, end - begin).fill_(1.0);
  }
  return masks;
}

BinaryHadamard::BinaryHadamard(std::int64_t num_instances, std::int64_t hidden_size,
                               std::int64_t overlap)
    : num_instances_(num_instances), hidden_size_(hidden_size) {
  // Deterministic, but a buffer all the same: saved with the model, never trained.
  masks_ = register_buffer("masks", chunk_masks(num_instances, hidden_size, overlap));
}

torch::Tensor BinaryHadamard::mix(const torch::Tensor& embedded) {
  auto grouped =
      support::group_instances(embedded, num_instances_, hidden_size_, "binary_hadamard");
  return (grouped * masks_.view({1, num_instances_, 1, hidden_size_})).mean(1);
}

}  // namespace datamux::plugins::binary_hadamard
