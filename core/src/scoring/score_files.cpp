#include "datamux/core/scoring.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>

#include "datamux/core/readers/conll_reader.h"
#include "datamux/sdk/error.h"
#include "datamux/sdk/metrics.h"

namespace datamux {
namespace {

std::string plural(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

struct LabelLine {
  std::string label;
  std::size_t line;
};

// Non-blank lines, trimmed; a blank line followed by a label is an error naming file:line.
std::vector<LabelLine> read_labels(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    throw Error(file.string() + (std::filesystem::exists(file, ec) ? ": cannot read file"
                                                                   : ": file not found"));
  }
  std::vector<LabelLine> labels;
  std::string text;
  std::size_t number = 0, first_blank = 0;
  while (std::getline(in, text)) {
    ++number;
    const auto begin = text.find_first_not_of(" \t\r\n\v\f");
    if (begin == std::string::npos) {
      if (first_blank == 0) first_blank = number;
      continue;
    }
    if (first_blank != 0)
      throw Error(file.string() + ":" + std::to_string(first_blank) +
                  ": empty line between labels (one label per line)");
    const auto end = text.find_last_not_of(" \t\r\n\v\f");
    labels.push_back({text.substr(begin, end - begin + 1), number});
  }
  if (in.bad()) throw Error(file.string() + ": read failed");
  if (labels.empty()) throw Error(file.string() + ": no labels (the file is empty)");
  return labels;
}

}  // namespace

ScoreValues score_ner_files(const std::filesystem::path& gold,
                            const std::filesystem::path& predicted) {
  ReadReport gold_report, predicted_report;
  const std::vector<TaggedSentence> gold_sentences = read_conll(gold, gold_report);
  const std::vector<TaggedSentence> predicted_sentences = read_conll(predicted, predicted_report);
  const std::size_t common = std::min(gold_sentences.size(), predicted_sentences.size());
  metrics::ConllCounter counter;
  for (std::size_t i = 0; i < common; ++i) {
    const TaggedSentence& g = gold_sentences[i];
    const TaggedSentence& p = predicted_sentences[i];
    if (g.tags.size() != p.tags.size())
      throw Error(predicted.string() + ":" + std::to_string(p.line) + ": sentence " +
                  std::to_string(i + 1) + " has " + plural(p.tags.size(), "word") + ", but " +
                  gold.string() + ":" + std::to_string(g.line) + " has " +
                  std::to_string(g.tags.size()));
    counter.add_sentence(g.tags, p.tags);
  }
  if (gold_sentences.size() != predicted_sentences.size()) {
    const bool short_predictions = predicted_sentences.size() < gold_sentences.size();
    const auto& longer = short_predictions ? gold_sentences : predicted_sentences;
    const auto& longer_file = short_predictions ? gold : predicted;
    throw Error(predicted.string() + ": " + plural(predicted_sentences.size(), "sentence") +
                ", but " + gold.string() + " has " + std::to_string(gold_sentences.size()) +
                " (first unmatched: sentence " + std::to_string(common + 1) + " at " +
                longer_file.string() + ":" + std::to_string(longer[common].line) + ")");
  }
  const metrics::ChunkCounts counts = counter.overall();
  return {{"precision", counts.precision()},
          {"recall", counts.recall()},
          {"f1", counts.f1()},
          {"token_accuracy", counter.token_accuracy()},
          {"sentences", static_cast<double>(counter.sentences())}};
}

ScoreValues score_classification_files(const std::filesystem::path& gold,
                                       const std::filesystem::path& predicted,
                                       const std::optional<std::string>& positive_label) {
  const std::vector<LabelLine> gold_labels = read_labels(gold);
  const std::vector<LabelLine> predicted_labels = read_labels(predicted);
  if (gold_labels.size() != predicted_labels.size())
    throw Error(predicted.string() + ": " + plural(predicted_labels.size(), "label") + ", but " +
                gold.string() + " has " + std::to_string(gold_labels.size()));

  std::set<std::string> seen;
  for (const auto* labels : {&gold_labels, &predicted_labels})
    for (const auto& item : *labels) seen.insert(item.label);
  bool report_f1 = positive_label.has_value();
  std::string positive = positive_label.value_or("1");
  if (!report_f1) {
    report_f1 = true;
    for (const auto& label : seen) report_f1 = report_f1 && (label == "0" || label == "1");
  }

  // Label strings -> ids: the positive class is 1, every other label gets its own id.
  std::map<std::string, std::int64_t> ids{{positive, 1}};
  std::int64_t next = 0;
  for (const auto& label : seen) {
    if (ids.count(label)) continue;
    ids[label] = next;
    next += next == 0 ? 2 : 1;
  }
  metrics::ClassificationCounter counter(1);
  for (std::size_t i = 0; i < gold_labels.size(); ++i)
    counter.add(ids.at(gold_labels[i].label), ids.at(predicted_labels[i].label));

  ScoreValues values{{"accuracy", counter.accuracy()}};
  if (report_f1) values.emplace_back("f1", counter.f1());
  values.emplace_back("examples", static_cast<double>(counter.examples()));
  return values;
}

}  // namespace datamux
