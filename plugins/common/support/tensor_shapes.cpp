#include "tensor_shapes.h"

#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace datamux::plugins::support {

std::string shape_text(const torch::Tensor& t) {
  return "(" + join(t.sizes()) + ")";
}

torch::Tensor group_instances(const torch::Tensor& embedded, std::int64_t num_instances,
                              std::int64_t hidden_size, const std::string& who) {
  if (embedded.dim() != 3 || embedded.size(2) != hidden_size)
    throw Error(who + ": expected (rows, length, " + std::to_string(hidden_size) +
                ") embeddings, got a tensor of rank " + std::to_string(embedded.dim()));
  if (embedded.size(0) % num_instances != 0)
    throw Error(who + ": " + std::to_string(embedded.size(0)) +
                " rows is not a multiple of num_instances " + std::to_string(num_instances));
  const auto groups = embedded.size(0) / num_instances;
  const auto length = embedded.size(1);
  return embedded.reshape({groups, num_instances, length, hidden_size});
}

}  // namespace datamux::plugins::support
