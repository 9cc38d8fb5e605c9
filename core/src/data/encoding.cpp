#include "datamux/core/encoding.h"

#include <algorithm>
#include <set>

#include <torch/torch.h>

#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace datamux {
namespace {

bool is_integer(const std::string& text) {
  if (text.empty()) return false;
  const std::size_t start = text[0] == '-' ? 1 : 0;
  return start < text.size() &&
         std::all_of(text.begin() + start, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t label_index(const std::vector<std::string>& names, const std::string& label,
                         const std::string& where) {
  const auto it = std::find(names.begin(), names.end(), label);
  if (it != names.end()) return it - names.begin();
  throw Error(where + ": label '" + label + "' is not among the training labels (" + join(names) + ")");
}

Dataset empty_dataset(const Tokenizer& tokenizer, LabelKind kind,
                      const std::vector<std::string>& label_names) {
  Dataset data;
  data.label_kind = kind;
  data.label_names = label_names;
  data.vocab_size = tokenizer.vocab_size();
  data.tokens = tokenizer.special();
  data.reserved_tokens = tokenizer.reserved_ids();
  return data;
}

}  // namespace

std::vector<std::string> sentence_label_names(const std::vector<SentenceExample>& examples) {
  std::set<std::string> unique;
  for (const auto& example : examples) unique.insert(example.label);
  std::vector<std::string> names(unique.begin(), unique.end());
  if (std::all_of(names.begin(), names.end(), is_integer))
    std::sort(names.begin(), names.end(),
              [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); });
  return names;
}

std::vector<std::string> tag_names(const std::vector<TaggedSentence>& sentences) {
  std::set<std::string> unique;
  for (const auto& sentence : sentences) unique.insert(sentence.tags.begin(), sentence.tags.end());
  std::vector<std::string> names;
  if (unique.erase("O")) names.push_back("O");
  names.insert(names.end(), unique.begin(), unique.end());
  return names;
}

Dataset encode_sentences(const std::vector<SentenceExample>& examples, const Tokenizer& tokenizer,
                         const std::vector<std::string>& label_names, std::int64_t max_length,
                         const std::string& source, ReadReport& report) {
  Dataset data = empty_dataset(tokenizer, LabelKind::kSentence, label_names);
  const SpecialTokens& t = tokenizer.special();
  // One tokenizer call for the whole file: first sentences, then second sentences.
  std::vector<std::string> texts;
  for (const auto& example : examples) texts.push_back(example.text_a);
  for (const auto& example : examples) texts.push_back(example.text_b);
  const auto encoded = tokenizer.encode_all(texts);
  std::size_t truncated = 0;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const SentenceExample& example = examples[i];
    Example out;
    const auto where = source + ":" + std::to_string(example.line);
    out.label = example.label.empty() ? kIgnoreLabel : label_index(label_names, example.label, where);
    auto a = encoded[i];
    auto b = encoded[examples.size() + i];
    // Special tokens: bos + eos, and eos eos between the two sentences of a pair.
    const std::int64_t specials = b.empty() ? 2 : 4;
    const std::int64_t room = std::max<std::int64_t>(2, max_length - specials);
    if (static_cast<std::int64_t>(a.size() + b.size()) > room) {
      ++truncated;
      // Shorten the longer side first, as sentence-pair tokenisers do.
      while (static_cast<std::int64_t>(a.size() + b.size()) > room)
        (a.size() >= b.size() ? a : b).pop_back();
    }
    out.ids.push_back(t.bos);
    out.ids.insert(out.ids.end(), a.begin(), a.end());
    out.ids.push_back(t.eos);
    if (!b.empty()) {
      out.ids.push_back(t.eos);
      out.ids.insert(out.ids.end(), b.begin(), b.end());
      out.ids.push_back(t.eos);
    }
    data.examples.push_back(std::move(out));
  }
  if (truncated)
    report.warn(source + ": " + std::to_string(truncated) + " examples truncated to " +
                std::to_string(max_length) + " tokens");
  return data;
}

