#include "binary_hadamard.h"

#include <algorithm>
#include <string>

#include <torch/types.h>

#include "datamux/sdk/error.h"

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
  if (embedded.dim() != 3 || embedded.size(2) != hidden_size_)
    throw Error("binary_hadamard: expected (rows, length, " + std::to_string(hidden_size_) +
                ") embeddings, got a tensor of rank " + std::to_string(embedded.dim()));
  if (embedded.size(0) % num_instances_ != 0)
    throw Error("binary_hadamard: " + std::to_string(embedded.size(0)) +
                " rows is not a multiple of num_instances " + std::to_string(num_instances_));
  const auto groups = embedded.size(0) / num_instances_;
  const auto length = embedded.size(1);
  auto grouped = embedded.reshape({groups, num_instances_, length, hidden_size_});
  return (grouped * masks_.view({1, num_instances_, 1, hidden_size_})).mean(1);
}

}  // namespace datamux::plugins::binary_hadamard
