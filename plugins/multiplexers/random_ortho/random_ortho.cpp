#include "random_ortho.h"

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "support/tensor_shapes.h"

namespace datamux::plugins::random_ortho {

torch::Tensor haar_orthogonal(std::int64_t count, std::int64_t size,
                              const at::Generator& generator) {
  // QR of a Gaussian matrix gives an orthogonal Q, but QR's sign convention biases it; fixing
  // the signs so that diag(R) > 0 makes Q Haar-distributed (Mezzadri 2007). Double precision
  // keeps Q orthogonal to float32 rounding even for d in the thousands.
  auto gaussian = torch::randn({count, size, size}, generator, torch::kDouble);
  auto [q, r] = torch::linalg_qr(gaussian);
  auto diagonal = r.diagonal(0, -2, -1);                           // (N, d)
  auto signs = 1.0 - 2.0 * diagonal.lt(0).to(q.dtype());  // +-1, never 0
  return (q * signs.unsqueeze(-2)).to(torch::kFloat);       // scales the columns
}

RandomOrtho::RandomOrtho(std::int64_t num_instances, std::int64_t hidden_size, bool learnable,
                         std::uint64_t seed)
    : num_instances_(num_instances), hidden_size_(hidden_size) {
  // Drawn on the CPU from a private generator so that the matrices depend only on the seed.
  auto gen = at::detail::createCPUGenerator(seed);
  auto matrices = haar_orthogonal(num_instances, hidden_size, gen);
  if (learnable)
    matrices_ = register_parameter("matrices", matrices);
  else
    matrices_ = register_buffer("matrices", matrices);
}

torch::Tensor RandomOrtho::mix(const torch::Tensor& embedded) {
  auto grouped = support::group_instances(embedded, num_instances_, hidden_size_, "random_ortho");
  // Contracting over the instance and the input dimension at once is one (B*L, N*d) x (N*d, d)
  // product: the rotated instances are summed without being materialised.
  auto summed = torch::einsum("bnld,nde->ble", {grouped, matrices_.to(grouped.dtype())});
  return summed / std::sqrt(static_cast<double>(num_instances_));
}

}  // namespace datamux::plugins::random_ortho
