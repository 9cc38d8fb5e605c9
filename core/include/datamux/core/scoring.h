#pragma once
// Scores a file of predictions against a file of gold labels with the same counters, and
// under the same metric names and order, as the task plugins' metrics during evaluation
// (datamux/sdk/metrics.h), so a number from `datamux score` and one from `datamux eval` agree.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace datamux {

// Named values in report order; the same type as the SDK's MetricValues.
using ScoreValues = std::vector<std::pair<std::string, double>>;

// CoNLL column files (tags in the last column, a blank line between sentences), scored with
// conlleval's entity-level counts. Both files must have the same sentences with the same
// number of words; otherwise Error names the file and the first sentence that differs.
// Returns precision, recall, f1, token_accuracy, sentences (as token_classification's metric).
ScoreValues score_ner_files(const std::filesystem::path& gold,
                            const std::filesystem::path& predicted);

// One label per line (surrounding whitespace ignored; blank lines only at the end). Returns
// accuracy, then f1 of the positive class, then examples (as sequence_classification's
// metric). f1 is reported when `positive_label` is given, or else when every label of both
// files is "0" or "1" (binary GLUE tasks), with "1" as the positive class.
ScoreValues score_classification_files(const std::filesystem::path& gold,
                                       const std::filesystem::path& predicted,
                                       const std::optional<std::string>& positive_label = {});

}  // namespace datamux
