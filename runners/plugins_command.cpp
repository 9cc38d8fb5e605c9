#include <iomanip>
#include <iostream>
#include <set>

#include "cli_parse.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/plugin_search_path.h"

namespace datamux::cli {
namespace {

constexpr const char* kUsage =
    "usage: datamux plugins list [--plugin-path DIR]\n"
    "       datamux plugins describe NAME [--kind KIND] [--plugin-path DIR]\n"
    "       datamux plugins manifest LIBRARY...   (writes LIBRARY's manifest; used by the build)";

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::cout << row[c];
      if (c + 1 < row.size()) std::cout << std::string(widths[c] - row[c].size() + 2, ' ');
    }
    std::cout << '\n';
  }
}

int list(PluginHost& host) {
  const auto rows = host.list();
  if (rows.empty()) {
    std::cout << "no plugins found on the search path\n";
    return 0;
  }
  std::vector<std::vector<std::string>> table = {{"NAME", "KIND", "VERSION", "PATH"}};
  for (const auto& row : rows)
    table.push_back({row.name, kind_name(row.kind), row.version, row.path.string()});
  print_table(table);
  return 0;
}

void describe_one(const ComponentEntry& entry) {
  std::cout << entry.name << " (" << kind_name(entry.kind) << ")";
  if (!entry.help.empty()) std::cout << ": " << entry.help;
  std::cout << "\n  plugin " << entry.plugin->name << " " << entry.plugin->version << ", "
            << entry.plugin->path.string() << "\n";
  OptionSchema schema;
  if (entry.declare_options) entry.declare_options(schema);
  std::cout << "\noptions (config section \"" << kind_name(entry.kind) << "\"):\n";
  if (schema.options().empty()) std::cout << "  none\n";
  std::vector<std::vector<std::string>> table = {{"  KEY", "TYPE", "DEFAULT", "HELP"}};
  for (const auto& option : schema.options())
    table.push_back({"  " + option.name, option_type_name(option.type), option.default_text,
                     option.help + (option.constraint.empty() ? "" : " (" + option.constraint + ")")});
  if (!schema.options().empty()) print_table(table);
  if (!entry.presets.empty()) {
    std::cout << "\npresets (\"preset\": NAME; your own values override a preset's):\n";
    for (const auto& preset : entry.presets) {
      std::cout << "  " << preset.name;
      if (!preset.help.empty()) std::cout << ": " << preset.help;
      std::cout << "\n   ";
      for (const auto& [key, value] : preset.values) std::cout << " " << key << "=" << value;
      std::cout << "\n";
    }
  }
}

int describe(PluginHost& host, const std::string& name, const std::string& kind) {
  std::vector<const ComponentEntry*> found;
  for (ComponentKind k : all_kinds()) {
    if (!kind.empty() && kind != kind_name(k)) continue;
    for (const auto& row : host.list())
      if (row.kind == k && row.name == name) {
        found.push_back(&host.require_entry(k, name));
        break;
      }
  }
  if (found.empty()) {
    std::set<std::string> names;
    for (const auto& row : host.list()) names.insert(row.name);
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    throw Error("no component named '" + name + "'" + (kind.empty() ? "" : " of kind " + kind) +
                " (available: " + (all.empty() ? "none" : all) + ")");
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i) std::cout << "\n";
    describe_one(*found[i]);
  }
  return 0;
}

}  // namespace

int plugins_command(const Arguments& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << kUsage << std::endl;
    return args.empty() ? 2 : 0;
  }
  const std::string action = args[0];
  if (action == "manifest") {
    if (args.size() < 2) throw UsageError("datamux plugins manifest: give at least one library");
    for (std::size_t i = 1; i < args.size(); ++i) write_manifest_for(args[i]);
    return 0;
  }
  cxxopts::Options options("datamux plugins " + action, "");
  options.add_options()
      ("plugin-path", "extra plugin directories, searched first",
       cxxopts::value<std::vector<std::string>>(), "DIR[:DIR...]")
      ("kind", "only components of this kind", cxxopts::value<std::string>(), "KIND")
      ("name", "component name", cxxopts::value<std::string>())
      ("h,help", "show this help");
  options.parse_positional({"name"});
  const auto result = parse(options, Arguments(args.begin() + 1, args.end()));
  if (result.count("help")) {
    std::cout << kUsage << std::endl;
    return 0;
  }
  std::vector<std::string> paths;
  if (result.count("plugin-path")) paths = result["plugin-path"].as<std::vector<std::string>>();
  PluginHost host(plugin_search_path(paths));
  if (action == "list") {
    if (result.count("name")) throw UsageError("datamux plugins list takes no name");
    return list(host);
  }
  if (action == "describe") {
    const std::string name = required(result, "name", "datamux plugins describe");
    const std::string kind = result.count("kind") ? result["kind"].as<std::string>() : "";
    if (!kind.empty()) kind_from_name(kind);  // rejects an unknown kind with the valid ones
    return describe(host, name, kind);
  }
  throw UsageError("datamux plugins: unknown action '" + action + "'\n" + kUsage);
}

}  // namespace datamux::cli
