#pragma once
// What the core tells a component about the model it is built into.
#include <cstdint>
#include <string>
#include <vector>

namespace datamux {

// Reserved vocabulary ids. The tokenizer places these before any ordinary token.
struct SpecialTokens {
  std::int64_t pad = 0;
  std::int64_t unk = 1;
  std::int64_t bos = 2;
  std::int64_t eos = 3;
  std::int64_t mux_cls = 4;      // the shared sentence slot of the index prefix
  std::int64_t mux_filler = 5;   // fills the index slots that do not belong to an instance
  std::int64_t first_index = 6;  // index token of instance i is first_index + i
  std::int64_t num_index = 64;   // so N may be at most num_index
  std::int64_t first_ordinary() const { return first_index + num_index; }
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
  std::uint64_t seed = 0;         // this component's own seed, derived from the run seed
};

}  // namespace datamux
