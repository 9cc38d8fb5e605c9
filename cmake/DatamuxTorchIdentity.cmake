# datamux_torch_identity(OUT_IDENTITY OUT_DESCRIPTION)
#
# What makes two libtorch installations interchangeable for datamux: the version, CPU or CUDA,
# and the libstdc++ ABI its C++ objects use. Called with the libtorch that find_package(Torch)
# found, both when the toolkit is built (recorded in DatamuxConfig.cmake) and when a project
# calls find_package(Datamux), so the two are compared by the same rule. The description adds
# where it was found, for the message.
function(datamux_torch_identity out_identity out_description)
  set(abi "unknown")
  if(TORCH_CXX_FLAGS MATCHES "_GLIBCXX_USE_CXX11_ABI=([01])")
    set(abi "${CMAKE_MATCH_1}")
  endif()
  set(kind "cpu")
  if(TARGET torch_cuda OR TARGET c10_cuda)
    set(kind "cuda")
  endif()
  set(identity "libtorch ${Torch_VERSION} (${kind}, cxx11abi ${abi})")
  set(${out_identity} "${identity}" PARENT_SCOPE)
  set(${out_description} "${identity} at ${Torch_DIR}" PARENT_SCOPE)
endfunction()