Dataset encode_tagged(const std::vector<TaggedSentence>& sentences, const Tokenizer& tokenizer,
                      const std::vector<std::string>& label_names, std::int64_t max_length,
                      const std::string& source, ReadReport& report) {
  Dataset data = empty_dataset(tokenizer, LabelKind::kToken, label_names);
  const SpecialTokens& t = tokenizer.special();
  // One tokenizer call for every word of the file.
  std::vector<std::string> words;
  for (const auto& sentence : sentences) words.insert(words.end(), sentence.words.begin(), sentence.words.end());
  const auto all_pieces = tokenizer.encode_words(words);
  std::size_t next_word = 0;
  std::size_t truncated = 0;
  for (const auto& sentence : sentences) {
    Example out;
    out.words = sentence.words;
    out.ids.push_back(t.bos);
    out.token_labels.push_back(kIgnoreLabel);
    const auto first = all_pieces.begin() + static_cast<std::ptrdiff_t>(next_word);
    const std::vector<std::vector<std::int64_t>> pieces(first, first + static_cast<std::ptrdiff_t>(sentence.words.size()));
    next_word += sentence.words.size();
    bool cut = false;
    for (std::size_t w = 0; w < pieces.size(); ++w) {
      const auto where = source + ":" + std::to_string(sentence.line + w);
      const std::int64_t label =
          sentence.tags.empty() ? kIgnoreLabel : label_index(label_names, sentence.tags[w], where);
      // Once a word does not fit, it and every later word are left out (never a gap).
      cut = cut || static_cast<std::int64_t>(out.ids.size() + pieces[w].size()) + 1 > max_length;
      if (cut) {
        if (!sentence.tags.empty()) out.truncated_labels.push_back(label);
        continue;
      }
      out.word_positions.push_back(static_cast<std::int64_t>(out.ids.size()));
      for (std::size_t p = 0; p < pieces[w].size(); ++p) {
        out.ids.push_back(pieces[w][p]);
        out.token_labels.push_back(p == 0 ? label : kIgnoreLabel);  // first sub-token only
      }
    }
    out.ids.push_back(t.eos);
    out.token_labels.push_back(kIgnoreLabel);
    if (cut) ++truncated;
    data.examples.push_back(std::move(out));
  }
  if (truncated)
    report.warn(source + ": " + std::to_string(truncated) + " sentences truncated to " +
                std::to_string(max_length) + " tokens");
  return data;
}

Dataset encode_corpus(const std::vector<std::string>& paragraphs, const Tokenizer& tokenizer,
                      std::int64_t max_length) {
  Dataset data = empty_dataset(tokenizer, LabelKind::kNone, {});
  const SpecialTokens& t = tokenizer.special();
  const auto chunk = static_cast<std::size_t>(std::max<std::int64_t>(1, max_length - 2));
  std::vector<std::int64_t> stream;
  for (const auto& ids : tokenizer.encode_all(paragraphs)) stream.insert(stream.end(), ids.begin(), ids.end());
  for (std::size_t start = 0; start < stream.size(); start += chunk) {
    Example out;
    out.ids.push_back(t.bos);
    out.ids.insert(out.ids.end(), stream.begin() + start,
                   stream.begin() + std::min(stream.size(), start + chunk));
    out.ids.push_back(t.eos);
    data.examples.push_back(std::move(out));
  }
  return data;
}

torch::Tensor truncated_label_tensor(const Dataset& data, const std::vector<std::int64_t>& indices,
                                     torch::Device device) {
  std::size_t width = 0;
  for (std::int64_t index : indices)
    if (index >= 0) width = std::max(width, data.examples[index].truncated_labels.size());
  if (width == 0) return {};
  auto labels = torch::full({static_cast<std::int64_t>(indices.size()),
                             static_cast<std::int64_t>(width)},
                            kIgnoreLabel, torch::kLong);
  auto rows = labels.accessor<std::int64_t, 2>();
  for (std::size_t row = 0; row < indices.size(); ++row) {
    if (indices[row] < 0) continue;
    const auto& cut = data.examples[indices[row]].truncated_labels;
    for (std::size_t w = 0; w < cut.size(); ++w) rows[row][w] = cut[w];
  }
  return labels.to(device);
}

}  // namespace datamux
