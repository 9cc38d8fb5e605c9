#pragma once
// Invariants the fuzz targets check on every input: a reader either returns results that
// keep its promises or throws a datamux::Error whose message is one line of valid UTF-8
// starting with the source name. A broken invariant aborts, which libFuzzer reports.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "datamux/core/readers/examples.h"
#include "text_lines.h"  // core/src/readers: find_invalid_utf8, is_space

namespace datamux::fuzz {

[[noreturn]] inline void broken(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %s: %.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void check_error_message(const std::string& message, const std::string& source) {
  if (message.rfind(source + ":", 0) != 0) broken("message does not start with the source", message);
  if (message.find('\n') != std::string::npos || message.find('\r') != std::string::npos)
    broken("message is not one line", message);
  if (readers::find_invalid_utf8(message) != std::string_view::npos)
    broken("message is not valid UTF-8", message);
}

// Non-empty, valid UTF-8, no whitespace at either end.
inline void check_text(std::string_view text, const char* what) {
  if (text.empty()) broken(what, "empty");
  if (readers::is_space(text.front()) || readers::is_space(text.back()))
    broken(what, "not trimmed");
  if (readers::find_invalid_utf8(text) != std::string_view::npos) broken(what, "invalid UTF-8");
  if (text.find('\0') != std::string_view::npos) broken(what, "NUL byte");
}

inline void check_report(const ReadReport& report) {
  if (report.warnings.size() > 50) broken("more than 50 warnings kept");
  if (report.warnings.size() > report.skipped) broken("more warnings than skipped lines");
}

}  // namespace datamux::fuzz
