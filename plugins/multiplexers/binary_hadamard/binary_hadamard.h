#pragma once
// DataMUX's binary Hadamard multiplexer: instance i keeps only its own contiguous chunk of the
// d dimensions (a fixed 0/1 mask, optionally overlapping its neighbours), and the N masked
// instances of a group are averaged into one input.
#include <cstdint>

#include "datamux/sdk/multiplexer.h"

namespace datamux::plugins::binary_hadamard {

class BinaryHadamard : public Multiplexer {
 public:
  // Needs 1 <= num_instances <= hidden_size (the factory checks).
  BinaryHadamard(std::int64_t num_instances, std::int64_t hidden_size, std::int64_t overlap);

  // (B*N, L', d) -> (B, L', d): mean_i mask_i (.) e_i.
  torch::Tensor mix(const torch::Tensor& embedded) override;
  // One multiply and one add per instance and element.
  FlopCount mix_flops(const FlopShape& shape) const override {
    return 2.0 * double(shape.groups * shape.num_instances) * double(shape.length) *
           double(shape.hidden_size);
  }

 private:
  std::int64_t num_instances_;
  std::int64_t hidden_size_;
  torch::Tensor masks_;  // (N, d) float 0/1
};

// The (N, d) 0/1 masks: instance i owns [i*floor(d/N), (i+1)*floor(d/N)), the last instance up
// to d, each widened by `overlap` dimensions on both sides and clamped to [0, d).
torch::Tensor chunk_masks(std::int64_t num_instances, std::int64_t hidden_size,
                          std::int64_t overlap);

}  // namespace datamux::plugins::binary_hadamard
