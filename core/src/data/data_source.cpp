#include "datamux/core/data_source.h"

#include "datamux/core/toy_data.h"

namespace datamux {
namespace {

Dataset generated_split(const Options& data, std::uint64_t seed, bool evaluation) {
  ToyDataOptions options;
  options.examples = data.get_int(evaluation ? "eval_examples" : "train_examples");
  options.min_words = data.get_int("min_words");
  options.max_words = data.get_int("max_words");
  options.vocab_words = data.get_int("vocab_words");
  // Distinct streams for the two splits, both fixed by the run seed.
  return generate_toy_sentiment(options, seed * 2 + (evaluation ? 1 : 0));
}

}  // namespace

DataSplits load_splits(const ResolvedConfig& config) {
  const auto seed = static_cast<std::uint64_t>(config.run.options.get_int("seed"));
  return DataSplits{generated_split(config.data.options, seed, false),
                    generated_split(config.data.options, seed, true)};
}

}  // namespace datamux
