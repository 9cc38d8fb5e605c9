// The evaluation counters of datamux/sdk/metrics.h on examples worked out by hand with
// conlleval's rules (the expected counts are derived in the comments).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "datamux/sdk/metrics.h"

namespace datamux {
namespace {

using Tags = std::vector<std::string>;
using metrics::ChunkCounts;
using metrics::ClassificationCounter;
using metrics::ConllCounter;

void expect_counts(const ChunkCounts& counts, std::int64_t gold, std::int64_t predicted,
                   std::int64_t correct) {
  EXPECT_EQ(counts.gold, gold);
  EXPECT_EQ(counts.predicted, predicted);
  EXPECT_EQ(counts.correct, correct);
}

ConllCounter one_sentence(const Tags& gold, const Tags& predicted) {
  ConllCounter counter;
  counter.add_sentence(gold, predicted);
  return counter;
}

TEST(ConllMetric, Iob2TypeMismatchAndPerTypeCounts) {
  // gold: [PER Jim Smith] visited [LOC Paris]; the prediction gets PER right and calls Paris
  // an ORG. Gold chunks PER, LOC; predicted PER, ORG; only PER matches (a correct chunk needs
  // the type too). P = R = 1/2, F1 = 1/2; tags right on 3 of 4 words.
  const auto counter = one_sentence({"B-PER", "I-PER", "O", "B-LOC"},
                                    {"B-PER", "I-PER", "O", "B-ORG"});
  expect_counts(counter.overall(), 2, 2, 1);
  EXPECT_DOUBLE_EQ(counter.precision(), 0.5);
  EXPECT_DOUBLE_EQ(counter.recall(), 0.5);
  EXPECT_DOUBLE_EQ(counter.f1(), 0.5);
  EXPECT_DOUBLE_EQ(counter.token_accuracy(), 0.75);
  EXPECT_EQ(counter.tokens(), 4);
  EXPECT_EQ(counter.sentences(), 1);

  const auto types = counter.by_type();
  ASSERT_EQ(types.size(), 3u);  // LOC, ORG, PER
  expect_counts(types.at("PER"), 1, 1, 1);
  expect_counts(types.at("LOC"), 1, 0, 0);
  expect_counts(types.at("ORG"), 0, 1, 0);
}

TEST(ConllMetric, PrecisionAndRecallDiffer) {
  // gold chunks: PER(0), LOC(2-3), ORG(5) = 3. predicted: PER(0), LOC(2) = 2.
  // PER is correct; the predicted LOC ends at word 2 but the gold one at word 3: wrong.
  // P = 1/2, R = 1/3, F1 = 2 * (1/6) / (5/6) = 0.4. Tags right on words 0, 1, 2, 4: 4/6.
  const auto counter = one_sentence({"B-PER", "O", "B-LOC", "I-LOC", "O", "B-ORG"},
                                    {"B-PER", "O", "B-LOC", "O", "O", "O"});
  expect_counts(counter.overall(), 3, 2, 1);
  EXPECT_DOUBLE_EQ(counter.precision(), 0.5);
  EXPECT_DOUBLE_EQ(counter.recall(), 1.0 / 3.0);
  EXPECT_NEAR(counter.f1(), 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(counter.token_accuracy(), 4.0 / 6.0);
}

TEST(ConllMetric, Iob1EntitiesStartWithI) {
  // IOB1: an I- after O starts a chunk. gold chunks PER(0-1), LOC(3); predicted PER(0),
  // LOC(3). The predicted PER stops one word early (boundary mismatch); LOC matches.
  const auto counter = one_sentence({"I-PER", "I-PER", "O", "I-LOC"},
                                    {"I-PER", "O", "O", "I-LOC"});
  expect_counts(counter.overall(), 2, 2, 1);
  EXPECT_DOUBLE_EQ(counter.f1(), 0.5);
}

TEST(ConllMetric, Iob1AdjacentEntitiesOfOneType) {
  // IOB1 marks the second of two adjacent same-type chunks with B-: "I-PER B-PER" is two
  // chunks, "I-PER I-PER" is one. Against each other: gold 2, predicted 1, none correct
  // (the predicted chunk spans both words).
  {
    const auto counter = one_sentence({"I-PER", "B-PER"}, {"I-PER", "I-PER"});
    expect_counts(counter.overall(), 2, 1, 0);
    EXPECT_DOUBLE_EQ(counter.f1(), 0.0);
    EXPECT_DOUBLE_EQ(counter.token_accuracy(), 0.5);
  }
  {
    // B- after B- of the same type also starts a new chunk: "B-PER B-PER" is two chunks.
    const auto counter = one_sentence({"B-PER", "B-PER"}, {"I-PER", "I-PER"});
    expect_counts(counter.overall(), 2, 1, 0);
  }
  {
    // The same two chunks predicted as such: both correct.
    const auto counter = one_sentence({"I-PER", "B-PER"}, {"I-PER", "B-PER"});
    expect_counts(counter.overall(), 2, 2, 2);
    EXPECT_DOUBLE_EQ(counter.f1(), 1.0);
  }
}

TEST(ConllMetric, Iob1IAfterAnotherTypeStartsAChunk) {
  // "I-PER I-LOC" is two chunks (the type changes); "I-PER I-PER" is one: none correct.
  const auto counter = one_sentence({"I-PER", "I-LOC"}, {"I-PER", "I-PER"});
  expect_counts(counter.overall(), 2, 1, 0);
  expect_counts(counter.by_type().at("PER"), 1, 1, 0);
  expect_counts(counter.by_type().at("LOC"), 1, 0, 0);
}

TEST(ConllMetric, TypeMismatchOverTheWholeChunk) {
  // Same boundaries, other type: one gold chunk, one predicted chunk, nothing correct and no
  // tag right.
  const auto counter = one_sentence({"B-PER", "I-PER"}, {"B-ORG", "I-ORG"});
  expect_counts(counter.overall(), 1, 1, 0);
  EXPECT_DOUBLE_EQ(counter.token_accuracy(), 0.0);
}

TEST(ConllMetric, BoundaryMismatchAtTheEnd) {
  // The predicted chunk starts right but ends one word early: not correct.
  const auto counter = one_sentence({"B-PER", "I-PER", "I-PER"}, {"B-PER", "I-PER", "O"});
  expect_counts(counter.overall(), 1, 1, 0);
  // ... and one that runs one word too long is not correct either.
  const auto longer = one_sentence({"B-PER", "O"}, {"B-PER", "I-PER"});
  expect_counts(longer.overall(), 1, 1, 0);
}

TEST(ConllMetric, AllOutsideHasNoChunksAndNoDivisionByZero) {
  const auto counter = one_sentence({"O", "O", "O"}, {"O", "O", "O"});
  expect_counts(counter.overall(), 0, 0, 0);
  EXPECT_EQ(counter.precision(), 0.0);
  EXPECT_EQ(counter.recall(), 0.0);
  EXPECT_EQ(counter.f1(), 0.0);
  EXPECT_DOUBLE_EQ(counter.token_accuracy(), 1.0);
  EXPECT_TRUE(counter.by_type().empty());

  const ConllCounter empty;  // nothing added at all
  EXPECT_EQ(empty.f1(), 0.0);
  EXPECT_EQ(empty.token_accuracy(), 0.0);
}

TEST(ConllMetric, SentencesAccumulateAndBoundariesCloseChunks) {
  ConllCounter counter;
  counter.add_sentence({"B-PER", "I-PER", "O", "B-LOC"}, {"B-PER", "I-PER", "O", "B-ORG"});
  counter.add_sentence({"I-PER", "I-PER", "O", "I-LOC"}, {"I-PER", "O", "O", "I-LOC"});
  // The two sentences above: gold 2 + 2, predicted 2 + 2, correct 1 + 1.
  expect_counts(counter.overall(), 4, 4, 2);
  EXPECT_EQ(counter.sentences(), 2);
  EXPECT_EQ(counter.tokens(), 8);
  EXPECT_DOUBLE_EQ(counter.token_accuracy(), 6.0 / 8.0);

  // A chunk at the end of one sentence and an I- of the same type at the start of the next
  // are two chunks (the blank line between them is conlleval's boundary), both correct ...
  ConllCounter split;
  split.add_sentence({"B-PER"}, {"B-PER"});
  split.add_sentence({"I-PER", "O"}, {"I-PER", "O"});
  expect_counts(split.overall(), 2, 2, 2);
  // ... while in one sentence "B-PER I-PER" is a single chunk.
  const auto joined = one_sentence({"B-PER", "I-PER", "O"}, {"B-PER", "I-PER", "O"});
  expect_counts(joined.overall(), 1, 1, 1);
  // A chunk that runs to the end of the sentence is closed by the boundary and counted.
  const auto open_end = one_sentence({"O", "B-MISC"}, {"O", "B-MISC"});
  expect_counts(open_end.overall(), 1, 1, 1);
}

TEST(ConllMetric, IobesAndIoe) {
  // IOBES: S- is a one-word chunk, so "S-PER S-PER" is two; E- followed by B- ends a chunk.
  expect_counts(one_sentence({"S-PER", "S-PER"}, {"S-PER", "S-PER"}).overall(), 2, 2, 2);
  expect_counts(
      one_sentence({"B-PER", "E-PER", "B-PER", "E-PER"}, {"B-PER", "E-PER", "S-PER", "S-PER"})
          .overall(),
      // gold: PER(0-1), PER(2-3); predicted: PER(0-1), PER(2), PER(3): first one correct.
      2, 3, 1);
  // IOE1: E- marks the last word of a chunk followed by one of the same type.
  expect_counts(one_sentence({"I-NP", "E-NP", "I-NP"}, {"I-NP", "I-NP", "I-NP"}).overall(), 2,
                1, 0);
}

TEST(ConllMetric, LengthMismatchThrows) {
  ConllCounter counter;
  EXPECT_THROW(counter.add_sentence({"O", "O"}, {"O"}), Error);
}

TEST(ClassificationMetric, AccuracyAndF1OfLabelOne) {
  ClassificationCounter counter;  // positive class 1
  // gold 1 0 1 1 0 0, predicted 1 1 0 1 0 0: right on 0, 3, 4, 5 -> accuracy 4/6.
  // TP = 2 (0, 3), FP = 1 (1), FN = 1 (2): F1 = 2*2 / (2*2 + 1 + 1) = 2/3.
  const std::vector<std::int64_t> gold{1, 0, 1, 1, 0, 0}, predicted{1, 1, 0, 1, 0, 0};
  for (std::size_t i = 0; i < gold.size(); ++i) counter.add(gold[i], predicted[i]);
  EXPECT_EQ(counter.examples(), 6);
  EXPECT_DOUBLE_EQ(counter.accuracy(), 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(counter.f1(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(counter.precision(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(counter.recall(), 2.0 / 3.0);
}

TEST(ClassificationMetric, PrecisionRecallAndOtherPositiveClass) {
  // gold 1 1 1 0, predicted 1 0 0 0: accuracy 2/4; for class 1: TP 1, FP 0, FN 2 ->
  // P = 1, R = 1/3, F1 = 2 / (2 + 0 + 2) = 1/2.
  ClassificationCounter one;
  ClassificationCounter zero(0);
  const std::vector<std::int64_t> gold{1, 1, 1, 0}, predicted{1, 0, 0, 0};
  for (std::size_t i = 0; i < gold.size(); ++i) {
    one.add(gold[i], predicted[i]);
    zero.add(gold[i], predicted[i]);
  }
  EXPECT_DOUBLE_EQ(one.accuracy(), 0.5);
  EXPECT_DOUBLE_EQ(one.precision(), 1.0);
  EXPECT_DOUBLE_EQ(one.recall(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(one.f1(), 0.5);
  // For class 0: TP 1 (3), FP 2 (1, 2), FN 0 -> P = 1/3, R = 1, F1 = 2 / (2 + 2) = 1/2.
  EXPECT_DOUBLE_EQ(zero.precision(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(zero.recall(), 1.0);
  EXPECT_DOUBLE_EQ(zero.f1(), 0.5);
  EXPECT_DOUBLE_EQ(zero.accuracy(), 0.5);
}

TEST(ClassificationMetric, NoPositivesAndMultiClass) {
  ClassificationCounter none;
  none.add(0, 0);
  none.add(0, 0);
  EXPECT_DOUBLE_EQ(none.accuracy(), 1.0);
  EXPECT_EQ(none.f1(), 0.0);  // no positive anywhere: 0, not NaN

  // Three classes, positive 1: gold 2 1 0, predicted 1 1 2 -> accuracy 1/3;
  // TP 1 (1), FP 1 (0), FN 0 -> F1 = 2 / 3.
  ClassificationCounter multi;
  multi.add(2, 1);
  multi.add(1, 1);
  multi.add(0, 2);
  EXPECT_DOUBLE_EQ(multi.accuracy(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(multi.f1(), 2.0 / 3.0);

  const ClassificationCounter empty;
  EXPECT_EQ(empty.accuracy(), 0.0);
  EXPECT_EQ(empty.f1(), 0.0);
}

}  // namespace
}  // namespace datamux
