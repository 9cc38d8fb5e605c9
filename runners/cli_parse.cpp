#include "cli_parse.h"

namespace datamux::cli {

cxxopts::ParseResult parse(cxxopts::Options& options, const Arguments& args) {
  std::vector<std::string> storage = {options.program()};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& item : storage) argv.push_back(item.data());
  try {
    auto result = options.parse(static_cast<int>(argv.size()), argv.data());
    if (!result.unmatched().empty())
      throw UsageError(options.program() + ": unexpected argument '" + result.unmatched().front() +
                       "' (see --help)");
    return result;
  } catch (const cxxopts::exceptions::exception& error) {
    throw UsageError(options.program() + ": " + error.what() + " (see --help)");
  }
}

std::string required(const cxxopts::ParseResult& result, const std::string& name,
                     const std::string& command) {
  if (!result.count(name)) throw UsageError(command + ": --" + name + " is required (see --help)");
  return result[name].as<std::string>();
}

}  // namespace datamux::cli
