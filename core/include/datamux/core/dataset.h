#pragma once
// In-memory examples, already tokenised to ids, with their labels.
#include <cstdint>
#include <string>
#include <vector>

#include "datamux/sdk/batch.h"
#include "datamux/sdk/model_context.h"

namespace datamux {

enum class LabelKind {
  kNone,      // no labels (the retrieval warm-up corpus)
  kSentence,  // one label per example
  kToken,     // one label per token, kIgnoreLabel on tokens that carry none
};

struct Example {
  std::vector<std::int64_t> ids;           // starts with bos, ends with eos
  std::int64_t label = kIgnoreLabel;       // kSentence
  std::vector<std::int64_t> token_labels;  // kToken: one per id
  std::vector<std::string> words;          // kToken: the words, to write predictions
  std::vector<std::int64_t> word_positions;  // kToken: where in `ids` each word that fits starts
  std::vector<std::int64_t> truncated_labels;  // kToken: labels of the words cut off, in order
};

struct Dataset {
  std::vector<Example> examples;
  LabelKind label_kind = LabelKind::kSentence;
  std::vector<std::string> label_names;
  std::int64_t vocab_size = 0;
  SpecialTokens tokens;
  // The ids of the tokens the demultiplexer reserved (ResolvedConfig::layout), in its order.
  std::vector<std::int64_t> reserved_tokens;
  std::int64_t num_labels() const { return static_cast<std::int64_t>(label_names.size()); }
};

}  // namespace datamux
