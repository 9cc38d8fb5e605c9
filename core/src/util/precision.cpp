#include "datamux/core/precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "datamux/sdk/error.h"

// libtorch 2.4 replaced the per-backend autocast switches with device-type arguments.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define DATAMUX_AUTOCAST_BY_DEVICE 1
#endif

namespace datamux {
namespace {

bool cuda_autocast_enabled() {
#ifdef DATAMUX_AUTOCAST_BY_DEVICE
  return at::autocast::is_autocast_enabled(at::kCUDA);
#else
  return at::autocast::is_enabled();
#endif
}

at::ScalarType cuda_autocast_dtype() {
#ifdef DATAMUX_AUTOCAST_BY_DEVICE
  return at::autocast::get_autocast_dtype(at::kCUDA);
#else
  return at::autocast::get_autocast_gpu_dtype();
#endif
}

void set_cuda_autocast(bool enabled, at::ScalarType dtype) {
#ifdef DATAMUX_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_dtype(at::kCUDA, dtype);
  at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
  at::autocast::set_autocast_gpu_dtype(dtype);
  at::autocast::set_enabled(enabled);
#endif
}

}  // namespace

void check_precision(const std::string& precision, torch::Device device) {
  if (precision == "fp32") return;
  if (precision != "bf16")
    throw Error("run.precision: unknown precision '" + precision + "' (expected fp32 or bf16)");
  if (!device.is_cuda())
    throw Error("run.precision: bf16 autocast needs a CUDA device, but the run is on " +
                device.str() + " (use fp32)");
}

AutocastScope::AutocastScope(const std::string& precision, torch::Device device) {
  check_precision(precision, device);
  if (precision != "bf16") return;
  active_ = true;
  was_enabled_ = cuda_autocast_enabled();
  previous_dtype_ = cuda_autocast_dtype();
  set_cuda_autocast(true, at::kBFloat16);
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  set_cuda_autocast(was_enabled_, previous_dtype_);
  at::autocast::clear_cache();
}

}  // namespace datamux
