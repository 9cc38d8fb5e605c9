#include "datamux/reports/chart_libraries.h"

#include <algorithm>
#include <cctype>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux::reports {
namespace {

constexpr const char* kScriptFiles[] = {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"};

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Inside <script>, only "</script" ends the element early. It can occur in valid JavaScript
// only within a string, regular expression or comment, where "<\/script" means the same.
// ("<!--" matters only together with "<script", which these builds never contain; refuse
// such a file rather than guess.)
std::string make_inlinable(const std::string& source, const std::filesystem::path& file) {
  const std::string lower = lower_case(source);
  if (lower.find("<!--") != std::string::npos && lower.find("<script") != std::string::npos)
    throw Error(file.string() +
                ": contains \"<!--\" and \"<script\"; it cannot be inlined "
                "into report.html safely");
  std::string out;
  out.reserve(source.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '<' && lower.compare(i, 8, "</script") == 0) {
      out += "<\\/";
      ++i;  // skip the '/', the rest is copied as it is
      continue;
    }
    out += source[i];
  }
  return out;
}

}  // namespace

std::filesystem::path default_chart_library_directory() {
  // The library's own location (not the executable's), like the core's plugin directory.
  const auto library = std::filesystem::weakly_canonical(boost::dll::this_line_location());
  return library.parent_path().parent_path() / "share" / "datamux" / "report";
}

ChartLibraries load_chart_libraries(const std::filesystem::path& directory) {
  ChartLibraries libraries;
  for (const char* name : kScriptFiles) {
    const auto file = directory / name;
    std::string source;
    if (!read_file(file, source))
      throw Error("report.html needs " + file.string() +
                  ", which is missing: run `npm ci` in reports/ and build again");
    libraries.push_back(ChartScript{name, make_inlinable(source, file)});
  }
  return libraries;
}

}  // namespace datamux::reports
