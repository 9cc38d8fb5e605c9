#pragma once
// The demultiplexer of the non-multiplexed baseline: with N = 1 the backbone's states already
// belong to the one instance. No prefix, no parameters; the sentence state is position 0 (the
// bos token), as RoBERTa's classification head reads it.
#include <string>

#include <torch/types.h>

#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/error.h"

namespace datamux::plugins::baseline {

class NoneDemultiplexer : public Demultiplexer {
 public:
  torch::Tensor add_prefix(const torch::Tensor& input_ids) override { return input_ids; }
  // (B, L, d) -> (B, d)
  torch::Tensor sentence(const torch::Tensor& hidden) override {
    check(hidden);
    return hidden.select(1, 0);
  }
  FlopCount sentence_flops(const FlopShape&) const override { return 0.0; }
  FlopCount tokens_flops(const FlopShape&) const override { return 0.0; }
  // (B, L, d) -> (B, L, d)
  torch::Tensor tokens(const torch::Tensor& hidden) override {
    check(hidden);
    return hidden;
  }

 private:
  static void check(const torch::Tensor& hidden) {
    if (hidden.dim() != 3 || hidden.size(1) < 1)
      throw Error("demultiplexer 'none': expected (groups, length, width) hidden states with "
                  "length >= 1, got a tensor of rank " + std::to_string(hidden.dim()));
  }
};

}  // namespace datamux::plugins::baseline
