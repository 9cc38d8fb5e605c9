# The CMake package `cmake --install` writes to lib/cmake/Datamux, so that a project outside
# this tree gets Datamux::sdk, Datamux::core, Datamux::datamux and datamux_add_plugin() from
# find_package(Datamux) (see cmake/DatamuxConfig.cmake.in).
include(CMakePackageConfigHelpers)
include(${CMAKE_CURRENT_LIST_DIR}/DatamuxTorchIdentity.cmake)

set(package_dir lib/cmake/Datamux)
install(EXPORT DatamuxTargets NAMESPACE Datamux:: DESTINATION ${package_dir})
datamux_torch_identity(DATAMUX_TORCH_IDENTITY DATAMUX_TORCH_DESCRIPTION)
string(REGEX MATCH "^[0-9]+" DATAMUX_CXX_COMPILER_MAJOR "${CMAKE_CXX_COMPILER_VERSION}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/DatamuxConfig.cmake.in
               ${CMAKE_BINARY_DIR}/package/DatamuxConfig.cmake @ONLY)
# 0.x: a minor version may change the plugin ABI or the run format, so only patch releases
# of the same minor version are compatible.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/DatamuxConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/package/DatamuxConfig.cmake
              ${CMAKE_BINARY_DIR}/package/DatamuxConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/DatamuxTorchIdentity.cmake
              ${PROJECT_SOURCE_DIR}/sdk/cmake/DatamuxPlugin.cmake
        DESTINATION ${package_dir})
