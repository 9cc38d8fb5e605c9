#include "datamux/core/plugin_search_path.h"

#include <cstdlib>
#include <sstream>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>

#include "datamux/sdk/error.h"

namespace datamux {
namespace {

void append_list(const std::string& list, const std::string& origin,
                 std::vector<std::filesystem::path>& out) {
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ':')) {
    if (item.empty()) continue;
    if (!std::filesystem::is_directory(item))
      throw Error(origin + ": plugin directory '" + item + "' does not exist");
    out.emplace_back(item);
  }
}

}  // namespace

std::filesystem::path default_plugin_directory() {
  // The core library's own location (not the executable's), so embedding programs and the
  // tests find the same plugins as the CLI; resolved at run time, so an installed tree moved
  // as a whole still finds its plugins. The folder carries the version: two installed
  // versions never load each other's plugins.
  const auto core = std::filesystem::weakly_canonical(boost::dll::this_line_location());
  return core.parent_path() / DATAMUX_PRIVATE_DIR / "plugins";
}

std::vector<std::filesystem::path> plugin_search_path(
    const std::vector<std::string>& explicit_paths) {
  std::vector<std::filesystem::path> out;
  for (const auto& list : explicit_paths) append_list(list, "--plugin-path", out);
  if (const char* env = std::getenv("DATAMUX_PLUGIN_PATH"))
    append_list(env, "DATAMUX_PLUGIN_PATH", out);
  const auto fallback = default_plugin_directory();
  if (std::filesystem::is_directory(fallback)) out.push_back(fallback);
  return out;
}

}  // namespace datamux
