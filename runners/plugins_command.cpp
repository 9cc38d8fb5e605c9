#include <algorithm>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <utility>

#include "cli_parse.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/plugin_skeleton.h"
#include "datamux/sdk/join.h"

namespace datamux::cli {
namespace {

constexpr const char* kUsage =
    "usage: datamux plugins list [--plugin-path DIR]\n"
    "       datamux plugins describe NAME|--all [--kind KIND] [--markdown] [--plugin-path DIR]\n"
    "       datamux plugins new KIND NAME DIR       (a plugin project to build against the installed\n"
    "                                               datamux: KIND backbone|multiplexer|demultiplexer|task)\n"
    "       datamux plugins manifest LIBRARY...   (writes LIBRARY's manifest; used by the build)\n"
    "--markdown prints the format of docs/plugin-options.md, which is\n"
    "`datamux plugins describe --all --markdown` of the plugins this tree builds.";

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

// ---- Markdown (docs/plugin-options.md) -------------------------------------------------------
// Only what the plugins declare: no paths or checksums, so the same sources give the same text
// on every machine and a test can compare it with the committed file.

// One table cell: '|' would end the cell and a newline the row.
std::string cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else out += c == '\n' ? ' ' : c;
  }
  return out;
}

const char* kind_title(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kBackbone: return "Backbones";
    case ComponentKind::kMultiplexer: return "Multiplexers";
    case ComponentKind::kDemultiplexer: return "Demultiplexers";
    case ComponentKind::kTask: return "Tasks";
  }
  return "Components";
}

void describe_one_markdown(const ComponentEntry& entry) {
  std::cout << "### `" << entry.name << "`\n\n";
  if (!entry.help.empty()) std::cout << entry.help << ". ";
  std::cout << "Plugin `" << entry.plugin->name << "` " << entry.plugin->version << ".\n\n";
  OptionSchema schema;
  if (entry.declare_options) entry.declare_options(schema);
  if (schema.options().empty()) {
    std::cout << "No options.\n\n";
  } else {
    std::cout << "| key | type | default | meaning |\n|---|---|---|---|\n";
    for (const auto& option : schema.options())
      std::cout << "| `" << option.name << "` | " << option_type_name(option.type) << " | "
                << (option.default_text.empty() ? "\"\"" : "`" + cell(option.default_text) + "`")
                << " | " << cell(option.help)
                << (option.constraint.empty() ? "" : " (" + cell(option.constraint) + ")")
                << " |\n";
    std::cout << "\n";
  }
  if (entry.presets.empty()) return;
  std::cout << "| preset | meaning | values |\n|---|---|---|\n";
  for (const auto& preset : entry.presets) {
    std::string values;
    for (const auto& [key, value] : preset.values)
      values += (values.empty() ? "`" : ", `") + cell(key + "=" + value) + "`";
    std::cout << "| `" << preset.name << "` | " << cell(preset.help) << " | " << values << " |\n";
  }
  std::cout << "\n";
}

void print_markdown(const std::vector<ComponentEntry>& entries, bool whole_document) {
  if (whole_document)
    std::cout << "# Plugin options\n\n"
                 "<!-- Generated by `datamux plugins describe --all --markdown`; do not edit. "
                 "tests/docs_test.cpp fails when this file differs from what the plugins "
                 "declare. -->\n\n"
                 "The keys each component accepts in its config section, besides `plugin` and "
                 "`preset` (see [configs.md](configs.md)). A preset sets the values it lists; "
                 "your own keys override them, and `\"preset\": \"tiny\"` means "
                 "`<plugin>-tiny`. The `auxiliary` section takes the options of the task it names "
                 "(an objective).\n\n";
  std::optional<ComponentKind> kind;
  for (const ComponentEntry& entry : entries) {
    if (whole_document && kind != entry.kind) {
      kind = entry.kind;
      std::cout << "## " << kind_title(entry.kind) << " (section `" << kind_name(entry.kind)
                << "`)\n\n";
    }
    describe_one_markdown(entry);
  }
}

