#pragma once
// Joins items into one line of text ("a, b, c"): the lists that error messages, listings and
// reports show. Header-only and standard library only, for the core, plugins and reports.
#include <sstream>
#include <string>
#include <utility>

namespace datamux {

// Each item as `text(item)` (default: the item itself, streamed), separated by `separator`.
template <typename Range, typename Text>
std::string join(const Range& items, const std::string& separator, Text text) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    first = false;
    out += text(item);
  }
  return out;
}

template <typename Range>
std::string join(const Range& items, const std::string& separator = ", ") {
  return join(items, separator, [](const auto& item) {
    std::ostringstream text;
    text << item;
    return text.str();
  });
}

}  // namespace datamux
