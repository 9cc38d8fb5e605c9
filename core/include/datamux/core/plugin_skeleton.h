#pragma once
// `datamux plugins new KIND NAME DIR`: a ready-to-build plugin project outside this tree, one
// component of the given kind: CMakeLists.txt (find_package(Datamux), datamux_add_plugin),
// NAME.cpp (the component, its options and the entry point) and tests/NAME_test.cpp (a
// GoogleTest test that loads the built library and runs the component once).
#include <filesystem>
#include <string>
#include <vector>

#include "datamux/core/registry.h"

namespace datamux {

// Refuses a NAME that is not a lower-case identifier (it becomes the library's file stem and a
// CMake target) and a DIR that exists and is not empty. Returns the files written.
std::vector<std::filesystem::path> write_plugin_skeleton(ComponentKind kind, const std::string& name,
                                                         const std::filesystem::path& directory);

}  // namespace datamux
