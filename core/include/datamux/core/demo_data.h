#pragma once
// Demo data that needs no download, written in the on-disk formats of the real datasets so
// that the same readers read it (read_glue_tsv, read_conll, read_text_corpus):
//
//   dir/sst2/train.tsv, dir/sst2/dev.tsv     SST-2 layout: header `sentence<TAB>label`, then
//                                            lowercased words, a space, a tab, 0 or 1. The
//                                            label is the polarity of the cue words (a tiny
//                                            sentiment language: positive and negative cues
//                                            among neutral words; the label's cues always
//                                            outnumber the others).
//   dir/conll2003/train.txt, valid.txt       CoNLL-2003: `token POS chunk NER`, `-DOCSTART-
//                                            -X- -X- O` and a blank line before each
//                                            document, a blank line after each sentence; IOB2
//                                            tags for PER, LOC, ORG and MISC, entities from
//                                            name lists in typical contexts ("Mr X said",
//                                            "in X", "X shares rose").
//   dir/wikitext/wiki.train.raw              WikiText raw style: ` = Title = ` and
//                                            ` = = Section = = ` headings, blank lines that
//                                            are a single space, paragraphs of sentences from
//                                            the same word and name lists.
//
// Counts: sizes.sentiment_* examples, sizes.ner_* sentences (not counting -DOCSTART-), and
// sizes.corpus_paragraphs non-blank lines (headings included, as read_text_corpus counts).
// The files are byte-identical for a seed on every platform (std::mt19937_64 with explicit
// integer arithmetic, no std:: distributions); each is written to a temporary file in the
// same directory and renamed into place. Standard library only.
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace datamux {

struct DemoDataSizes {
  std::size_t sentiment_train = 2000;
  std::size_t sentiment_dev = 400;
  std::size_t ner_train = 1500;
  std::size_t ner_dev = 300;
  std::size_t corpus_paragraphs = 3000;
};

// Writes the five files under `dir` (created if needed). Throws datamux::Error naming the path
// when a directory cannot be created or a file cannot be written, and when a size is 0.
void write_demo_data(const std::filesystem::path& dir, std::uint64_t seed,
                     const DemoDataSizes& sizes = {});

}  // namespace datamux
