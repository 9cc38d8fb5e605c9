// The SentencePiece tokenizer and the encoding of sentences, tags and corpora.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "datamux/core/encoding.h"
#include "datamux/core/tokenizer.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// A small corpus: enough text for a few hundred pieces.
std::vector<std::string> corpus() {
  const std::vector<std::string> words = {"the", "river", "bank", "opened", "a", "new", "branch",
                                          "in", "paris", "while", "maria", "said", "that",
                                          "markets", "were", "calm", "today", "and", "prices",
                                          "rose", "after", "talks", "with", "unions"};
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 400; ++i) {
    std::string text;
    for (std::size_t w = 0; w < 12; ++w) text += (w ? " " : "") + words[(i * 7 + w * 5 + i / 3) % words.size()];
    texts.push_back(text);
  }
  return texts;
}

class TokenizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    TokenizerTraining options;
    options.vocab_size = 300;
    options.reserved_tokens = reserved();
    Tokenizer::train(corpus(), dir_->path() / "sp.model", options);
  }
  static void TearDownTestSuite() { delete dir_; }
  // What a demultiplexer might reserve (DemultiplexerLayout::reserved_tokens).
  static std::vector<std::string> reserved() { return {"<mux_cls>", "<mux_fill>", "<slot_a0>"}; }
  static Tokenizer tokenizer() { return Tokenizer::load(dir_->path() / "sp.model", reserved()); }
  static test::ScratchDir* dir_;
};
test::ScratchDir* TokenizerTest::dir_ = nullptr;

TEST_F(TokenizerTest, ReservesDatamuxSpecialIds) {
  const Tokenizer t = tokenizer();
  // The reserved symbols right after pad, unk, bos, eos, in the order asked for.
  EXPECT_EQ(t.reserved_ids(), (std::vector<std::int64_t>{4, 5, 6}));
  const std::int64_t first_ordinary = 7;
  EXPECT_GT(t.vocab_size(), first_ordinary);
  for (std::int64_t id : t.encode("the river bank opened a new branch"))
    EXPECT_GE(id, first_ordinary) << "ordinary text must never map to a reserved id";
  // Asked for in another order or in part, each symbol keeps its id.
  EXPECT_EQ(Tokenizer::load(dir_->path() / "sp.model", {"<slot_a0>", "<mux_cls>"}).reserved_ids(),
            (std::vector<std::int64_t>{6, 4}));
}

TEST_F(TokenizerTest, RefusesAModelWithoutAReservedTokenTheRunNeeds) {
  const std::string message =
      test::error_of([&] { Tokenizer::load(dir_->path() / "sp.model", {"<mux_cls>", "<pair_b1>"}); });
  EXPECT_CONTAINS(message, "sp.model");
  EXPECT_CONTAINS(message, "has no reserved token '<pair_b1>'");
}

TEST_F(TokenizerTest, RoundTripsText) {
  const Tokenizer t = tokenizer();
  for (const std::string text : {"maria said that markets were calm today",
                                 "prices rose after talks with unions in paris"})
    EXPECT_EQ(t.decode(t.encode(text)), text);
  const auto batch = t.encode_all({"the river", "", "calm today"});
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_TRUE(batch[1].empty());
  EXPECT_EQ(batch[2], t.encode("calm today"));
}

TEST_F(TokenizerTest, TrainingIsDeterministicForASeed) {
  TokenizerTraining options;
  options.vocab_size = 300;
  options.reserved_tokens = reserved();
  Tokenizer::train(corpus(), dir_->path() / "again.model", options);
  const Tokenizer a = tokenizer(), b = Tokenizer::load(dir_->path() / "again.model", reserved());
  EXPECT_EQ(a.encode("maria opened a branch in paris"), b.encode("maria opened a branch in paris"));
}

TEST_F(TokenizerTest, RejectsAFileThatIsNoModel) {
  const auto bogus = dir_->write("bogus.model", "not a model");
  try {
    Tokenizer::load(bogus);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_CONTAINS(std::string(error.what()), "bogus.model");
  }
  EXPECT_THROW(Tokenizer::load(dir_->path() / "absent.model"), Error);
}

TEST_F(TokenizerTest, LabelsOnlyTheFirstSubTokenOfEachWord) {
  const Tokenizer t = tokenizer();
  TaggedSentence sentence;
  sentence.words = {"Maria", "unionsbranchprices", "opened", "Paris"};  // the second splits
  sentence.tags = {"B-PER", "O", "O", "B-LOC"};
  sentence.line = 5;
  ReadReport report;
  const std::vector<std::string> labels = {"O", "B-LOC", "B-PER"};
  const Dataset data = encode_tagged({sentence}, t, labels, 64, "ner.txt", report);
  ASSERT_EQ(data.examples.size(), 1u);
  const Example& example = data.examples[0];
  ASSERT_EQ(example.ids.size(), example.token_labels.size());
  EXPECT_EQ(example.ids.front(), t.special().bos);
  EXPECT_EQ(example.ids.back(), t.special().eos);
  const auto pieces = t.encode_words(sentence.words);
  ASSERT_GT(pieces[1].size(), 1u) << "the test needs a word of several pieces";
  std::vector<std::int64_t> expected = {kIgnoreLabel};
  for (std::size_t w = 0; w < pieces.size(); ++w)
    for (std::size_t p = 0; p < pieces[w].size(); ++p)
      expected.push_back(p == 0 ? std::find(labels.begin(), labels.end(), sentence.tags[w]) - labels.begin()
                                : kIgnoreLabel);
  expected.push_back(kIgnoreLabel);
  EXPECT_EQ(example.token_labels, expected);
}

