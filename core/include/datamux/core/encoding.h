#pragma once
// Turns what the readers return into token ids with labels: sentences and pairs as
// [bos] a [eos] ([eos] b [eos]), tagged words labelled on their first sub-token only, and a
// corpus cut into [bos] chunk [eos] pieces for the retrieval warm-up.
#include <cstdint>
#include <string>
#include <vector>

#include "datamux/core/dataset.h"
#include "datamux/core/readers/examples.h"
#include "datamux/core/tokenizer.h"

namespace datamux {

// The label set of a training file: sorted (numerically when every label is an integer),
// with "O" first for tag sets.
std::vector<std::string> sentence_label_names(const std::vector<SentenceExample>& examples);
std::vector<std::string> tag_names(const std::vector<TaggedSentence>& sentences);

// `source` names the file in errors, e.g. a label outside `label_names` ("dev.tsv:17: ...").
// Examples longer than `max_length` tokens are truncated and counted in `report`.
Dataset encode_sentences(const std::vector<SentenceExample>& examples, const Tokenizer& tokenizer,
                         const std::vector<std::string>& label_names, std::int64_t max_length,
                         const std::string& source, ReadReport& report);
Dataset encode_tagged(const std::vector<TaggedSentence>& sentences, const Tokenizer& tokenizer,
                      const std::vector<std::string>& label_names, std::int64_t max_length,
                      const std::string& source, ReadReport& report);
Dataset encode_corpus(const std::vector<std::string>& paragraphs, const Tokenizer& tokenizer,
                      std::int64_t max_length);

}  // namespace datamux
