#include "datamux/core/registry.h"

#include <algorithm>

namespace datamux {

const std::vector<ComponentKind>& all_kinds() {
  static const std::vector<ComponentKind> kinds = {ComponentKind::kBackbone,
                                                   ComponentKind::kMultiplexer,
                                                   ComponentKind::kDemultiplexer,
                                                   ComponentKind::kTask};
  return kinds;
}

const char* kind_name(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kBackbone: return "backbone";
    case ComponentKind::kMultiplexer: return "multiplexer";
    case ComponentKind::kDemultiplexer: return "demultiplexer";
    case ComponentKind::kTask: return "task";
  }
  return "?";
}

ComponentKind kind_from_name(const std::string& name) {
  for (ComponentKind kind : all_kinds())
    if (name == kind_name(kind)) return kind;
  throw Error("unknown component kind '" + name +
              "' (expected backbone, multiplexer, demultiplexer or task)");
}

template <>
std::map<std::string, Registered<Backbone>>& Registry::table<Backbone>() { return backbones_; }
template <>
std::map<std::string, Registered<Multiplexer>>& Registry::table<Multiplexer>() {
  return multiplexers_;
}
template <>
std::map<std::string, Registered<Demultiplexer>>& Registry::table<Demultiplexer>() {
  return demultiplexers_;
}
template <>
std::map<std::string, Registered<Task>>& Registry::table<Task>() { return tasks_; }

template <typename Interface>
void Registry::add(ComponentSpec<Interface> spec) {
  const ComponentKind kind = KindOf<Interface>::value;
  const std::string here = current_ ? current_->path.string() : "<unknown library>";
  if (spec.name.empty()) throw Error(here + ": registers a " + kind_name(kind) + " without a name");
  if (!spec.create)
    throw Error(here + ": " + kind_name(kind) + " '" + spec.name + "' has no factory");
  auto& map = table<Interface>();
  auto existing = map.find(spec.name);
  if (existing != map.end()) {
    const std::string there =
        existing->second.plugin ? existing->second.plugin->path.string() : "<unknown library>";
    throw Error(std::string(kind_name(kind)) + " '" + spec.name + "' is registered twice: by " +
                there + " and by " + here);
  }
  entries_.push_back(
      ComponentEntry{kind, spec.name, spec.help, current_, spec.declare_options, spec.presets});
  std::string name = spec.name;  // copied: the spec is moved from in the same call
  map.emplace(std::move(name), Registered<Interface>{std::move(spec), current_});
}

void Registry::add_backbone(ComponentSpec<Backbone> spec) { add(std::move(spec)); }
void Registry::add_multiplexer(ComponentSpec<Multiplexer> spec) { add(std::move(spec)); }
void Registry::add_demultiplexer(ComponentSpec<Demultiplexer> spec) {
  // The core sizes the backbone and the vocabulary from the layout before building anything.
  if (!spec.declares.layout)
    throw Error((current_ ? current_->path.string() : std::string("<unknown library>")) +
                ": demultiplexer '" + spec.name + "' declares no layout (declares.layout: its "
                "prefix length and reserved tokens for N instances)");
  add(std::move(spec));
}
void Registry::add_task(ComponentSpec<Task> spec) { add(std::move(spec)); }

const ComponentEntry* Registry::find_entry(ComponentKind kind, const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.kind == kind && entry.name == name) return &entry;
  return nullptr;
}

std::vector<ComponentEntry> Registry::entries() const {
  auto sorted = entries_;
  std::sort(sorted.begin(), sorted.end(), [](const ComponentEntry& a, const ComponentEntry& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.name < b.name;
  });
  return sorted;
}

std::vector<std::string> Registry::names(ComponentKind kind) const {
  std::vector<std::string> out;
  for (const auto& entry : entries())
    if (entry.kind == kind) out.push_back(entry.name);
  return out;
}

}  // namespace datamux
