#pragma once
// A demultiplexer splits the backbone's output on the mixture back into one state per instance.
#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/module.h>

#include "datamux/sdk/flops.h"
#include "datamux/sdk/visibility.h"

namespace datamux {

// What a demultiplexer needs from the core for N instances, declared before anything is built
// (registrar.h, Declarations<Demultiplexer>): the backbone is sized for P + L positions and the
// tokenizer reserves the named tokens, whose ids the component then finds in
// ModelContext::reserved_tokens in the same order.
struct DemultiplexerLayout {
  std::int64_t prefix_length = 0;            // P, positions prepended to every instance
  std::vector<std::string> reserved_tokens;  // vocabulary symbols, e.g. "<mux_cls>"
};

class DATAMUX_API Demultiplexer : public torch::nn::Module {
 public:
  ~Demultiplexer() override = default;

  // (B*N, L) -> (B*N, P + L) token ids with this method's prefix in front, P as declared.
  virtual torch::Tensor add_prefix(const torch::Tensor& input_ids) = 0;

  // (B, P + L, d) -> (B*N, d): one sentence-level state per instance.
  virtual torch::Tensor sentence(const torch::Tensor& hidden) = 0;

  // (B, P + L, d) -> (B*N, L, d): one state per instance and original token position.
  virtual torch::Tensor tokens(const torch::Tensor& hidden) = 0;

  // Analytic forward FLOPs (sdk/flops.h) of sentence() and of tokens() on B mixtures of
  // shape.length = P + L positions; std::nullopt (the default): not declared.
  virtual FlopCount sentence_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
  virtual FlopCount tokens_flops(const FlopShape& /*shape*/) const { return std::nullopt; }
};

}  // namespace datamux
