#pragma once
// The toolkit's version, as `datamux --version` prints it and run.json records it.
#include <string>

namespace datamux {

const char* toolkit_version();

// Whether a run written by toolkit `version` can be read by this one: the same major and
// minor version (a minor version may change the run format while the major is 0).
bool compatible_toolkit_version(const std::string& version);

}  // namespace datamux
