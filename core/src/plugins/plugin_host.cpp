#include "datamux/core/plugin_host.h"

#include <algorithm>
#include <cstring>
#include <set>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

#include "datamux/core/sha256.h"
#include "datamux/sdk/plugin.h"
#include "elf_image.h"
#include "datamux/sdk/join.h"

namespace datamux {
namespace {

// Never destroyed: unloading a plugin would leave dangling vtables and autograd functions.
std::vector<boost::dll::shared_library>& resident_libraries() {
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  return *libraries;
}

std::string key_of(const std::filesystem::path& path) {
  return std::filesystem::weakly_canonical(path).string();
}

// Checks the entry point of an opened library and returns its PluginInfo.
const PluginInfo& checked_info(const boost::dll::shared_library& library,
                               const std::filesystem::path& path) {
  if (!library.has(DATAMUX_PLUGIN_ENTRY_SYMBOL))
    throw Error(path.string() + ": not a datamux plugin (no '" DATAMUX_PLUGIN_ENTRY_SYMBOL
                "' entry point)");
  const auto entry = library.get<const PluginInfo*()>(DATAMUX_PLUGIN_ENTRY_SYMBOL);
  const PluginInfo* info = entry();
  if (info == nullptr) throw Error(path.string() + ": plugin entry point returned no information");
  if (info->abi != kPluginAbi)
    throw Error(path.string() + ": plugin ABI mismatch: expected " + std::to_string(kPluginAbi) +
                ", found " + std::to_string(info->abi) + " (rebuild the plugin against this SDK)");
  if (info->size != sizeof(PluginInfo))
    throw Error(path.string() + ": plugin information has size " + std::to_string(info->size) +
                ", expected " + std::to_string(sizeof(PluginInfo)));
  const char* key = info->build_key ? info->build_key : "";
  if (std::strcmp(key, DATAMUX_BUILD_KEY) != 0)
    throw Error(path.string() + ": plugin build key mismatch: expected '" DATAMUX_BUILD_KEY
                "', found '" + std::string(key) + "' (rebuild the plugin with this toolchain)");
  const std::string stem = path.stem().string();
  if (info->name == nullptr || stem != info->name)
    throw Error(path.string() + ": plugin declares the name '" +
                std::string(info->name ? info->name : "") +
                "' but its file is named '" + stem + "'; they must be equal");
  if (info->register_components == nullptr)
    throw Error(path.string() + ": plugin has no register function");
  return *info;
}

}  // namespace

std::string BrokenLibrary::warning() const {
  return path.string() + ": skipped, not a loadable plugin library: " + problem;
}

PluginHost::PluginHost(std::vector<std::filesystem::path> search_path)
    : search_path_(std::move(search_path)) {
  std::set<std::string> seen_stems;
  for (const auto& directory : search_path_) {
    std::vector<std::filesystem::path> libraries;
    for (const auto& item : std::filesystem::directory_iterator(directory))
      if (item.is_regular_file() && item.path().extension() == ".so")
        libraries.push_back(item.path());
    std::sort(libraries.begin(), libraries.end());
    for (const auto& library : libraries) {
      const std::string stem = library.stem().string();
      if (seen_stems.count(stem)) continue;  // shadowed by an earlier directory
      // A broken file is set aside, whatever its manifest says: it cannot provide anything,
      // and the other plugins (a library of the same name later on the path included) must
      // still work.
      if (const auto problem = elf_image_problem(library)) {
        broken_.push_back({library, *problem});
        continue;
      }
      seen_stems.insert(stem);
      candidates_.push_back({library, stem, read_current_manifest(library)});
    }
  }
}

std::shared_ptr<const PluginRecord> PluginHost::load(const std::filesystem::path& path) {
  const std::string key = key_of(path);
  if (auto it = by_path_.find(key); it != by_path_.end()) return it->second;

  if (const auto problem = elf_image_problem(path))
    throw Error(path.string() + ": cannot load plugin library: " + *problem);
  boost::dll::shared_library library;
  try {
    library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    throw Error(path.string() + ": cannot load plugin library: " + error.what());
  }
  const PluginInfo& info = checked_info(library, path);
  auto record = std::make_shared<const PluginRecord>(PluginRecord{
      info.name, info.version ? info.version : "", info.build_key, path, sha256_file(path)});
  resident_libraries().push_back(library);

  registry_.set_current_plugin(record);
  try {
    info.register_components(registry_);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& error) {
    throw Error("plugin '" + record->name + "' (" + path.string() +
                ") failed to register its components: " + error.what());
  }
  by_path_.emplace(key, record);
  loaded_.push_back(record);
  return record;
}

void PluginHost::load_all() {
  for (const auto& candidate : candidates_) load(candidate.library);
}

std::vector<ComponentListing> PluginHost::list() {
  std::vector<ComponentListing> rows;
  for (const auto& candidate : candidates_) {
    if (candidate.manifest) {
      for (const auto& component : candidate.manifest->components)
        rows.push_back({component.kind, component.name, component.help, candidate.manifest->plugin,
                        candidate.manifest->version, candidate.library});
      continue;
    }
    const auto record = load(candidate.library);
    for (const auto& entry : registry_.entries())
      if (entry.plugin == record)
        rows.push_back({entry.kind, entry.name, entry.help, record->name, record->version,
                        record->path});
  }
  std::sort(rows.begin(), rows.end(), [](const ComponentListing& a, const ComponentListing& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.name < b.name;
  });
  return rows;
}

void PluginHost::load_providers(ComponentKind kind, const std::string& name) {
  // Libraries without a current manifest might provide anything, so they are loaded too;
  // loading every declared provider lets a duplicate name be reported with both files.
  for (const auto& candidate : candidates_) {
    bool provides = !candidate.manifest;
    if (candidate.manifest)
      for (const auto& component : candidate.manifest->components)
        provides = provides || (component.kind == kind && component.name == name);
    if (provides) load(candidate.library);
  }
}

const ComponentEntry& PluginHost::require_entry(ComponentKind kind, const std::string& name) {
  if (const auto* entry = registry_.find_entry(kind, name)) return *entry;
  load_providers(kind, name);
  if (const auto* entry = registry_.find_entry(kind, name)) return *entry;
  throw unknown_component(kind, name);
}

Error PluginHost::unknown_component(ComponentKind kind, const std::string& name) {
  std::set<std::string> available;
  for (const auto& row : list())
    if (row.kind == kind) available.insert(row.name);
  const std::string where =
      join(search_path_, ":", [](const std::filesystem::path& directory) { return directory.string(); });
  std::string skipped;
  for (const auto& library : broken_)
    skipped += "; " + library.warning();
  return Error("unknown " + std::string(kind_name(kind)) + " '" + name + "' (available: " +
               (available.empty() ? "none" : join(available)) + "; searched " +
               (where.empty() ? "no plugin directory" : where) + skipped + ")");
}

PluginManifest write_manifest_for(const std::filesystem::path& library) {
  PluginHost host({});
  const auto record = host.load(library);
  PluginManifest manifest{record->name, record->version, record->build_key, record->sha256, {}};
  for (const auto& entry : host.registry().entries())
    manifest.components.push_back({entry.kind, entry.name, entry.help});
  write_manifest(library, manifest);
  return manifest;
}

}  // namespace datamux
