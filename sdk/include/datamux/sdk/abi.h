#pragma once
// What a plugin and the core must agree on before any C++ object crosses between them.
// kPluginAbi changes whenever an SDK interface or PluginInfo changes layout; the build key
// captures everything else that makes C++ objects incompatible (libtorch, libstdc++ ABI,
// compiler, language standard).
#include <cstdint>
#include <torch/version.h>

namespace datamux {

constexpr std::uint32_t kPluginAbi = 5;  // 2: ModelContext::label_names, 3: Batch::truncated_labels,
                                         // 4: the FLOP-count hooks (flops.h) and Metric::kind,
                                         // 5: declarations (registrar.h: a demultiplexer's layout,
                                         //    a task's objective flag), Task::reads, metric
                                         //    targets, ModelContext::reserved_tokens

#define DATAMUX_STRINGIFY_(x) #x
#define DATAMUX_STRINGIFY(x) DATAMUX_STRINGIFY_(x)

// Evaluated in the translation unit that uses it, so the core and each plugin embed their own.
#define DATAMUX_BUILD_KEY                                                             \
  "torch-" DATAMUX_STRINGIFY(TORCH_VERSION_MAJOR) "." DATAMUX_STRINGIFY(             \
      TORCH_VERSION_MINOR) ";cxx11abi-" DATAMUX_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)     \
      ";gcc-" DATAMUX_STRINGIFY(__GNUC__) ";cxx-" DATAMUX_STRINGIFY(__cplusplus)

}  // namespace datamux
