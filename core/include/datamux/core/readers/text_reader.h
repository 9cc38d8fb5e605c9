#pragma once
// A raw text corpus for the retrieval warm-up (WikiText `wiki.*.raw` style): one paragraph
// per line; empty and whitespace-only lines are dropped. Errors name file and line.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datamux/core/readers/examples.h"

namespace datamux {

std::vector<std::string> read_text_corpus(const std::filesystem::path& file, ReadReport& report);

std::vector<std::string> parse_text_corpus(std::string_view content, const std::string& source,
                                           ReadReport& report);

}  // namespace datamux
