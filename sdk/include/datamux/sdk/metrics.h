#pragma once
// Evaluation counters shared by the task plugins and `datamux score`, so that a metric logged
// during training and the same metric computed from files afterwards agree to the last digit.
// Header-only and standard library only: no libtorch.
//
// ConllCounter replicates conlleval (the CoNLL-2000 shared task's evaluation script, the
// version used for CoNLL-2003 NER): entity-level precision, recall and F1 from chunk tags.
// ClassificationCounter gives accuracy and the F1 of one positive class, as GLUE reports them
// for QQP and MRPC.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "datamux/sdk/error.h"

namespace datamux::metrics {

// 2PR / (P + R), or 0 when P + R = 0 (conlleval's and scikit-learn's convention).
inline double f1_score(double precision, double recall) {
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

inline double fraction(std::int64_t numerator, std::int64_t denominator) {
  return denominator > 0 ? static_cast<double>(numerator) / static_cast<double>(denominator)
                         : 0.0;
}

// Chunk counts of one chunk type, or of all types together.
struct ChunkCounts {
  std::int64_t gold = 0;       // chunks in the gold tags
  std::int64_t predicted = 0;  // chunks in the predicted tags
  std::int64_t correct = 0;    // predicted chunks with the gold chunk's boundaries and type

  double precision() const { return fraction(correct, predicted); }
  double recall() const { return fraction(correct, gold); }
  double f1() const { return f1_score(precision(), recall()); }
};

// conlleval's chunk logic, sentence by sentence.
//
// A tag is split at its first '-' into a prefix and a type ("B-PER" -> "B", "PER"); a tag
// without '-' is a prefix with an empty type ("O"). Between two consecutive words a chunk
// ends and/or starts according to the previous and the current prefix and type, with the
// rules of conlleval's endOfChunk / startOfChunk: IOB1 (an I- after O or after another type
// starts a chunk; B- only separates two adjacent chunks of one type), IOB2, IOE1/IOE2, the
// bracket schemes ('[' and ']' are one-word chunks, '.' inside a chunk), and, as in the
// widely used IOBES extension of conlleval, S- (a one-word chunk) together with E- followed
// by B-. The extension's extra rules fire only on sequences that contain S-, or E- followed
// by B-, so on every other tag set the counts are exactly those of conlleval.pl.
//
// A predicted chunk is correct when a gold chunk starts at the same word with the same type
// and both end at the same word. Each sentence is followed by conlleval's sentence boundary
// (a blank line: both tags O), which closes the chunks still open.
class ConllCounter {
 public:
  // One sentence: gold and predicted tags, one per word. Throws Error when the lengths differ.
  void add_sentence(const std::vector<std::string>& gold,
                    const std::vector<std::string>& predicted) {
    if (gold.size() != predicted.size())
      throw Error("conll metric: a sentence has " + std::to_string(gold.size()) +
                  " gold tags but " + std::to_string(predicted.size()) + " predicted tags");
    for (std::size_t i = 0; i < gold.size(); ++i) step(split(gold[i]), split(predicted[i]), true);
    step(Tag{"O", ""}, Tag{"O", ""}, false);  // conlleval's blank line
    ++sentences_;
  }

  // Every type together, as conlleval's "accuracy: ... precision ... FB1" line.
  ChunkCounts overall() const {
    ChunkCounts counts = overall_;
    if (in_correct_) ++counts.correct;  // conlleval counts a chunk still open at the end
    return counts;
  }

  // Per chunk type, sorted by type name; the empty type (chunk tags without '-') is skipped
  // as conlleval does.
  std::map<std::string, ChunkCounts> by_type() const {
    std::map<std::string, ChunkCounts> counts = by_type_;
    if (in_correct_) ++counts[last_gold_.type].correct;
    counts.erase("");
    return counts;
  }

  double precision() const { return overall().precision(); }
  double recall() const { return overall().recall(); }
  double f1() const { return overall().f1(); }

  std::int64_t tokens() const { return tokens_; }
  std::int64_t correct_tags() const { return correct_tags_; }
  // Words whose predicted tag equals the gold tag, over all words.
  double token_accuracy() const { return fraction(correct_tags_, tokens_); }
  std::int64_t sentences() const { return sentences_; }

 private:
  struct Tag {
    std::string prefix;  // "B", "I", "E", "S", "O", "[", "]", "." or anything else
    std::string type;    // "" when the tag has no '-'
  };

  static Tag split(const std::string& tag) {
    const auto dash = tag.find('-');
    if (dash == std::string::npos) return Tag{tag, ""};
    return Tag{tag.substr(0, dash), tag.substr(dash + 1)};
  }

  static bool in(const std::string& prefix, std::initializer_list<const char*> set) {
    for (const char* item : set)
      if (prefix == item) return true;
    return false;
  }

  // Did a chunk end between the previous word and this one?
  static bool end_of_chunk(const Tag& prev, const Tag& tag) {
    const std::string& p = prev.prefix;
    const std::string& t = tag.prefix;
    bool end = false;
    if ((p == "B" || p == "I") && in(t, {"B", "O", "S"})) end = true;
    if (p == "E" && in(t, {"E", "I", "O", "S", "B"})) end = true;
    if (p == "S" && in(t, {"E", "I", "O", "S", "B"})) end = true;
    if (p != "O" && p != "." && prev.type != tag.type) end = true;
    if (p == "]" || p == "[") end = true;  // bracket chunks are one word long
    return end;
  }

  // Did a chunk start between the previous word and this one?
  static bool start_of_chunk(const Tag& prev, const Tag& tag) {
    const std::string& p = prev.prefix;
    const std::string& t = tag.prefix;
    bool start = false;
    if ((t == "B" || t == "S") && in(p, {"B", "I", "O", "S", "E"})) start = true;
    if (t == "I" && in(p, {"O", "S", "E"})) start = true;
    if (t == "E" && in(p, {"O", "S", "E"})) start = true;
    if (t != "O" && t != "." && prev.type != tag.type) start = true;
    if (t == "[" || t == "]") start = true;
    return start;
  }

  // One line of conlleval's main loop; `counted` is false for the sentence boundary.
  void step(const Tag& gold, const Tag& guess, bool counted) {
    const bool gold_end = end_of_chunk(last_gold_, gold);
    const bool guess_end = end_of_chunk(last_guess_, guess);
    const bool gold_start = start_of_chunk(last_gold_, gold);
    const bool guess_start = start_of_chunk(last_guess_, guess);

    if (in_correct_) {
      if (gold_end && guess_end && last_guess_.type == last_gold_.type) {
        in_correct_ = false;
        ++overall_.correct;
        ++by_type_[last_gold_.type].correct;
      } else if (gold_end != guess_end || guess.type != gold.type) {
        in_correct_ = false;
      }
    }
    if (gold_start && guess_start && guess.type == gold.type) in_correct_ = true;
    if (gold_start) {
      ++overall_.gold;
      ++by_type_[gold.type].gold;
    }
    if (guess_start) {
      ++overall_.predicted;
      ++by_type_[guess.type].predicted;
    }
    if (counted) {
      if (gold.prefix == guess.prefix && gold.type == guess.type) ++correct_tags_;
      ++tokens_;
    }
    last_gold_ = gold;
    last_guess_ = guess;
  }

  Tag last_gold_{"O", ""};
  Tag last_guess_{"O", ""};
  bool in_correct_ = false;  // inside a predicted chunk that so far matches a gold chunk
  ChunkCounts overall_;
  std::map<std::string, ChunkCounts> by_type_;
  std::int64_t tokens_ = 0;
  std::int64_t correct_tags_ = 0;
  std::int64_t sentences_ = 0;
};

// Accuracy over (gold, predicted) label pairs, and the F1 of one positive class: with TP, FP
// and FN counted for that class, F1 = 2TP / (2TP + FP + FN), 0 when there is no positive at
// all (scikit-learn's f1_score with pos_label, as GLUE reports it for QQP and MRPC).
class ClassificationCounter {
 public:
  explicit ClassificationCounter(std::int64_t positive = 1) : positive_(positive) {}

  void add(std::int64_t gold, std::int64_t predicted) {
    ++examples_;
    if (gold == predicted) ++correct_;
    const bool gold_positive = gold == positive_;
    const bool predicted_positive = predicted == positive_;
    if (gold_positive && predicted_positive) ++true_positives_;
    if (!gold_positive && predicted_positive) ++false_positives_;
    if (gold_positive && !predicted_positive) ++false_negatives_;
  }

  std::int64_t positive() const { return positive_; }
  std::int64_t examples() const { return examples_; }
  std::int64_t correct() const { return correct_; }
  std::int64_t true_positives() const { return true_positives_; }
  std::int64_t false_positives() const { return false_positives_; }
  std::int64_t false_negatives() const { return false_negatives_; }

  double accuracy() const { return fraction(correct_, examples_); }
  double precision() const { return fraction(true_positives_, true_positives_ + false_positives_); }
  double recall() const { return fraction(true_positives_, true_positives_ + false_negatives_); }
  double f1() const {
    return fraction(2 * true_positives_, 2 * true_positives_ + false_positives_ + false_negatives_);
  }

 private:
  std::int64_t positive_;
  std::int64_t examples_ = 0;
  std::int64_t correct_ = 0;
  std::int64_t true_positives_ = 0;
  std::int64_t false_positives_ = 0;
  std::int64_t false_negatives_ = 0;
};

}  // namespace datamux::metrics
