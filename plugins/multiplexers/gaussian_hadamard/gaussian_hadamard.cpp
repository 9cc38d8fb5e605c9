#include "gaussian_hadamard.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"

namespace datamux::plugins::gaussian_hadamard {

GaussianHadamard::GaussianHadamard(std::int64_t num_instances, std::int64_t hidden_size,
                                   double norm, bool learnable, std::uint64_t seed)
    : num_instances_(num_instances), hidden_size_(hidden_size) {
  // Drawn on the CPU from a private generator so that phi depends only on the seed, whatever
  // the device and whatever else consumed the global random stream.
  auto gen = at::detail::createCPUGenerator(seed);
  auto phi = torch::randn({num_instances, hidden_size}, gen, torch::kFloat);
  phi = phi / phi.pow(2).sum(1, /*keepdim=*/true).sqrt() * norm;
  if (learnable)
    phi_ = register_parameter("phi", phi);
  else
    phi_ = register_buffer("phi", phi);
}

torch::Tensor GaussianHadamard::mix(const torch::Tensor& embedded) {
  if (embedded.dim() != 3 || embedded.size(2) != hidden_size_)
    throw Error("gaussian_hadamard: expected (rows, length, " + std::to_string(hidden_size_) +
                ") embeddings, got a tensor of rank " + std::to_string(embedded.dim()));
  if (embedded.size(0) % num_instances_ != 0)
    throw Error("gaussian_hadamard: " + std::to_string(embedded.size(0)) +
                " rows is not a multiple of num_instances " + std::to_string(num_instances_));
  const auto groups = embedded.size(0) / num_instances_;
  const auto length = embedded.size(1);
  auto grouped = embedded.reshape({groups, num_instances_, length, hidden_size_});
  return (grouped * phi_.view({1, num_instances_, 1, hidden_size_})).mean(1);
}

}  // namespace datamux::plugins::gaussian_hadamard
