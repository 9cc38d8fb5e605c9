# datamux_add_plugin(NAME [SOURCES] src... [NO_MANIFEST] [OUTPUT_DIRECTORY DIR])
#
# Builds a plugin as a MODULE library named exactly NAME.so (the file stem is the plugin
# name the loader checks), with hidden visibility so that only the entry point is exported,
# and C++17, since the language standard is part of the build key the loader compares.
# Unless NO_MANIFEST is given, the JSON manifest that lets `datamux plugins list` work
# without loading code is written beside it by `datamux plugins manifest` (target NAME_manifest,
# part of ALL).
#
# The same function serves this source tree and, installed with find_package(Datamux), plugin
# projects outside it. In this tree, plugins go where `datamux` finds them without any
# environment variable (build/lib/datamux-<version>/plugins); elsewhere into
# ${CMAKE_BINARY_DIR}/plugins, for DATAMUX_PLUGIN_PATH. `cmake --install` puts them into
# DATAMUX_PLUGIN_INSTALL_DIR, where a datamux installed in the same prefix finds them.
include_guard(GLOBAL)

if(NOT DEFINED DATAMUX_PLUGIN_OUTPUT_DIR)
  set(DATAMUX_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/plugins"
      CACHE PATH "Where datamux_add_plugin puts plugin libraries")
endif()

function(datamux_add_plugin name)
  cmake_parse_arguments(PLUGIN "NO_MANIFEST" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  set(out_dir "${DATAMUX_PLUGIN_OUTPUT_DIR}")
  if(PLUGIN_OUTPUT_DIRECTORY)
    set(out_dir "${PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  # The compiler is part of the build key too: refuse a mismatch now rather than at load time.
  if(DATAMUX_CXX_COMPILER_ID)
    string(REGEX MATCH "^[0-9]+" major "${CMAKE_CXX_COMPILER_VERSION}")
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL DATAMUX_CXX_COMPILER_ID OR
       NOT major STREQUAL DATAMUX_CXX_COMPILER_MAJOR)
      message(FATAL_ERROR
        "datamux_add_plugin(${name}): this project compiles with ${CMAKE_CXX_COMPILER_ID} "
        "${major}, Datamux ${DATAMUX_VERSION} was built with ${DATAMUX_CXX_COMPILER_ID} "
        "${DATAMUX_CXX_COMPILER_MAJOR}; the loader would refuse the plugin's build key "
        "(set CMAKE_CXX_COMPILER to a ${DATAMUX_CXX_COMPILER_ID} ${DATAMUX_CXX_COMPILER_MAJOR} compiler)")
    endif()
  endif()
  add_library(${name} MODULE ${PLUGIN_SOURCES} ${PLUGIN_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE Datamux::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    # The library is installed byte for byte as built, so its manifest's sha256 stays current.
    BUILD_WITH_INSTALL_RPATH ON
    LIBRARY_OUTPUT_DIRECTORY "${out_dir}")
  if(TARGET datamux_pch AND NOT DATAMUX_NO_PCH)
    target_precompile_headers(${name} REUSE_FROM datamux_pch)
  endif()
  set(manifest_target "")
  if(NOT PLUGIN_NO_MANIFEST AND TARGET Datamux::datamux)
    # Written again whenever the library or the program that writes it changes, so that a
    # manifest always has the current format and sha256.
    get_target_property(tool Datamux::datamux ALIASED_TARGET)  # this tree: the real target
    if(NOT tool)
      set(tool Datamux::datamux)  # installed: an imported target, depended on as a file
    endif()
    set(tool_dependency ${tool})
    if(DATAMUX_EXECUTABLE AND NOT TARGET datamux_core)
      set(tool_dependency "${DATAMUX_EXECUTABLE}")
    endif()
    set(manifest "${out_dir}/${name}.json")
    add_custom_command(OUTPUT "${manifest}"
      COMMAND $<TARGET_FILE:${tool}> plugins manifest $<TARGET_FILE:${name}>
      DEPENDS ${name} ${tool_dependency}
      COMMENT "Writing the manifest of plugin ${name}"
      VERBATIM)
    set(manifest_target ${name}_manifest)
    add_custom_target(${manifest_target} ALL DEPENDS "${manifest}")
  endif()
  if(NOT PLUGIN_OUTPUT_DIRECTORY AND TARGET datamux_plugins)
    add_dependencies(datamux_plugins ${name} ${manifest_target})
  endif()
  if(NOT PLUGIN_OUTPUT_DIRECTORY AND DATAMUX_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION "${DATAMUX_PLUGIN_INSTALL_DIR}")
    if(NOT PLUGIN_NO_MANIFEST)
      install(FILES "${out_dir}/${name}.json" DESTINATION "${DATAMUX_PLUGIN_INSTALL_DIR}")
    endif()
  endif()
endfunction()
