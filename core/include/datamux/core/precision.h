#pragma once
// Mixed precision: "bf16" runs the forward pass under autocast in bfloat16 (parameters,
// gradients and optimizer state stay float32), on CUDA, or on a CPU with native bf16 dot
// products (AVX512_BF16 or AMX-BF16); "fp32" changes nothing.
#include <string>

#include <torch/types.h>

namespace datamux {

// Throws Error when `precision` is unknown or not available on `device`.
void check_precision(const std::string& precision, torch::Device device);

// Enables autocast for its lifetime when asked for, restoring the previous state after.
// Autocast's cache of bf16 weight copies is off inside it: a scope that spans training sees
// the weights change at every optimizer step (InferenceScope turns the cache on where the
// weights are fixed).
class AutocastScope {
 public:
  AutocastScope(const std::string& precision, torch::Device device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  bool on_cuda_ = false;
  bool was_enabled_ = false;
  bool cache_was_enabled_ = true;
  at::ScalarType previous_dtype_ = at::kHalf;
};

}  // namespace datamux
