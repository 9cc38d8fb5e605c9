#pragma once
// The guard every forward pass that needs no gradients runs under: evaluation, throughput,
// benchmarks. c10::InferenceMode skips the autograd bookkeeping (version counters, views'
// metadata) that NoGradGuard still pays for, and since the weights cannot change inside it,
// autocast may cache its bf16 copies of them for the scope's lifetime.
//
// Tensors made inside cannot be saved for backward later nor updated in place outside, so
// nothing created here may become model state that training reuses.
#include <c10/core/InferenceMode.h>

namespace datamux {

class InferenceScope {
 public:
  InferenceScope();
  ~InferenceScope();
  InferenceScope(const InferenceScope&) = delete;
  InferenceScope& operator=(const InferenceScope&) = delete;

 private:
  c10::InferenceMode mode_;
  bool cache_was_enabled_;
};

}  // namespace datamux
