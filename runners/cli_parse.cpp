#include "cli_parse.h"

#include "datamux/core/experiment_config.h"

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

void add_plugin_path_and_help(cxxopts::Options& options) {
  options.add_options()
      ("plugin-path", "extra plugin directories, searched first; repeatable",
       cxxopts::value<std::vector<std::string>>(), "DIR[:DIR...]")
      ("h,help", "show this help");
}

std::vector<std::string> repeated(const cxxopts::ParseResult& result, const std::string& name) {
  if (!result.count(name)) return {};
  return result[name].as<std::vector<std::string>>();
}

std::vector<std::string> assignments(const cxxopts::ParseResult& result) {
  auto values = repeated(result, "set");
  for (const auto& assignment : values) {
    try {
      check_assignment(assignment);
    } catch (const Error& error) {
      throw UsageError(error.what());
    }
  }
  return values;
}

std::string required(const cxxopts::ParseResult& result, const std::string& name,
                     const std::string& command) {
  if (!result.count(name)) throw UsageError(command + ": --" + name + " is required (see --help)");
  return result[name].as<std::string>();
}

}  // namespace datamux::cli
