#pragma once
// CoNLL column files (CoNLL-2003: `token POS chunk NER`): words in the first column, the tag
// in the last, a blank line between sentences, `-DOCSTART-` lines skipped. IOB1 and IOB2 tags
// are both accepted as they are. Errors name file and line.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datamux/core/readers/examples.h"

namespace datamux {

std::vector<TaggedSentence> read_conll(const std::filesystem::path& file, ReadReport& report);

std::vector<TaggedSentence> parse_conll(std::string_view content, const std::string& source,
                                        ReadReport& report);

}  // namespace datamux
