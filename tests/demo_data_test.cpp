// The demo data generator: the five files in the real datasets' formats, read back by the same
// readers, byte-identical for a seed, with learnable labels and all four entity types.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "datamux/core/demo_data.h"
#include "datamux/core/readers/conll_reader.h"
#include "datamux/core/readers/glue_reader.h"
#include "datamux/core/readers/text_reader.h"
#include "datamux/sdk/error.h"
#include "support/test_support.h"

namespace datamux {
namespace {

namespace fs = std::filesystem;

const char* const kFiles[] = {"sst2/train.tsv", "sst2/dev.tsv", "conll2003/train.txt",
                              "conll2003/valid.txt", "wikitext/wiki.train.raw"};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

DemoDataSizes small_sizes() {
  DemoDataSizes sizes;
  sizes.sentiment_train = 300;
  sizes.sentiment_dev = 60;
  sizes.ner_train = 200;
  sizes.ner_dev = 40;
  sizes.corpus_paragraphs = 250;
  return sizes;
}

TEST(DemoData, WritesFiveFilesTheReadersReadBack) {
  test::ScratchDir dir;
  write_demo_data(dir.path() / "demo", 7);  // the default sizes
  const fs::path root = dir.path() / "demo";
  for (const char* file : kFiles) EXPECT_TRUE(fs::is_regular_file(root / file)) << file;
  for (const auto& entry : fs::recursive_directory_iterator(root))  // no temporaries left
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();

  const DemoDataSizes sizes;
  ReadReport report;
  EXPECT_EQ(read_glue_tsv(root / "sst2/train.tsv", GlueTask::kSst2, report).size(),
            sizes.sentiment_train);
  EXPECT_EQ(read_glue_tsv(root / "sst2/dev.tsv", GlueTask::kSst2, report).size(),
            sizes.sentiment_dev);
  EXPECT_EQ(read_conll(root / "conll2003/train.txt", report).size(), sizes.ner_train);
  EXPECT_EQ(read_conll(root / "conll2003/valid.txt", report).size(), sizes.ner_dev);
  EXPECT_EQ(read_text_corpus(root / "wikitext/wiki.train.raw", report).size(),
            sizes.corpus_paragraphs);
  EXPECT_EQ(report.skipped, 0u);
}

TEST(DemoData, SmallSizesAreExact) {
  test::ScratchDir dir;
  const auto sizes = small_sizes();
  write_demo_data(dir.path(), 1, sizes);
  ReadReport report;
  EXPECT_EQ(read_glue_tsv(dir.path() / "sst2/train.tsv", GlueTask::kSst2, report).size(), 300u);
  EXPECT_EQ(read_glue_tsv(dir.path() / "sst2/dev.tsv", GlueTask::kSst2, report).size(), 60u);
  EXPECT_EQ(read_conll(dir.path() / "conll2003/train.txt", report).size(), 200u);
  EXPECT_EQ(read_conll(dir.path() / "conll2003/valid.txt", report).size(), 40u);
  EXPECT_EQ(read_text_corpus(dir.path() / "wikitext/wiki.train.raw", report).size(), 250u);
}

TEST(DemoData, SameSeedSameBytesOtherSeedOtherBytes) {
  test::ScratchDir dir;
  const auto sizes = small_sizes();
  write_demo_data(dir.path() / "a", 42, sizes);
  write_demo_data(dir.path() / "b", 42, sizes);
  write_demo_data(dir.path() / "c", 43, sizes);
  for (const char* file : kFiles) {
    const std::string a = slurp(dir.path() / "a" / file);
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_EQ(a, slurp(dir.path() / "b" / file)) << file;
    EXPECT_NE(a, slurp(dir.path() / "c" / file)) << file;
  }
  // Writing again over existing files replaces them with the same bytes.
  write_demo_data(dir.path() / "a", 42, sizes);
  EXPECT_EQ(slurp(dir.path() / "a/sst2/train.tsv"), slurp(dir.path() / "b/sst2/train.tsv"));
}

TEST(DemoData, SentimentFilesLookLikeSst2AndBothLabelsOccur) {
  test::ScratchDir dir;
  write_demo_data(dir.path(), 3);
  const std::string content = slurp(dir.path() / "sst2/train.tsv");
  EXPECT_EQ(content.rfind("sentence\tlabel\n", 0), 0u);
  std::istringstream lines(content);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    ASSERT_GE(line.size(), 4u);
    EXPECT_TRUE(line.compare(line.size() - 3, 3, " \t0") == 0 ||
                line.compare(line.size() - 3, 3, " \t1") == 0)
        << line;
    for (const char c : line) EXPECT_FALSE(c >= 'A' && c <= 'Z') << line;
  }
  ReadReport report;
  std::map<std::string, std::size_t> labels;
  for (const auto& example : read_glue_tsv(dir.path() / "sst2/train.tsv", GlueTask::kSst2, report))
    ++labels[example.label];
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_GT(labels["0"], 2000u * 4 / 10);
  EXPECT_GT(labels["1"], 2000u * 4 / 10);
}

TEST(DemoData, SentimentLabelIsLearnableFromWords) {
  // A word-polarity classifier fitted on train must do well on dev: cue words carry the label.
  test::ScratchDir dir;
  write_demo_data(dir.path(), 5);
  ReadReport report;
  struct Counts {
    long positive = 0, negative = 0;
  };
  std::map<std::string, Counts> counts;
  for (const auto& example : read_glue_tsv(dir.path() / "sst2/train.tsv", GlueTask::kSst2, report))
    for (const auto& word : words_of(example.text_a))
      ++(example.label == "1" ? counts[word].positive : counts[word].negative);
  std::size_t correct = 0, total = 0;
  for (const auto& example : read_glue_tsv(dir.path() / "sst2/dev.tsv", GlueTask::kSst2, report)) {
    double sum = 0;
    for (const auto& word : words_of(example.text_a)) {
      const Counts& c = counts[word];
      const long seen = c.positive + c.negative;
      const double polarity = seen < 5 ? 0.0 : static_cast<double>(c.positive - c.negative) / seen;
      if (polarity > 0.5 || polarity < -0.5) sum += polarity;  // only clearly polar words vote
    }
    correct += (sum > 0 ? "1" : "0") == example.label ? 1 : 0;
    ++total;
  }
  EXPECT_GT(static_cast<double>(correct) / total, 0.9);
}

TEST(DemoData, NerHasAllFourTypesInIob2) {
  test::ScratchDir dir;
  write_demo_data(dir.path(), 11);
  ReadReport report;
  std::set<std::string> tags;
  for (const char* file : {"conll2003/train.txt", "conll2003/valid.txt"}) {
    for (const auto& sentence : read_conll(dir.path() / file, report)) {
      ASSERT_EQ(sentence.words.size(), sentence.tags.size());
      for (std::size_t i = 0; i < sentence.tags.size(); ++i) {
        const std::string& tag = sentence.tags[i];
        tags.insert(tag);
        if (tag.rfind("I-", 0) == 0) {  // IOB2: an I- tag continues an entity of its type
          ASSERT_GT(i, 0u) << sentence.line;
          EXPECT_EQ(sentence.tags[i - 1].substr(2), tag.substr(2)) << sentence.line;
        }
      }
    }
  }
  for (const char* type : {"PER", "LOC", "ORG", "MISC"}) {
    EXPECT_TRUE(tags.count(std::string("B-") + type)) << type;
    EXPECT_TRUE(tags.count(std::string("I-") + type)) << type;
  }
  EXPECT_TRUE(tags.count("O"));
  EXPECT_EQ(tags.size(), 9u);
  const std::string content = slurp(dir.path() / "conll2003/train.txt");
  EXPECT_EQ(content.rfind("-DOCSTART- -X- -X- O\n\n", 0), 0u);
  std::istringstream lines(content);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      EXPECT_EQ(words_of(line).size(), 4u) << line;
    }
  }
}

