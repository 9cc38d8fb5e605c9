// `datamux score` and the core functions behind it, on small gold and prediction files.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

#include "datamux/core/scoring.h"
#include "datamux/sdk/error.h"
#include "support/test_support.h"

namespace datamux {
namespace {

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// `name value` lines -> names in order and values.
std::vector<std::pair<std::string, double>> parse_values(const std::string& out) {
  std::vector<std::pair<std::string, double>> values;
  std::istringstream in(out);
  std::string name;
  double value;
  while (in >> name >> value) values.emplace_back(name, value);
  return values;
}

std::vector<std::string> names_of(const std::vector<std::pair<std::string, double>>& values) {
  std::vector<std::string> names;
  for (const auto& [name, value] : values) names.push_back(name);
  return names;
}

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected datamux::Error";
  return "";
}

// CoNLL-2003 layout (IOB1 tags), two sentences after a document marker.
const char* kGoldConll =
    "-DOCSTART- -X- -X- O\n"
    "\n"
    "EU NNP B-NP I-ORG\n"
    "rejects VBZ B-VP O\n"
    "German JJ B-NP I-MISC\n"
    "call NN I-NP O\n"
    "\n"
    "Peter NNP B-NP I-PER\n"
    "Blackburn NNP I-NP I-PER\n";

// What `datamux eval --predictions` writes: `word tag`, a blank line between sentences.
// ORG right, MISC called LOC, PER cut after one word.
const char* kPredictedConll =
    "EU I-ORG\n"
    "rejects O\n"
    "German I-LOC\n"
    "call O\n"
    "\n"
    "Peter I-PER\n"
    "Blackburn O\n";

TEST(ScoreCli, NerPrintsConllScoresInTheEvaluatorsOrder) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.conll", kGoldConll);
  const auto pred = dir.write("pred.conll", kPredictedConll);
  const auto result = test::run_datamux("score ner " + gold.string() + " " + pred.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto values = parse_values(result.out);
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"precision", "recall", "f1",
                                                        "token_accuracy", "sentences"}));
  ASSERT_EQ(values.size(), 5u);
  // gold chunks ORG, MISC, PER; predicted ORG, LOC, PER(Peter); correct ORG: P = R = 1/3.
  EXPECT_NEAR(values[0].second, 1.0 / 3.0, 1e-5);
  EXPECT_NEAR(values[1].second, 1.0 / 3.0, 1e-5);
  EXPECT_NEAR(values[2].second, 1.0 / 3.0, 1e-5);
  EXPECT_NEAR(values[3].second, 4.0 / 6.0, 1e-5);  // German and Blackburn wrong
  EXPECT_EQ(values[4].second, 2.0);
  EXPECT_EQ(result.out.find("error"), std::string::npos) << result.out;
}

TEST(ScoreCli, NerSameFileIsPerfect) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.conll", kGoldConll);
  const auto values = score_ner_files(gold, gold);
  ASSERT_EQ(values.size(), 5u);
  EXPECT_EQ(values[2].first, "f1");
  EXPECT_DOUBLE_EQ(values[2].second, 1.0);
  EXPECT_DOUBLE_EQ(values[3].second, 1.0);
}

TEST(ScoreCli, NerWordCountMismatchNamesTheSentence) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.conll", kGoldConll);
  const auto pred = dir.write("pred.conll", "EU I-ORG\nrejects O\nGerman I-LOC\ncall O\n\n"
                                            "Peter I-PER\n");
  const auto result = test::run_datamux("score ner " + gold.string() + " " + pred.string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "datamux: error: ");
  EXPECT_CONTAINS(result.out, "pred.conll:6: sentence 2 has 1 word, but ");
  EXPECT_CONTAINS(result.out, "gold.conll:8 has 2");
}

