#pragma once
// Mixed precision: "bf16" runs the forward pass under CUDA autocast in bfloat16 (parameters
// and optimizer state stay float32); "fp32" changes nothing.
#include <string>

#include <torch/types.h>

namespace datamux {

// Throws Error when `precision` is unknown or not available on `device`.
void check_precision(const std::string& precision, torch::Device device);

// Enables autocast for its lifetime when asked for, restoring the previous state after.
class AutocastScope {
 public:
  AutocastScope(const std::string& precision, torch::Device device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  bool was_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kHalf;
};

}  // namespace datamux