TEST(DemoData, CorpusIsWikiTextStyleAndCoversTheTaskWords) {
  test::ScratchDir dir;
  write_demo_data(dir.path(), 9);
  const std::string raw = slurp(dir.path() / "wikitext/wiki.train.raw");
  EXPECT_EQ(raw.rfind(" \n = ", 0), 0u);
  EXPECT_NE(raw.find("\n = = "), std::string::npos);  // section headings
  EXPECT_EQ(raw.find("\n\n"), std::string::npos);     // blank lines are a single space
  ReadReport report;
  std::set<std::string> corpus_words;
  for (const auto& paragraph : read_text_corpus(dir.path() / "wikitext/wiki.train.raw", report))
    for (const auto& word : words_of(paragraph)) corpus_words.insert(word);
  std::set<std::string> missing;
  for (const auto& example : read_glue_tsv(dir.path() / "sst2/train.tsv", GlueTask::kSst2, report))
    for (const auto& word : words_of(example.text_a))
      if (!corpus_words.count(word)) missing.insert(word);
  for (const auto& sentence : read_conll(dir.path() / "conll2003/train.txt", report))
    for (const auto& word : sentence.words)
      if (std::isalpha(static_cast<unsigned char>(word[0])) && !corpus_words.count(word))
        missing.insert(word);
  EXPECT_TRUE(missing.empty()) << "first missing: " << *missing.begin();
}

TEST(DemoData, ErrorsNameThePath) {
  test::ScratchDir dir;
  const auto blocker = dir.write("blocker", "a file, not a directory");
  try {
    write_demo_data(blocker / "demo", 1);
    ADD_FAILURE() << "expected datamux::Error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find((blocker / "demo").string()), std::string::npos) << message;
    EXPECT_NE(message.find("cannot create directory"), std::string::npos) << message;
  }
  DemoDataSizes zero;
  zero.ner_dev = 0;
  EXPECT_THROW(write_demo_data(dir.path() / "zero", 1, zero), Error);
}

}  // namespace
}  // namespace datamux
