#pragma once
// Errors are reported as one line: libtorch's and the standard library's messages can carry
// more (a backtrace, a second sentence), so callers keep the first line of what they show.
#include <string>

namespace datamux {

inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace datamux
