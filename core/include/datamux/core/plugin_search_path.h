#pragma once
// Where plugins are looked for, in order: --plugin-path entries, DATAMUX_PLUGIN_PATH, then the
// directory beside the core library (lib/datamux-<version>/plugins, the same in the build tree
// and in an install). Earlier directories shadow later ones for a library of the same name.
#include <filesystem>
#include <string>
#include <vector>

namespace datamux {

// `explicit_paths` entries may each hold several directories separated by ':'.
std::vector<std::filesystem::path> plugin_search_path(
    const std::vector<std::string>& explicit_paths);

// lib/datamux-<version>/plugins next to libdatamux_core.
std::filesystem::path default_plugin_directory();

}  // namespace datamux
