#pragma once
#include <string>

#include <torch/types.h>

namespace datamux {

// "cpu", "cuda" or "auto" (cuda when a GPU is usable). Asking for cuda without one is an error.
torch::Device select_device(const std::string& name);

}  // namespace datamux
