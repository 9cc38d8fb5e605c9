#pragma once
// Tensor shapes as the components' run-time errors write them, and the checked view of a
// multiplexer's input as groups of N instances: one definition for every plugin.
#include <cstdint>
#include <string>

#include <torch/types.h>

namespace datamux::plugins::support {

// "(2, 3, 4)": a tensor's sizes for an error message.
std::string shape_text(const torch::Tensor& t);

// (B*N, L', d) embeddings, the N instances of a group in consecutive rows -> (B, N, L', d).
// Throws datamux::Error, starting with `who`, when the input is not rank 3 and d wide or its
// rows are not a multiple of N.
torch::Tensor group_instances(const torch::Tensor& embedded, std::int64_t num_instances,
                              std::int64_t hidden_size, const std::string& who);

}  // namespace datamux::plugins::support
