#pragma once
// The JavaScript that draws report.html's charts (vega, vega-lite, vega-embed; versions pinned
// in reports/package.json). The build copies the minified files from reports/node_modules to
// share/datamux/report/ beside lib/ (and bin/), where this finds them relative to the
// library's own location, so the CLI, the tests and embedding programs all find the same ones.
#include <filesystem>
#include <string>
#include <vector>

namespace datamux::reports {

struct ChartScript {
  std::string file_name;  // "vega.min.js"
  std::string source;     // safe to place inside <script>...</script>
};

// In load order: vega, vega-lite, vega-embed.
using ChartLibraries = std::vector<ChartScript>;

// <directory of libdatamux_reports>/../share/datamux/report
std::filesystem::path default_chart_library_directory();

// Reads the three scripts from `directory`; a missing one is a one-line datamux::Error that
// says how to get them.
ChartLibraries load_chart_libraries(
    const std::filesystem::path& directory = default_chart_library_directory());

}  // namespace datamux::reports
