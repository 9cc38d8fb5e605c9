#include "datamux/core/version.h"

namespace datamux {
namespace {

// "1.2.3" -> "1.2"; a version without a second dot is its own prefix.
std::string major_minor(const std::string& version) {
  const auto first = version.find('.');
  if (first == std::string::npos) return version;
  return version.substr(0, version.find('.', first + 1));
}

}  // namespace

const char* toolkit_version() { return DATAMUX_VERSION; }

bool compatible_toolkit_version(const std::string& version) {
  return major_minor(version) == major_minor(DATAMUX_VERSION);
}

}  // namespace datamux