TEST(ScoreCli, NerSentenceCountMismatchNamesTheFirstUnmatched) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.conll", kGoldConll);
  const auto pred = dir.write("pred.conll", "EU I-ORG\nrejects O\nGerman I-LOC\ncall O\n");
  const auto result = test::run_datamux("score ner " + gold.string() + " " + pred.string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "pred.conll: 1 sentence, but ");
  EXPECT_CONTAINS(result.out, "gold.conll has 2 (first unmatched: sentence 2 at ");
  EXPECT_CONTAINS(result.out, "gold.conll:8)");
}

TEST(ScoreCli, ClassificationBinaryReportsF1) {
  test::ScratchDir dir;
  // gold 1 0 1 1 0 0, predicted 1 1 0 1 0 0: accuracy 4/6; TP 2, FP 1, FN 1 -> F1 2/3.
  // Windows line ends, surrounding blanks and trailing blank lines are fine.
  const auto gold = dir.write("gold.txt", "1\r\n0\r\n1\r\n 1 \r\n0\r\n0\r\n\r\n\n");
  const auto pred = dir.write("pred.txt", "1\n1\n0\n1\n0\n0");
  const auto result =
      test::run_datamux("score classification " + gold.string() + " " + pred.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto values = parse_values(result.out);
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"accuracy", "f1", "examples"}));
  ASSERT_EQ(values.size(), 3u);
  EXPECT_NEAR(values[0].second, 4.0 / 6.0, 1e-5);
  EXPECT_NEAR(values[1].second, 2.0 / 3.0, 1e-5);
  EXPECT_EQ(values[2].second, 6.0);
}

TEST(ScoreCli, ClassificationNamedLabelsAndPositiveClass) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.txt", "entailment\nneutral\ncontradiction\n");
  const auto pred = dir.write("pred.txt", "entailment\nentailment\ncontradiction\n");
  // Three label names: accuracy only, as the evaluator reports for MNLI.
  auto values = score_classification_files(gold, pred);
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"accuracy", "examples"}));
  EXPECT_DOUBLE_EQ(values[0].second, 2.0 / 3.0);
  // --positive entailment: TP 1, FP 1 (neutral), FN 0 -> F1 = 2 / (2 + 1) = 2/3.
  const auto result = test::run_datamux("score classification " + gold.string() + " " +
                                        pred.string() + " --positive entailment");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  values = parse_values(result.out);
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"accuracy", "f1", "examples"}));
  EXPECT_NEAR(values[1].second, 2.0 / 3.0, 1e-5);
}

TEST(ScoreCli, ClassificationFileErrors) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.txt", "1\n0\n1\n");
  const auto holed = dir.write("holed.txt", "1\n\n0\n1\n");
  const auto shorter = dir.write("short.txt", "1\n0\n");
  const auto empty = dir.write("empty.txt", "\n\n");

  auto result =
      test::run_datamux("score classification " + gold.string() + " " + holed.string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "holed.txt:2: empty line between labels");

  result = test::run_datamux("score classification " + gold.string() + " " + shorter.string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "short.txt: 2 labels, but ");
  EXPECT_CONTAINS(result.out, "gold.txt has 3");

  EXPECT_CONTAINS(error_of([&] { score_classification_files(gold, empty); }), "no labels");
  EXPECT_CONTAINS(error_of([&] { score_classification_files(gold, dir.path() / "nope.txt"); }),
                  "nope.txt: file not found");
}

TEST(ScoreCli, MissingFileExitsOneWithOneLine) {
  test::ScratchDir dir;
  const auto gold = dir.write("gold.conll", kGoldConll);
  const auto result = test::run_datamux("score ner " + gold.string() + " " +
                                        (dir.path() / "missing.conll").string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "missing.conll");
}

TEST(ScoreCli, UsageErrorsExitWithTwo) {
  for (const char* arguments :
       {"score", "score ner", "score ner a.conll", "score pos a b", "score ner a b c",
        "score ner a b --positive 1", "score classification a b --bogus"}) {
    const auto result = test::run_datamux(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << ": " << result.out;
    EXPECT_EQ(line_count(result.out), 1u) << arguments << ": " << result.out;
  }
  const auto help = test::run_datamux("score --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_CONTAINS(help.out, "classification");
}

}  // namespace
}  // namespace datamux
