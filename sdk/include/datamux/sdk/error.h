#pragma once
// The one exception type for user-facing failures. Its message is a single line
// that names the file, key or plugin at fault; the CLI prints it and exits non-zero.
#include <stdexcept>
#include <string>

#include "datamux/sdk/visibility.h"

namespace datamux {

class DATAMUX_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace datamux
