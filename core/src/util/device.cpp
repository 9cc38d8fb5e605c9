#include "datamux/core/device.h"

#include <torch/cuda.h>

#include "datamux/sdk/error.h"

namespace datamux {

torch::Device select_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  const bool cuda = torch::cuda::is_available();
  if (name == "cuda") {
    if (!cuda)
      throw Error("run.device: 'cuda' was asked for, but this libtorch has no CUDA support or "
                  "no GPU is visible (use 'cpu' or 'auto')");
    return torch::kCUDA;
  }
  if (name == "auto") return cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  throw Error("run.device: unknown device '" + name + "' (expected cpu, cuda or auto)");
}

}  // namespace datamux
