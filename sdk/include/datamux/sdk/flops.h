#pragma once
// The analytic FLOP count a component may declare about itself, for `datamux bench`
// (achieved GFLOP/s, the speedup FLOPs alone allow at each N). Optional: every hook returns
// std::nullopt by default, meaning "not declared", and the benchmark then reports no FLOP-based
// figures instead of guessing.
//
// Convention: forward pass only; 2 FLOPs per multiply-add of matrix products, recurrences and
// the multiplexer's weighted sums; pointwise ops (activations, dropout, residual adds), norms,
// softmax, gathers and embedding look-ups are not counted. The backward pass is taken as twice
// the forward by the benchmark.
#include <cstdint>
#include <optional>

namespace datamux {

// The shape a component runs on. `length` is the number of positions of what the component
// reads: L' = P + L (prefix included) for embed, mix, encode and the demultiplexer, L (the
// instances' own positions, prefix removed) for a task head.
struct FlopShape {
  std::int64_t groups = 1;         // B
  std::int64_t num_instances = 1;  // N: a group holds N instances, B*N rows in all
  std::int64_t length = 1;
  std::int64_t hidden_size = 1;    // d, the backbone's width
};

using FlopCount = std::optional<double>;

}  // namespace datamux
