#pragma once
// Predictions in the formats `datamux score` (and the standard scripts) read: one label per
// line for sentence tasks; `word predicted-tag` lines with a blank line between sentences
// for token tasks (score them against the original CoNLL file: the tag is the last column).
#include <filesystem>
#include <vector>

#include <torch/types.h>

#include "datamux/core/dataset.h"

namespace datamux {

// The evaluation batches' task logits (in order, as evaluate() collects them) as one tensor
// whose row i is example i: (examples, labels) for sentence tasks; (examples, length, labels)
// for token tasks, where length is the longest batch's and the positions past a shorter
// batch's own length hold NaN. This is what `datamux eval --logits` saves.
torch::Tensor evaluation_logits(const std::vector<torch::Tensor>& batches, std::size_t examples);

// The most probable label of an example (sentence tasks) or of one of its words (token tasks).
struct PredictedLabel {
  std::int64_t label = -1;            // index into Dataset::label_names; -1: a word cut off
                                      // by max_seq_length, never seen by the model
  std::vector<double> probabilities;  // softmax over every label; empty when label is -1
  double probability() const { return label < 0 ? 0.0 : probabilities[label]; }
};

// One entry per example: one label for sentence tasks, one per word for token tasks.
// `logits` are the evaluation batches' task logits in order, as evaluate() collects them.
// What `datamux eval --predictions` writes and the embedding API (embedding.h) returns.
std::vector<std::vector<PredictedLabel>> predicted_labels(const Dataset& data,
                                                          const std::vector<torch::Tensor>& logits);

// `logits` are the evaluation batches' task logits in order, as evaluate() collects them.
void write_predictions(const Dataset& data, const std::vector<torch::Tensor>& logits,
                       const std::filesystem::path& path);

}  // namespace datamux
