#include "datamux/core/toy_data.h"

#include <algorithm>
#include <random>

#include "datamux/sdk/error.h"

namespace datamux {

Dataset generate_toy_sentiment(const ToyDataOptions& options, std::uint64_t seed) {
  if (options.min_words < 1 || options.max_words < options.min_words)
    throw Error("data: min_words must be >= 1 and <= max_words");
  if (options.vocab_words < 10) throw Error("data.vocab_words: at least 10 words are needed");
  Dataset data;
  data.label_names = {"negative", "positive"};
  if (options.reserved_tokens < 0) throw Error("data: a negative number of reserved tokens");
  for (std::int64_t i = 0; i < options.reserved_tokens; ++i)
    data.reserved_tokens.push_back(SpecialTokens::kCount + i);
  const std::int64_t first = SpecialTokens::kCount + options.reserved_tokens;  // first word id
  data.vocab_size = first + options.vocab_words;

  const std::int64_t cues = options.vocab_words / 10;
  std::mt19937_64 random(seed);
  auto uniform = [&](std::int64_t low, std::int64_t high) {  // inclusive
    return std::uniform_int_distribution<std::int64_t>(low, high)(random);
  };
  for (std::int64_t n = 0; n < options.examples; ++n) {
    Example example;
    example.label = uniform(0, 1);
    const std::int64_t words = uniform(options.min_words, options.max_words);
    std::vector<std::int64_t> body;
    for (std::int64_t w = 0; w < words; ++w)
      body.push_back(first + uniform(2 * cues, options.vocab_words - 1));  // neutral words
    const std::int64_t cue_base = first + (example.label == 1 ? 0 : cues);
    const std::int64_t cue_count = std::min<std::int64_t>(uniform(1, 3), words);
    for (std::int64_t c = 0; c < cue_count; ++c)
      body[uniform(0, words - 1)] = cue_base + uniform(0, cues - 1);
    example.ids.push_back(data.tokens.bos);
    example.ids.insert(example.ids.end(), body.begin(), body.end());
    example.ids.push_back(data.tokens.eos);
    data.examples.push_back(std::move(example));
  }
  return data;
}

}  // namespace datamux
