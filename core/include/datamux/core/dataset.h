#pragma once
// In-memory labelled examples, already tokenised to ids.
#include <cstdint>
#include <string>
#include <vector>

#include "datamux/sdk/model_context.h"

namespace datamux {

struct Example {
  std::vector<std::int64_t> ids;  // starts with bos, ends with eos
  std::int64_t label = 0;
};

struct Dataset {
  std::vector<Example> examples;
  std::vector<std::string> label_names;
  std::int64_t vocab_size = 0;
  SpecialTokens tokens;
  std::int64_t num_labels() const { return static_cast<std::int64_t>(label_names.size()); }
};

}  // namespace datamux
