#pragma once
// cxxopts with the conventions every subcommand shares: --set values are never split at
// commas, and parse problems become UsageError.
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include <cxxopts.hpp>

#include "commands.h"

namespace datamux::cli {

// Parses `args` (without the program and subcommand names) into `options`.
cxxopts::ParseResult parse(cxxopts::Options& options, const Arguments& args);

// The value of a required option, or a UsageError naming it.
std::string required(const cxxopts::ParseResult& result, const std::string& name,
                     const std::string& command);

}  // namespace datamux::cli
