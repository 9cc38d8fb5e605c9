#pragma once
// What the readers produce: text as it stands in the files, with the line it came from, so
// that later checks (e.g. a label outside the training label set) can name file and line.
// No tokenisation happens here; readers depend on nothing but the standard library.
#include <cstddef>
#include <string>
#include <vector>

namespace datamux {

// A sentence (or sentence pair) with its label, from a GLUE TSV file.
struct SentenceExample {
  std::string text_a;
  std::string text_b;  // empty for single-sentence tasks
  std::string label;
  std::size_t line = 0;  // 1-based line in the file
};

// A sentence of words with one tag per word, from a CoNLL column file.
struct TaggedSentence {
  std::vector<std::string> words;  // first column
  std::vector<std::string> tags;   // last column
  std::size_t line = 0;            // line of the first word
};

// Things a reader skipped without failing; stored in the run record so nothing disappears
// silently.
struct ReadReport {
  std::size_t lines_read = 0;
  std::size_t skipped = 0;
  std::vector<std::string> warnings;  // "file:line: why", at most a few dozen kept
  void warn(const std::string& message);
};

}  // namespace datamux
