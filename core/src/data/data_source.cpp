#include "datamux/core/data_source.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <random>
#include <set>

#include "datamux/core/encoding.h"
#include "datamux/core/readers/conll_reader.h"
#include "datamux/core/readers/glue_reader.h"
#include "datamux/core/readers/text_reader.h"
#include "datamux/core/tokenizer.h"
#include "datamux/core/toy_data.h"
#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace datamux {
namespace {

DataSplits toy_splits(const Options& data, std::int64_t reserved_tokens, std::uint64_t seed) {
  auto generate = [&](bool evaluation) {
    ToyDataOptions options;
    options.reserved_tokens = reserved_tokens;
    const std::int64_t wanted = data.get_int(evaluation ? "eval_examples" : "train_examples");
    options.examples = wanted > 0 ? wanted : (evaluation ? 400 : 4000);
    options.min_words = data.get_int("min_words");
    options.max_words = data.get_int("max_words");
    options.vocab_words = data.get_int("vocab_words");
    // Distinct streams for the two splits, both fixed by the run seed.
    return generate_toy_sentiment(options, seed * 2 + (evaluation ? 1 : 0));
  };
  DataSplits splits;
  splits.train = generate(false);
  splits.eval = generate(true);
  return splits;
}

// The items of `all` at `indices`.
template <typename T>
std::vector<T> pick(const std::vector<T>& all, const std::vector<std::size_t>& indices) {
  std::vector<T> out;
  out.reserve(indices.size());
  for (std::size_t index : indices) out.push_back(all[index]);
  return out;
}

// Holds out a seeded random `fraction` of `items` for evaluation when there is no eval file.
template <typename T>
std::pair<std::vector<T>, std::vector<T>> hold_out(const std::vector<T>& items, double fraction,
                                                   std::uint64_t seed, const std::string& source) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(seed ^ 0x5eed5eedULL);
  std::shuffle(order.begin(), order.end(), random);
  const auto held = static_cast<std::size_t>(fraction * double(items.size()));
  if (held == 0 || held >= items.size())
    throw Error(source + ": data.eval_fraction " + std::to_string(fraction) + " of " +
                std::to_string(items.size()) + " examples leaves an empty split");
  std::vector<std::size_t> eval(order.begin(), order.begin() + held);
  std::vector<std::size_t> train(order.begin() + held, order.end());
  std::sort(eval.begin(), eval.end());  // keep file order inside each split
  std::sort(train.begin(), train.end());
  return {pick(items, train), pick(items, eval)};
}

template <typename T>
void cap(std::vector<T>& items, std::int64_t limit) {
  if (limit > 0 && static_cast<std::int64_t>(items.size()) > limit) items.resize(limit);
}

std::filesystem::path required_file(const Options& data, const std::string& key) {
  const std::string path = data.get_string(key);
  if (path.empty())
    throw Error("data." + key + ": a file is required for data.format '" +
                data.get_string("format") + "'");
  return path;
}

// Reads train and eval examples of one kind with `read`, splitting when there is no eval file.
template <typename T, typename Read>
std::pair<std::vector<T>, std::vector<T>> read_pair(const Options& data, std::uint64_t seed,
                                                    ReadReport& report, Read read) {
  const auto train_file = required_file(data, "train_file");
  std::vector<T> train = read(train_file, report);
  std::vector<T> eval;
  if (data.get_string("eval_file").empty()) {
    std::tie(train, eval) = hold_out(train, data.get_float("eval_fraction"), seed, train_file.string());
  } else {
    eval = read(data.get_string("eval_file"), report);
  }
  cap(train, data.get_int("train_examples"));
  cap(eval, data.get_int("eval_examples"));
  return {std::move(train), std::move(eval)};
}

// CoNLL files may carry any entity types (the reader checks only the tag syntax), so a type
// set other than CoNLL-2003's is allowed, but worth a word in the run record: a typo such as
// B-PRE would otherwise be learnt as a class of its own.
void warn_unusual_entity_types(const std::vector<TaggedSentence>& train, const std::string& source,
                               ReadReport& report) {
  static const std::set<std::string> kConll2003 = {"LOC", "MISC", "ORG", "PER"};
  std::set<std::string> types;
  for (const auto& sentence : train)
    for (const auto& tag : sentence.tags)
      if (tag != "O") types.insert(tag.substr(2));  // the reader guarantees "X-TYPE"
  if (types == kConll2003) return;
  auto listed = [](const std::set<std::string>& items) {
    return items.empty() ? std::string("none") : join(items);
  };
  std::set<std::string> extra, absent;
  std::set_difference(types.begin(), types.end(), kConll2003.begin(), kConll2003.end(),
                      std::inserter(extra, extra.end()));
  std::set_difference(kConll2003.begin(), kConll2003.end(), types.begin(), types.end(),
                      std::inserter(absent, absent.end()));
  report.warn(source + ": entity types differ from CoNLL-2003's (LOC, MISC, ORG, PER): not in "
                       "it: " + listed(extra) + "; absent: " + listed(absent));
}

