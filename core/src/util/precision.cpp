#include "datamux/core/precision.h"

#include <mutex>

#include <ATen/autocast_mode.h>
#include <ATen/ops/layer_norm.h>
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/library.h>
#include <torch/version.h>

#include "datamux/core/cpu_features.h"
#include "datamux/sdk/error.h"

// libtorch 2.4 replaced the per-backend autocast switches with device-type arguments.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define DATAMUX_AUTOCAST_BY_DEVICE 1
#endif

namespace datamux {
namespace {

bool autocast_enabled(bool cuda) {
#ifdef DATAMUX_AUTOCAST_BY_DEVICE
  return at::autocast::is_autocast_enabled(cuda ? at::kCUDA : at::kCPU);
#else
  return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

at::ScalarType autocast_dtype(bool cuda) {
#ifdef DATAMUX_AUTOCAST_BY_DEVICE
  return at::autocast::get_autocast_dtype(cuda ? at::kCUDA : at::kCPU);
#else
  return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

void set_autocast(bool cuda, bool enabled, at::ScalarType dtype) {
#ifdef DATAMUX_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_dtype(cuda ? at::kCUDA : at::kCPU, dtype);
  at::autocast::set_autocast_enabled(cuda ? at::kCUDA : at::kCPU, enabled);
#else
  if (cuda) {
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
  } else {
    at::autocast::set_autocast_cpu_dtype(dtype);
    at::autocast::set_cpu_enabled(enabled);
  }
#endif
}

#if TORCH_VERSION_MAJOR < 2
// libtorch 1.13's CPU autocast leaves layer_norm to its inputs, and its CPU kernel refuses a
// bf16 input with fp32 weight and bias (a LayerNorm right after a bf16 Linear, as in the
// demultiplexers and the retrieval head). CUDA autocast runs layer_norm in fp32; this gives
// the CPU the same policy. Registered once, when bf16 is first enabled on the CPU.
at::Tensor layer_norm_in_fp32(const at::Tensor& input, at::IntArrayRef normalized_shape,
                              const c10::optional<at::Tensor>& weight,
                              const c10::optional<at::Tensor>& bias, double eps,
                              bool cudnn_enable) {
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
  const auto fp32 = [](const c10::optional<at::Tensor>& t) -> c10::optional<at::Tensor> {
    if (!t.has_value() || !t->defined()) return t;
    return t->scalar_type() == at::kBFloat16 ? t->to(at::kFloat) : *t;
  };
  const at::Tensor x = input.scalar_type() == at::kBFloat16 ? input.to(at::kFloat) : input;
  return at::layer_norm(x, normalized_shape, fp32(weight), fp32(bias), eps, cudnn_enable);
}

void register_cpu_layer_norm_policy() {
  static std::once_flag once;
  static std::unique_ptr<torch::Library> library;
  std::call_once(once, [] {
    library = std::make_unique<torch::Library>(torch::Library::IMPL, "aten",
                                               c10::DispatchKey::AutocastCPU, __FILE__, __LINE__);
    library->impl("layer_norm", TORCH_FN(layer_norm_in_fp32));
  });
}
#else
void register_cpu_layer_norm_policy() {}  // libtorch 2 handles mixed-dtype layer_norm
#endif

}  // namespace

void check_precision(const std::string& precision, torch::Device device) {
  if (precision == "fp32") return;
  if (precision != "bf16")
    throw Error("run.precision: unknown precision '" + precision + "' (expected fp32 or bf16)");
  if (device.is_cpu() && !cpu_has_native_bf16())
    throw Error("run.precision: bf16 on CPU needs AVX512_BF16 or AMX-BF16, which this CPU "
                "lacks (use fp32)");
  if (!device.is_cpu() && !device.is_cuda())
    throw Error("run.precision: bf16 needs a CUDA device or the CPU, but the run is on " +
                device.str() + " (use fp32)");
}

AutocastScope::AutocastScope(const std::string& precision, torch::Device device) {
  check_precision(precision, device);
  if (precision != "bf16") return;
  active_ = true;
  on_cuda_ = device.is_cuda();
  was_enabled_ = autocast_enabled(on_cuda_);
  previous_dtype_ = autocast_dtype(on_cuda_);
  if (!on_cuda_) register_cpu_layer_norm_policy();
  cache_was_enabled_ = at::autocast::is_autocast_cache_enabled();
  at::autocast::set_autocast_cache_enabled(false);
  set_autocast(on_cuda_, true, at::kBFloat16);
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  set_autocast(on_cuda_, was_enabled_, previous_dtype_);
  at::autocast::set_autocast_cache_enabled(cache_was_enabled_);
  at::autocast::clear_cache();
}

}  // namespace datamux