// Every component on the search path (of `kind` when given), by kind, then name. Copies:
// loading the next library may move the registry's entries.
std::vector<ComponentEntry> all_entries(PluginHost& host, const std::string& kind) {
  std::vector<std::pair<ComponentKind, std::string>> keys;
  for (const auto& row : host.list())
    if (kind.empty() || kind == kind_name(row.kind)) keys.emplace_back(row.kind, row.name);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<ComponentEntry> entries;
  for (const auto& [k, name] : keys) entries.push_back(host.require_entry(k, name));
  return entries;
}

int describe(PluginHost& host, const std::string& name, const std::string& kind, bool all,
             bool markdown) {
  if (all) {
    const auto entries = all_entries(host, kind);
    if (entries.empty()) throw Error("no plugins found on the search path");
    if (markdown) {
      print_markdown(entries, true);
      return 0;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i) std::cout << "\n";
      describe_one(entries[i]);
    }
    return 0;
  }
  std::vector<ComponentEntry> found;  // copies, as in all_entries
  for (ComponentKind k : all_kinds()) {
    if (!kind.empty() && kind != kind_name(k)) continue;
    for (const auto& row : host.list())
      if (row.kind == k && row.name == name) {
        found.push_back(host.require_entry(k, name));
        break;
      }
  }
  if (found.empty()) {
    std::set<std::string> names;
    for (const auto& row : host.list()) names.insert(row.name);
    const std::string all = join(names);
    throw Error("no component named '" + name + "'" + (kind.empty() ? "" : " of kind " + kind) +
                " (available: " + (all.empty() ? "none" : all) + ")");
  }
  if (markdown) {
    print_markdown(found, false);
    return 0;
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i) std::cout << "\n";
    describe_one(found[i]);
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
  if (action == "new") {
    if (args.size() != 4)
      throw UsageError("datamux plugins new: give KIND NAME DIR (e.g. multiplexer my_mux plugins/my_mux)");
    const ComponentKind kind = kind_from_name(args[1]);  // names the valid kinds when unknown
    for (const auto& file : write_plugin_skeleton(kind, args[2], args[3]))
      std::cout << "wrote " << file.string() << "\n";
    std::cout << "build it against the installed datamux: cmake -S " << args[3] << " -B "
              << args[3] << "/build -DCMAKE_PREFIX_PATH=<datamux prefix> && cmake --build "
              << args[3] << "/build" << std::endl;
    return 0;
  }
  cxxopts::Options options("datamux plugins " + action, "");
  options.add_options()
      ("plugin-path", "extra plugin directories, searched first",
       cxxopts::value<std::vector<std::string>>(), "DIR[:DIR...]")
      ("kind", "only components of this kind", cxxopts::value<std::string>(), "KIND")
      ("all", "describe: every component on the search path")
      ("markdown", "describe: print Markdown (the format of docs/plugin-options.md)")
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
  for (const auto& library : host.broken())
    std::cerr << "datamux: warning: " << library.warning() << std::endl;
  const bool all = result.count("all") > 0, markdown = result.count("markdown") > 0;
  if (action == "list") {
    if (result.count("name")) throw UsageError("datamux plugins list takes no name");
    if (all || markdown) throw UsageError("datamux plugins list takes no --all or --markdown");
    return list(host);
  }
  if (action == "describe") {
    if (all && result.count("name"))
      throw UsageError("datamux plugins describe: give a NAME or --all, not both");
    if (!all && !result.count("name"))
      throw UsageError("datamux plugins describe: give a component NAME or --all");
    const std::string name = all ? "" : result["name"].as<std::string>();
    const std::string kind = result.count("kind") ? result["kind"].as<std::string>() : "";
    if (!kind.empty()) kind_from_name(kind);  // rejects an unknown kind with the valid ones
    return describe(host, name, kind, all, markdown);
  }
  throw UsageError("datamux plugins: unknown action '" + action +
                   "' (expected list, describe, new or manifest; see datamux plugins --help)");
}

}  // namespace datamux::cli
