#pragma once
// DataMUX's Gaussian Hadamard multiplexer: instance i is scaled elementwise by a fixed random
// vector phi_i, and the N scaled instances of a group are averaged into one input.
#include <cstdint>

#include "datamux/sdk/multiplexer.h"

namespace datamux::plugins::gaussian_hadamard {

class GaussianHadamard : public Multiplexer {
 public:
  // phi is drawn from `seed` and each row scaled to L2 norm `norm`; a learnable phi is a
  // parameter, a fixed one a buffer (saved with the model, never trained).
  GaussianHadamard(std::int64_t num_instances, std::int64_t hidden_size, double norm,
                   bool learnable, std::uint64_t seed);

  torch::Tensor mix(const torch::Tensor& embedded) override;
  // One multiply and one add per instance and element.
  FlopCount mix_flops(const FlopShape& shape) const override {
    return 2.0 * double(shape.groups * shape.num_instances) * double(shape.length) *
           double(shape.hidden_size);
  }

 private:
  std::int64_t num_instances_;
  std::int64_t hidden_size_;
  torch::Tensor phi_;  // (N, d)
};

}  // namespace datamux::plugins::gaussian_hadamard
