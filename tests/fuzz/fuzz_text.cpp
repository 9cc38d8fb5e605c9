// libFuzzer target: the raw text corpus reader.
#include <cstddef>
#include <cstdint>

#include "datamux/core/readers/text_reader.h"
#include "datamux/sdk/error.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamux;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const std::string source = "fuzz.raw";
  ReadReport report;
  try {
    const auto paragraphs = parse_text_corpus(content, source, report);
    if (paragraphs.empty()) fuzz::broken("no paragraphs and no error");
    if (paragraphs.size() > report.lines_read) fuzz::broken("more paragraphs than lines");
    for (const auto& paragraph : paragraphs) {
      fuzz::check_text(paragraph, "paragraph");
      if (paragraph.find('\n') != std::string::npos) fuzz::broken("newline in a paragraph");
    }
    fuzz::check_report(report);
  } catch (const Error& error) {
    fuzz::check_error_message(error.what(), source);
  }
  return 0;
}
