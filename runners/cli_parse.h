#pragma once
// cxxopts with the conventions every subcommand shares: --set values are never split at
// commas, and parse problems become UsageError.
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>

#include "commands.h"

namespace datamux::cli {

// Parses `args` (without the program and subcommand names) into `options`.
cxxopts::ParseResult parse(cxxopts::Options& options, const Arguments& args);

// --plugin-path and --help, which every command that loads plugins takes.
void add_plugin_path_and_help(cxxopts::Options& options);

// Every value of a repeatable option; empty when it was not given.
std::vector<std::string> repeated(const cxxopts::ParseResult& result, const std::string& name);

// The --set values, each checked to be section.key=value (a UsageError otherwise).
std::vector<std::string> assignments(const cxxopts::ParseResult& result);

// The value of a required option, or a UsageError naming it.
std::string required(const cxxopts::ParseResult& result, const std::string& name,
                     const std::string& command);

}  // namespace datamux::cli