TEST_F(TokenizerTest, WordsCutOffByTruncationKeepTheirLabels) {
  const Tokenizer t = tokenizer();
  const std::vector<std::string> labels = {"O", "B-LOC", "B-PER"};
  // The third word is long; the fourth would fit after it but must not leave a gap.
  TaggedSentence sentence{{"maria", "said", "unionsbranchprices", "paris", "today"},
                          {"B-PER", "O", "O", "B-LOC", "O"}, 1};
  TaggedSentence short_one{{"paris"}, {"B-LOC"}, 9};
  const auto pieces = t.encode_words(sentence.words);
  ASSERT_GT(pieces[2].size(), pieces[3].size()) << "the test needs a long third word";
  const auto kept = static_cast<std::int64_t>(pieces[0].size() + pieces[1].size());
  const std::int64_t max_length = kept + 2 + static_cast<std::int64_t>(pieces[3].size());
  ASSERT_LT(max_length, kept + 2 + static_cast<std::int64_t>(pieces[2].size()));
  ReadReport report;
  const Dataset data =
      encode_tagged({sentence, short_one}, t, labels, max_length, "ner.txt", report);
  const Example& cut = data.examples[0];
  EXPECT_EQ(static_cast<std::int64_t>(cut.ids.size()), kept + 2);
  EXPECT_EQ(cut.truncated_labels, (std::vector<std::int64_t>{0, 1, 0}));
  EXPECT_TRUE(data.examples[1].truncated_labels.empty());
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_CONTAINS(report.warnings[0], "1 sentences truncated");

  // As a batch field: padded with kIgnoreLabel; -1 is a filler instance.
  const torch::Tensor tensor = truncated_label_tensor(data, {1, 0, -1}, torch::kCPU);
  ASSERT_TRUE(tensor.defined());
  constexpr std::int64_t X = kIgnoreLabel;
  const std::vector<std::int64_t> expected = {X, X, X, 0, 1, 0, X, X, X};
  EXPECT_TRUE(torch::equal(tensor, torch::tensor(expected).reshape({3, 3}))) << tensor;
  EXPECT_FALSE(truncated_label_tensor(data, {1, -1}, torch::kCPU).defined());
}

TEST_F(TokenizerTest, UnknownLabelNamesFileAndLine) {
  const Tokenizer t = tokenizer();
  TaggedSentence sentence{{"maria", "said"}, {"B-PER", "B-FOO"}, 7};
  ReadReport report;
  try {
    encode_tagged({sentence}, t, {"O", "B-PER"}, 64, "valid.txt", report);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "valid.txt:8: label 'B-FOO' is not among the training labels (O, B-PER)");
  }
  SentenceExample example{"calm today", "", "2", 3};
  EXPECT_THROW(encode_sentences({example}, t, {"0", "1"}, 64, "dev.tsv", report), Error);
}

TEST_F(TokenizerTest, PairsAndTruncationFollowTheLayout) {
  const Tokenizer t = tokenizer();
  ReadReport report;
  SentenceExample pair{"maria said", "markets were calm", "1", 2};
  const Dataset data = encode_sentences({pair}, t, {"0", "1"}, 64, "qnli.tsv", report);
  const auto& ids = data.examples[0].ids;
  const auto a = t.encode("maria said"), b = t.encode("markets were calm");
  std::vector<std::int64_t> expected = {t.special().bos};
  expected.insert(expected.end(), a.begin(), a.end());
  expected.insert(expected.end(), {t.special().eos, t.special().eos});
  expected.insert(expected.end(), b.begin(), b.end());
  expected.push_back(t.special().eos);
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(data.examples[0].label, 1);

  const Dataset cut = encode_sentences({pair}, t, {"0", "1"}, 6, "qnli.tsv", report);
  EXPECT_EQ(cut.examples[0].ids.size(), 6u);
  EXPECT_EQ(report.warnings.size(), 1u);
}

TEST_F(TokenizerTest, CorpusIsCutIntoChunks) {
  const Tokenizer t = tokenizer();
  const Dataset data = encode_corpus(corpus(), t, 16);
  ASSERT_GT(data.examples.size(), 10u);
  for (const auto& example : data.examples) {
    EXPECT_LE(example.ids.size(), 16u);
    EXPECT_EQ(example.ids.front(), t.special().bos);
    EXPECT_EQ(example.ids.back(), t.special().eos);
  }
  EXPECT_EQ(data.label_kind, LabelKind::kNone);
}

}  // namespace
}  // namespace datamux
