#pragma once
// A generated sentiment task that needs no download: each sentence carries one to three cue
// words of its label's polarity among neutral words. Deterministic for a given seed.
#include <cstdint>

#include "datamux/core/dataset.h"

namespace datamux {

struct ToyDataOptions {
  std::int64_t examples = 1000;
  std::int64_t min_words = 4;
  std::int64_t max_words = 16;
  std::int64_t vocab_words = 200;  // a tenth are positive cues, a tenth negative
  std::int64_t reserved_tokens = 0;  // ids the components reserve, placed before the words
};

Dataset generate_toy_sentiment(const ToyDataOptions& options, std::uint64_t seed);

}  // namespace datamux
