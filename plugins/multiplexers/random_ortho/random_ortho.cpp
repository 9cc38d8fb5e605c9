#include "random_ortho.h"

#include <cmath>
#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

#include "datamux/sdk/error.h"

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
  if (embedded.dim() != 3 || embedded.size(2) != hidden_size_)
    throw Error("random_ortho: expected (rows, length, " + std::to_string(hidden_size_) +
                ") embeddings, got a tensor of rank " + std::to_string(embedded.dim()));
  if (embedded.size(0) % num_instances_ != 0)
    throw Error("random_ortho: " + std::to_string(embedded.size(0)) +
                " rows is not a multiple of num_instances " + std::to_string(num_instances_));
  const auto groups = embedded.size(0) / num_instances_;
  const auto length = embedded.size(1);
  auto grouped = embedded.reshape({groups, num_instances_, length, hidden_size_});
  // Contracting over the instance and the input dimension at once is one (B*L, N*d) x (N*d, d)
  // product: the rotated instances are summed without being materialised.
  auto summed = torch::einsum("bnld,nde->ble", {grouped, matrices_.to(grouped.dtype())});
  return summed / std::sqrt(static_cast<double>(num_instances_));
}

}  // namespace datamux::plugins::random_ortho
