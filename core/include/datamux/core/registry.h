#pragma once
// The components every loaded plugin registered, keyed by kind and name.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "datamux/sdk/registrar.h"

namespace datamux {

enum class ComponentKind { kBackbone, kMultiplexer, kDemultiplexer, kTask };

const char* kind_name(ComponentKind kind);
// The config section a kind is configured in ("backbone", ...), i.e. kind_name.
ComponentKind kind_from_name(const std::string& name);  // throws Error on an unknown kind
const std::vector<ComponentKind>& all_kinds();

template <typename Interface>
struct KindOf;
template <>
struct KindOf<Backbone> { static constexpr ComponentKind value = ComponentKind::kBackbone; };
template <>
struct KindOf<Multiplexer> { static constexpr ComponentKind value = ComponentKind::kMultiplexer; };
template <>
struct KindOf<Demultiplexer> {
  static constexpr ComponentKind value = ComponentKind::kDemultiplexer;
};
template <>
struct KindOf<Task> { static constexpr ComponentKind value = ComponentKind::kTask; };

// One loaded plugin library.
struct PluginRecord {
  std::string name;
  std::string version;
  std::string build_key;
  std::filesystem::path path;
  std::string sha256;
};

// Kind-independent view of a component, for listings and option handling.
struct ComponentEntry {
  ComponentKind kind;
  std::string name;
  std::string help;
  std::shared_ptr<const PluginRecord> plugin;
  std::function<void(OptionSchema&)> declare_options;
  std::vector<Preset> presets;
};

template <typename Interface>
struct Registered {
  ComponentSpec<Interface> spec;
  std::shared_ptr<const PluginRecord> plugin;
};

class Registry final : public Registrar {
 public:
  // Components added from now on are attributed to `plugin`.
  void set_current_plugin(std::shared_ptr<const PluginRecord> plugin) {
    current_ = std::move(plugin);
  }

  void add_backbone(ComponentSpec<Backbone> spec) override;
  void add_multiplexer(ComponentSpec<Multiplexer> spec) override;
  void add_demultiplexer(ComponentSpec<Demultiplexer> spec) override;
  void add_task(ComponentSpec<Task> spec) override;

  template <typename Interface>
  const Registered<Interface>* find(const std::string& name) const {
    const auto& map = table<Interface>();
    auto it = map.find(name);
    return it == map.end() ? nullptr : &it->second;
  }

  const ComponentEntry* find_entry(ComponentKind kind, const std::string& name) const;
  std::vector<ComponentEntry> entries() const;  // sorted by kind, then name
  std::vector<std::string> names(ComponentKind kind) const;

 private:
  template <typename Interface>
  void add(ComponentSpec<Interface> spec);

  template <typename Interface>
  std::map<std::string, Registered<Interface>>& table();
  template <typename Interface>
  const std::map<std::string, Registered<Interface>>& table() const {
    return const_cast<Registry*>(this)->table<Interface>();
  }

  std::shared_ptr<const PluginRecord> current_;
  std::map<std::string, Registered<Backbone>> backbones_;
  std::map<std::string, Registered<Multiplexer>> multiplexers_;
  std::map<std::string, Registered<Demultiplexer>> demultiplexers_;
  std::map<std::string, Registered<Task>> tasks_;
  std::vector<ComponentEntry> entries_;
};

// Defined in registry.cpp; declared here so `find` uses them from every translation unit.
template <>
std::map<std::string, Registered<Backbone>>& Registry::table<Backbone>();
template <>
std::map<std::string, Registered<Multiplexer>>& Registry::table<Multiplexer>();
template <>
std::map<std::string, Registered<Demultiplexer>>& Registry::table<Demultiplexer>();
template <>
std::map<std::string, Registered<Task>>& Registry::table<Task>();

}  // namespace datamux
