# Runs one libFuzzer target for a bounded time on a scratch copy of its committed seed corpus
# (libFuzzer writes the inputs it finds into the corpus directory). Used by the fuzz.<name>
# CTest tests:
#   cmake -DFUZZER=<binary> -DCORPUS=<seed dir> -DWORK=<scratch dir> -DSECONDS=15
#         [-DDICT=<dictionary>] -P run_fuzzer.cmake
# A crash, a sanitizer report or an uncaught exception fails the test; the input that caused
# it is left in <scratch dir>/artifacts/ (replay it with `<binary> <file>`).
foreach(variable FUZZER CORPUS WORK SECONDS)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${variable}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
file(GLOB seeds "${CORPUS}/*")
file(COPY ${seeds} DESTINATION "${WORK}/corpus")

set(arguments
  -max_total_time=${SECONDS}
  -rss_limit_mb=2048
  -timeout=10
  -max_len=4096
  -print_final_stats=1
  "-artifact_prefix=${WORK}/artifacts/")
if(DEFINED DICT AND EXISTS "${DICT}")
  list(APPEND arguments "-dict=${DICT}")
endif()

execute_process(COMMAND "${FUZZER}" ${arguments} "${WORK}/corpus" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(GLOB findings "${WORK}/artifacts/*")
  message(FATAL_ERROR "${FUZZER} failed (exit ${result}); inputs that broke it: ${findings}")
endif()