Tokenizer obtain_tokenizer(const Options& data, const DataReuse& reuse,
                           const std::vector<std::string>& reserved,
                           const std::vector<std::string>& texts, std::uint64_t seed,
                           const std::filesystem::path& scratch, DataSplits& splits,
                           ReadReport& report) {
  std::filesystem::path model = data.get_string("tokenizer");
  if (model.empty()) model = reuse.tokenizer;
  if (!model.empty()) {
    splits.tokenizer = model;
    return Tokenizer::load(model, reserved);
  }
  std::vector<std::string> corpus = texts;
  if (!data.get_string("tokenizer_corpus").empty()) {
    const auto extra = read_text_corpus(data.get_string("tokenizer_corpus"), report);
    corpus.insert(corpus.end(), extra.begin(), extra.end());
  }
  TokenizerTraining training;
  training.vocab_size = data.get_int("vocab_size");
  training.seed = seed;
  training.reserved_tokens = reserved;
  splits.tokenizer = scratch / "tokenizer.model";
  splits.tokenizer_trained = true;
  Tokenizer::train(corpus, splits.tokenizer, training);
  return Tokenizer::load(splits.tokenizer, reserved);
}

}  // namespace

DataSplits load_splits(const ResolvedConfig& config, const DataReuse& reuse,
                       const std::filesystem::path& scratch) {
  const Options& data = config.data.options;
  const auto seed = static_cast<std::uint64_t>(config.run.options.get_int("seed"));
  const std::int64_t max_length = config.model.options.get_int("max_seq_length");
  const std::string format = data.get_string("format");
  const std::vector<std::string>& reserved = config.layout.reserved_tokens;
  if (format == "toy") return toy_splits(data, static_cast<std::int64_t>(reserved.size()), seed);

  DataSplits splits;
  ReadReport& report = splits.report;
  const std::string train_name = data.get_string("train_file");
  const std::string eval_name =
      data.get_string("eval_file").empty() ? train_name + " (held out)" : data.get_string("eval_file");

  if (format == "conll") {
    auto [train, eval] = read_pair<TaggedSentence>(data, seed, report, [](const auto& f, auto& r) {
      return read_conll(f, r);
    });
    std::vector<std::string> texts;
    for (const auto& sentence : train) {
      std::string line;
      for (const auto& word : sentence.words) line += (line.empty() ? "" : " ") + word;
      texts.push_back(line);
    }
    const Tokenizer tokenizer = obtain_tokenizer(data, reuse, reserved, texts, seed, scratch, splits, report);
    if (!reuse.label_names) warn_unusual_entity_types(train, train_name, report);
    const auto labels = reuse.label_names ? *reuse.label_names : tag_names(train);
    splits.train = encode_tagged(train, tokenizer, labels, max_length, train_name, report);
    splits.eval = encode_tagged(eval, tokenizer, labels, max_length, eval_name, report);
    return splits;
  }
  if (format == "text") {
    auto [train, eval] = read_pair<std::string>(data, seed, report, [](const auto& f, auto& r) {
      return read_text_corpus(f, r);
    });
    const Tokenizer tokenizer = obtain_tokenizer(data, reuse, reserved, train, seed, scratch, splits, report);
    splits.train = encode_corpus(train, tokenizer, max_length);
    splits.eval = encode_corpus(eval, tokenizer, max_length);
    return splits;
  }
  const GlueTask task = glue_task_from_name(format);
  auto [train, eval] = read_pair<SentenceExample>(data, seed, report, [task](const auto& f, auto& r) {
    return read_glue_tsv(f, task, r);
  });
  std::vector<std::string> texts;
  for (const auto& example : train) {
    texts.push_back(example.text_a);
    if (!example.text_b.empty()) texts.push_back(example.text_b);
  }
  const Tokenizer tokenizer = obtain_tokenizer(data, reuse, reserved, texts, seed, scratch, splits, report);
  const auto labels = reuse.label_names ? *reuse.label_names : sentence_label_names(train);
  if (labels.size() < 2)
    throw Error(train_name + ": the training examples have fewer than two distinct labels");
  splits.train = encode_sentences(train, tokenizer, labels, max_length, train_name, report);
  splits.eval = encode_sentences(eval, tokenizer, labels, max_length, eval_name, report);
  return splits;
}

}  // namespace datamux
