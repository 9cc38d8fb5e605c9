#include "datamux/core/readers/text_reader.h"

#include "datamux/sdk/error.h"
#include "text_lines.h"

namespace datamux {

std::vector<std::string> read_text_corpus(const std::filesystem::path& file, ReadReport& report) {
  const std::string content = readers::read_whole_file(file);
  return parse_text_corpus(content, file.string(), report);
}

std::vector<std::string> parse_text_corpus(std::string_view content, const std::string& source,
                                           ReadReport& report) {
  readers::LineScanner lines(content, source);
  if (lines.empty()) readers::fail_file(source, "file is empty");
  std::vector<std::string> paragraphs;
  std::string_view line;
  while (lines.next(line)) {
    // WikiText's blank lines are a single space; headings (" = Title = ") stay paragraphs.
    const std::string_view paragraph = readers::trim(line);
    if (!paragraph.empty()) paragraphs.emplace_back(paragraph);
  }
  report.lines_read += lines.line_number();
  if (paragraphs.empty())
    readers::fail_file(source, "no paragraphs (all " + std::to_string(lines.line_number()) +
                                   " lines are empty)");
  return paragraphs;
}

}  // namespace datamux
