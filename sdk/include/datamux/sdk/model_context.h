#pragma once
// What the core tells a component about the model it is built into.
#include <cstdint>
#include <string>
#include <vector>

namespace datamux {

// The tokenizer's own ids, the same in every model. The tokens a component reserves for
// itself (DemultiplexerLayout::reserved_tokens) come after them, then the ordinary pieces.
struct SpecialTokens {
  std::int64_t pad = 0;
  std::int64_t unk = 1;
  std::int64_t bos = 2;
  std::int64_t eos = 3;
  static constexpr std::int64_t kCount = 4;  // the first id after them
};

struct ModelContext {
  std::int64_t num_instances = 1;  // N: instances mixed into one backbone input
  std::int64_t vocab_size = 0;
  std::int64_t max_length = 0;    // longest input the backbone sees, prefix included
  std::int64_t hidden_size = 0;   // d; 0 while the backbone itself is being built
  std::int64_t num_labels = 0;    // from the training data; 0 for tasks without labels
  std::vector<std::string> label_names;  // label i's name (e.g. "B-PER"), num_labels of them
  bool attention_mask = true;     // false attends to pads, as the reference code does
  SpecialTokens tokens;
  // The ids of the tokens this component reserved (the demultiplexer's
  // DemultiplexerLayout::reserved_tokens), in the order it declared them; empty for the others.
  std::vector<std::int64_t> reserved_tokens;
  std::uint64_t seed = 0;         // this component's own seed, derived from the run seed
};

}  // namespace datamux
