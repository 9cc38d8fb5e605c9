#pragma once
// Turns what the readers return into token ids with labels: sentences and pairs as
// [bos] a [eos] ([eos] b [eos]), tagged words labelled on their first sub-token only, and a
// corpus cut into [bos] chunk [eos] pieces for the retrieval warm-up.
#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

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
// Words that no longer fit in `max_length` tokens are left out of the ids; their labels are
// kept in Example::truncated_labels, so that metrics can score whole sentences. A sentence
// without tags (text to be tagged, from the embedding API) gets no labels at all.
Dataset encode_tagged(const std::vector<TaggedSentence>& sentences, const Tokenizer& tokenizer,
                      const std::vector<std::string>& label_names, std::int64_t max_length,
                      const std::string& source, ReadReport& report);
Dataset encode_corpus(const std::vector<std::string>& paragraphs, const Tokenizer& tokenizer,
                      std::int64_t max_length);

// Batch::truncated_labels for the examples at `indices` (-1: a filler instance): (rows, W) on
// `device`, W the most words any of them lost; undefined when none lost a word.
torch::Tensor truncated_label_tensor(const Dataset& data, const std::vector<std::int64_t>& indices,
                                     torch::Device device);

}  // namespace datamux
