#pragma once
// Runs a program without a shell and waits for it. Private to the core.
#include <filesystem>
#include <string>
#include <vector>

namespace datamux {

struct ProcessResult {
  int exit_code;       // -1 when killed by a signal
  std::string output;  // what it printed on stdout
  std::string errors;  // what it printed on stderr
};

// `input` is given to it on stdin; `scratch` is an existing directory for the exchange files.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const std::filesystem::path& scratch);

}  // namespace datamux
