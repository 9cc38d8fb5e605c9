#include "gaussian_hadamard.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "support/tensor_shapes.h"

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
  auto grouped =
      support::group_instances(embedded, num_instances_, hidden_size_, "gaussian_hadamard");
  return (grouped * phi_.view({1, num_instances_, 1, hidden_size_})).mean(1);
}

}  // namespace datamux::plugins::gaussian_hadamard
