#pragma once
// Finds plugin libraries on the search path, loads them on demand through Boost.DLL, checks
// their entry point, and keeps them resident for the life of the process (objects, autograd
// nodes and exceptions created by a plugin point into its code).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datamux/core/plugin_manifest.h"
#include "datamux/core/registry.h"
#include "datamux/sdk/error.h"

namespace datamux {

struct PluginCandidate {
  std::filesystem::path library;
  std::string stem;  // must equal the plugin's declared name
  std::optional<PluginManifest> manifest;  // present only when current
};

// A file on the search path that cannot be a plugin (empty, not ELF, truncated): skipped.
struct BrokenLibrary {
  std::filesystem::path path;
  std::string problem;
  // The one-line warning commands print: "PATH: skipped, not a loadable plugin library: ...".
  std::string warning() const;
};

// One row of `datamux plugins list`.
struct ComponentListing {
  ComponentKind kind;
  std::string name;
  std::string help;
  std::string plugin;
  std::string version;
  std::filesystem::path path;
};

class PluginHost {
 public:
  explicit PluginHost(std::vector<std::filesystem::path> search_path);

  const std::vector<std::filesystem::path>& search_path() const { return search_path_; }
  const std::vector<PluginCandidate>& candidates() const { return candidates_; }
  // Libraries set aside because they could not be mapped safely; callers report them.
  const std::vector<BrokenLibrary>& broken() const { return broken_; }

  // Loads a library (once per path) and registers its components.
  std::shared_ptr<const PluginRecord> load(const std::filesystem::path& library);
  void load_all();

  // Every component on the search path: from manifests where they are current, loading only
  // the libraries that have none.
  std::vector<ComponentListing> list();

  // The component `name` of the given kind, loading the library that provides it.
  template <typename Interface>
  const Registered<Interface>& require(const std::string& name) {
    if (const auto* found = registry_.find<Interface>(name)) return *found;
    load_providers(KindOf<Interface>::value, name);
    if (const auto* found = registry_.find<Interface>(name)) return *found;
    throw unknown_component(KindOf<Interface>::value, name);
  }
  const ComponentEntry& require_entry(ComponentKind kind, const std::string& name);

  const Registry& registry() const { return registry_; }
  // Plugins loaded so far, in load order.
  const std::vector<std::shared_ptr<const PluginRecord>>& loaded() const { return loaded_; }

 private:
  void load_providers(ComponentKind kind, const std::string& name);
  Error unknown_component(ComponentKind kind, const std::string& name);

  std::vector<std::filesystem::path> search_path_;
  std::vector<PluginCandidate> candidates_;
  std::vector<BrokenLibrary> broken_;
  std::map<std::string, std::shared_ptr<const PluginRecord>> by_path_;
  std::vector<std::shared_ptr<const PluginRecord>> loaded_;
  Registry registry_;
};

// Loads the library, reads its PluginInfo and writes the manifest beside it (used at build time).
PluginManifest write_manifest_for(const std::filesystem::path& library);

}  // namespace datamux
