#pragma once
// The JSON file written beside each plugin library at build time (`<name>.json`). It lets
// `datamux plugins list` and component lookup work without loading code; it is trusted only
// while its sha256 matches the library.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "datamux/core/registry.h"

namespace datamux {

constexpr int kManifestVersion = 1;

struct ManifestComponent {
  ComponentKind kind;
  std::string name;
  std::string help;
};

struct PluginManifest {
  std::string plugin;
  std::string version;
  std::string build_key;
  std::string sha256;
  std::vector<ManifestComponent> components;
};

std::filesystem::path manifest_path_for(const std::filesystem::path& library);

// The manifest beside `library` if there is one that is readable, of this version and
// describes exactly this library (sha256), written for this SDK ABI and build key;
// std::nullopt otherwise.
std::optional<PluginManifest> read_current_manifest(const std::filesystem::path& library);

void write_manifest(const std::filesystem::path& library, const PluginManifest& manifest);

}  // namespace datamux
