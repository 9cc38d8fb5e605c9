#pragma once
// The plugin entry point. A plugin library exports exactly one C symbol,
// `datamux_plugin_info`, returning a pointer to a static PluginInfo. The core checks `abi`
// and `size` before reading anything else, then `build_key`, then calls `register_components`.
#include <cstdint>

#include "datamux/sdk/abi.h"
#include "datamux/sdk/registrar.h"

namespace datamux {

struct PluginInfo {
  std::uint32_t abi;        // kPluginAbi of the SDK the plugin was built with; always first
  std::uint32_t size;       // sizeof(PluginInfo) as the plugin saw it
  const char* name;         // equal to the library's file stem
  const char* version;
  const char* build_key;    // DATAMUX_BUILD_KEY as the plugin saw it
  void (*register_components)(Registrar&);
};

}  // namespace datamux

#define DATAMUX_PLUGIN_ENTRY_SYMBOL "datamux_plugin_info"

#if defined(_WIN32)
#define DATAMUX_PLUGIN_EXPORT extern "C" __declspec(dllexport)
#else
#define DATAMUX_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))
#endif

// Defines the entry point. Use once per plugin, at namespace scope:
//   DATAMUX_PLUGIN("roberta", "1.0.0", register_roberta)
#define DATAMUX_PLUGIN(NAME, VERSION, REGISTER_FN)                                          \
  DATAMUX_PLUGIN_EXPORT const ::datamux::PluginInfo* datamux_plugin_info() {                \
    static const ::datamux::PluginInfo info{::datamux::kPluginAbi,                          \
                                            sizeof(::datamux::PluginInfo), NAME, VERSION,   \
                                            DATAMUX_BUILD_KEY, &REGISTER_FN};               \
    return &info;                                                                           \
  }
