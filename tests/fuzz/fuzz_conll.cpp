// libFuzzer target: the CoNLL column reader.
#include <cstddef>
#include <cstdint>

#include "datamux/core/readers/conll_reader.h"
#include "datamux/sdk/error.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamux;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const std::string source = "fuzz.txt";
  ReadReport report;
  try {
    const auto sentences = parse_conll(content, source, report);
    if (sentences.empty()) fuzz::broken("no sentences and no error");
    std::size_t previous_line = 0;
    for (const auto& sentence : sentences) {
      if (sentence.words.empty() || sentence.words.size() != sentence.tags.size())
        fuzz::broken("words and tags differ in number");
      for (std::size_t i = 0; i < sentence.words.size(); ++i) {
        fuzz::check_text(sentence.words[i], "word");
        fuzz::check_text(sentence.tags[i], "tag");
        for (const char c : sentence.words[i])
          if (readers::is_space(c)) fuzz::broken("whitespace in a word", sentence.words[i]);
        const std::string& tag = sentence.tags[i];
        if (tag != "O" && (tag.size() < 3 || tag[1] != '-')) fuzz::broken("bad tag kept", tag);
      }
      if (sentence.line <= previous_line || sentence.line > report.lines_read)
        fuzz::broken("line numbers out of order");
      previous_line = sentence.line;
    }
    if (report.skipped != 0) fuzz::broken("CoNLL skipped lines");
    fuzz::check_report(report);
  } catch (const Error& error) {
    fuzz::check_error_message(error.what(), source);
  }
  return 0;
}
