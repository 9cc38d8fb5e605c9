# datamux_add_plugin(NAME SOURCES... [NO_MANIFEST])
#
# Builds a plugin as a MODULE library named exactly NAME.so (the file stem is the plugin
# name the loader checks), with hidden visibility so that only the entry point is exported,
# into the directory where `datamux` finds plugins without any environment variable.
# Unless NO_MANIFEST is given, the JSON manifest that lets `datamux plugins list` work
# without loading code is written beside it after each build.
set(DATAMUX_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/lib/datamux/plugins"
    CACHE PATH "Where datamux_add_plugin puts plugin libraries")

function(datamux_add_plugin name)
  cmake_parse_arguments(PLUGIN "NO_MANIFEST" "OUTPUT_DIRECTORY" "" ${ARGN})
  set(out_dir "${DATAMUX_PLUGIN_OUTPUT_DIR}")
  if(PLUGIN_OUTPUT_DIRECTORY)
    set(out_dir "${PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  add_library(${name} MODULE ${PLUGIN_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE datamux::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${out_dir}")
  if(TARGET datamux_pch AND NOT DATAMUX_NO_PCH)
    target_precompile_headers(${name} REUSE_FROM datamux_pch)
  endif()
  if(NOT PLUGIN_NO_MANIFEST AND TARGET datamux)
    add_dependencies(${name} datamux)
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND $<TARGET_FILE:datamux> plugins manifest $<TARGET_FILE:${name}>
      COMMENT "Writing the manifest of plugin ${name}"
      VERBATIM)
  endif()
  if(NOT PLUGIN_OUTPUT_DIRECTORY AND TARGET datamux_plugins)
    add_dependencies(datamux_plugins ${name})
  endif()
  if(NOT PLUGIN_OUTPUT_DIRECTORY)
    install(TARGETS ${name} LIBRARY DESTINATION lib/datamux/plugins)
    if(NOT PLUGIN_NO_MANIFEST)
      install(FILES "${out_dir}/${name}.json" DESTINATION lib/datamux/plugins)
    endif()
  endif()
endfunction()
