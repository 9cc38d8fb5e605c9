#pragma once
// DataMUX's orthogonal multiplexer: instance i is rotated by a fixed Haar-random orthogonal
// d x d matrix Q_i, and the N rotated instances of a group are summed and scaled by 1/sqrt(N).
#include <cstdint>

#include <ATen/core/Generator.h>

#include "datamux/sdk/multiplexer.h"

namespace datamux::plugins::random_ortho {

class RandomOrtho : public Multiplexer {
 public:
  // The matrices are drawn from `seed`; learnable ones are a parameter, fixed ones a buffer
  // (saved with the model, never trained).
  RandomOrtho(std::int64_t num_instances, std::int64_t hidden_size, bool learnable,
              std::uint64_t seed);

  // (B*N, L', d) -> (B, L', d): sum_i e_i Q_i / sqrt(N).
  torch::Tensor mix(const torch::Tensor& embedded) override;
  // One d x d product per instance and position.
  FlopCount mix_flops(const FlopShape& shape) const override {
    return 2.0 * double(shape.groups * shape.num_instances) * double(shape.length) *
           double(shape.hidden_size) * double(shape.hidden_size);
  }

 private:
  std::int64_t num_instances_;
  std::int64_t hidden_size_;
  torch::Tensor matrices_;  // (N, d, d), each orthogonal
};

// N Haar-distributed d x d orthogonal matrices drawn with `generator` (float32, CPU).
torch::Tensor haar_orthogonal(std::int64_t count, std::int64_t size, const at::Generator& generator);

}  // namespace datamux::plugins::random_ortho
