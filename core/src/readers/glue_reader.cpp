#include "datamux/core/readers/glue_reader.h"

#include <algorithm>

#include "datamux/sdk/error.h"
#include "text_lines.h"
#include "datamux/sdk/join.h"

namespace datamux {

namespace {

using readers::LineScanner;
using readers::quote;

// Columns are found by their header names, so MNLI's 11 (dev) or 12 (train) columns and the
// label-less test files need no special layouts.
struct GlueLayout {
  const char* task;    // for messages
  const char* text_a;  // required column
  const char* text_b;  // required column, or nullptr for single-sentence tasks
  const char* label;   // column name of the label
  bool label_required;  // false: a header without it (a GLUE test file) gives empty labels
  bool skip_malformed;  // QQP's train file has a few broken lines: skip them with a warning
  // Every GLUE task fixes its label set; anything else (a word among 0/1 labels, a typo)
  // would silently become one more class, so it is an error naming the line.
  std::vector<std::string_view> labels;
};

const GlueLayout& layout_of(GlueTask task) {
  static const GlueLayout kSst2{"SST-2", "sentence", nullptr, "label", false, false, {"0", "1"}};
  static const GlueLayout kQnli{"QNLI",  "question", "sentence", "label", false, false,
                                {"entailment", "not_entailment"}};
  static const GlueLayout kMnli{"MNLI",      "sentence1", "sentence2", "gold_label", true, false,
                                {"entailment", "neutral", "contradiction"}};
  static const GlueLayout kQqp{"QQP", "question1", "question2", "is_duplicate", false, true,
                               {"0", "1"}};
  switch (task) {
    case GlueTask::kSst2: return kSst2;
    case GlueTask::kQnli: return kQnli;
    case GlueTask::kMnli: return kMnli;
    case GlueTask::kQqp: return kQqp;
  }
  throw Error("unknown GLUE task");
}

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

std::string label_list(const std::vector<std::string_view>& labels) {
  return join(labels);
}

std::string header_list(const std::vector<std::string_view>& names) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(names.size(), 12);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    out += quote(readers::trim(names[i]), 24);
  }
  if (shown < names.size()) out += ", ... (" + std::to_string(names.size()) + " columns)";
  return out;
}

// Index of the column called `name`; throws when it is missing (and `required`) or repeated.
std::size_t find_column(const std::vector<std::string_view>& header, const char* name,
                        bool required, const GlueLayout& layout, const LineScanner& lines) {
  std::size_t found = kNoColumn;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (readers::trim(header[i]) != name) continue;
    if (found != kNoColumn)
      lines.fail("header has column '" + std::string(name) + "' twice (columns " +
                 std::to_string(found + 1) + " and " + std::to_string(i + 1) + ")");
    found = i;
  }
  if (found == kNoColumn && required)
    lines.fail("header does not match " + std::string(layout.task) + ": no column '" + name +
               "' (found " + header_list(header) + ")");
  return found;
}

}  // namespace

GlueTask glue_task_from_name(const std::string& name) {
  if (name == "sst2") return GlueTask::kSst2;
  if (name == "qnli") return GlueTask::kQnli;
  if (name == "mnli") return GlueTask::kMnli;
  if (name == "qqp") return GlueTask::kQqp;
  throw Error("unknown GLUE task '" + name + "' (valid: sst2, qnli, mnli, qqp)");
}

std::vector<SentenceExample> read_glue_tsv(const std::filesystem::path& file, GlueTask task,
                                           ReadReport& report) {
  const std::string content = readers::read_whole_file(file);
  return parse_glue_tsv(content, file.string(), task, report);
}

std::vector<SentenceExample> parse_glue_tsv(std::string_view content, const std::string& source,
                                            GlueTask task, ReadReport& report) {
  const GlueLayout& layout = layout_of(task);
  LineScanner lines(content, source);
  if (lines.empty()) readers::fail_file(source, "file is empty");

  std::string_view line;
  lines.next(line);
  if (readers::is_blank(line))
    lines.fail("header line is empty (expected the " + std::string(layout.task) +
               " header with column '" + layout.text_a + "')");
  std::vector<std::string_view> header;
  readers::split(line, '\t', header);
  const std::size_t column_a = find_column(header, layout.text_a, true, layout, lines);
  const std::size_t column_b =
      layout.text_b == nullptr ? kNoColumn : find_column(header, layout.text_b, true, layout, lines);
  const std::size_t column_label =
      find_column(header, layout.label, layout.label_required, layout, lines);
  const std::size_t columns = header.size();

  std::vector<SentenceExample> examples;
  std::vector<std::size_t> blank_lines;  // blank lines seen since the last example
  std::size_t data_lines = 0;
  std::vector<std::string_view> fields;
  // A malformed line fails the read, or (QQP) is skipped with a warning.
  auto malformed = [&](const std::string& why, std::size_t at) {
    if (!layout.skip_malformed) lines.fail(why, at);
    report.warn(lines.where(at) + ": skipped malformed line: " + why);
  };
  while (lines.next(line)) {
    if (readers::is_blank(line)) {  // fine at the end of the file, an error before a line
      blank_lines.push_back(lines.line_number());
      continue;
    }
    for (const std::size_t blank : blank_lines) malformed("empty line", blank);
    blank_lines.clear();
    ++data_lines;
    readers::split(line, '\t', fields);
    if (fields.size() != columns) {
      malformed("expected " + std::to_string(columns) + " tab-separated columns (as in the " +
                    "header), found " + std::to_string(fields.size()),
                lines.line_number());
      continue;
    }
    const std::string_view text_a = readers::trim(fields[column_a]);
    const std::string_view text_b =
        column_b == kNoColumn ? std::string_view() : readers::trim(fields[column_b]);
    const std::string_view label =
        column_label == kNoColumn ? std::string_view() : readers::trim(fields[column_label]);
    if (text_a.empty()) {
      malformed("empty sentence in column '" + std::string(layout.text_a) + "'",
                lines.line_number());
      continue;
    }
    if (column_b != kNoColumn && text_b.empty()) {
      malformed("empty sentence in column '" + std::string(layout.text_b) + "'",
                lines.line_number());
      continue;
    }
    if (column_label != kNoColumn && label.empty()) {
      malformed("empty label in column '" + std::string(layout.label) + "'", lines.line_number());
      continue;
    }
    if (!label.empty() &&
        std::find(layout.labels.begin(), layout.labels.end(), label) == layout.labels.end())
      lines.fail("label " + quote(label) + " is not among the " + layout.task + " labels (" +
                 label_list(layout.labels) + ")");
    SentenceExample example;
    example.text_a = std::string(text_a);
    example.text_b = std::string(text_b);
    example.label = std::string(label);
    example.line = lines.line_number();
    examples.push_back(std::move(example));
  }
  report.lines_read += lines.line_number();
  if (examples.empty()) {
    if (data_lines == 0) readers::fail_file(source, "no examples (only a header line)");
    readers::fail_file(source, "no examples (all " + std::to_string(data_lines) +
                                   " lines after the header were skipped as malformed)");
  }
  return examples;
}

}  // namespace datamux
