#include "datamux/core/readers/conll_reader.h"

#include "datamux/sdk/error.h"
#include "text_lines.h"

namespace datamux {

namespace {

// O, or a B-/I-/E-/S- prefix and a type name: IOB1, IOB2 and IOBES tags, taken as they are.
bool is_valid_tag(std::string_view tag) {
  if (tag == "O") return true;
  if (tag.size() < 3 || tag[1] != '-') return false;
  return tag[0] == 'B' || tag[0] == 'I' || tag[0] == 'E' || tag[0] == 'S';
}

}  // namespace

std::vector<TaggedSentence> read_conll(const std::filesystem::path& file, ReadReport& report) {
  const std::string content = readers::read_whole_file(file);
  return parse_conll(content, file.string(), report);
}

std::vector<TaggedSentence> parse_conll(std::string_view content, const std::string& source,
                                        ReadReport& report) {
  readers::LineScanner lines(content, source);
  if (lines.empty()) readers::fail_file(source, "file is empty");

  std::vector<TaggedSentence> sentences;
  TaggedSentence current;
  auto finish_sentence = [&] {
    if (current.words.empty()) return;
    sentences.push_back(std::move(current));
    current = TaggedSentence();
  };
  std::size_t columns = 0;       // fixed by the first word line
  std::size_t columns_line = 0;  // where that was
  std::vector<std::string_view> fields;
  std::string_view line;
  while (lines.next(line)) {
    readers::split_whitespace(line, fields);
    if (fields.empty()) {  // a blank line ends a sentence; several in a row are fine
      finish_sentence();
      continue;
    }
    if (fields[0].substr(0, 10) == "-DOCSTART-") {  // a document boundary, not a sentence
      finish_sentence();
      continue;
    }
    if (fields.size() < 2)
      lines.fail("expected at least 2 columns (word first, tag last), found 1");
    if (columns == 0) {
      columns = fields.size();
      columns_line = lines.line_number();
    } else if (fields.size() != columns) {
      lines.fail("expected " + std::to_string(columns) + " columns (as on line " +
                 std::to_string(columns_line) + "), found " + std::to_string(fields.size()));
    }
    const std::string_view tag = fields.back();
    if (!is_valid_tag(tag))
      lines.fail("invalid tag " + readers::quote(tag) +
                 " (expected O, or B-, I-, E- or S- and a type, e.g. B-PER)");
    if (current.words.empty()) current.line = lines.line_number();
    current.words.emplace_back(fields.front());
    current.tags.emplace_back(tag);
  }
  finish_sentence();
  report.lines_read += lines.line_number();
  if (sentences.empty()) readers::fail_file(source, "no sentences (no word lines)");
  return sentences;
}

}  // namespace datamux
