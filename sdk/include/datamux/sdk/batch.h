#pragma once
// Tensor conventions shared by every component.
//
// Instances are grouped as consecutive rows: a batch of B*N instances is B groups of N, and
// group b holds rows b*N .. b*N+N-1. Shapes use L for the instances' own token positions and
// P for the prefix a demultiplexer prepends, so the backbone sees L' = P + L positions.
#include <cstdint>
#include <torch/types.h>

namespace datamux {

// Value of a label position that the loss and the metrics skip.
constexpr std::int64_t kIgnoreLabel = -100;

struct Batch {
  torch::Tensor input_ids;       // (B*N, L) int64
  torch::Tensor attention_mask;  // (B*N, L) bool, true at real tokens
  torch::Tensor labels;          // (B*N) sentence tasks, (B*N, L) token tasks; kIgnoreLabel skips
  std::int64_t num_instances = 1;
  // Token tasks: the gold labels of the words that truncation to max_seq_length cut off, each
  // instance's in order, padded with kIgnoreLabel: (B*N, W) int64. The model never sees those
  // words, so metrics score each as predicted "O", as conlleval scores a whole sentence whose
  // tail was never tagged (and as the predictions file writes them). Undefined when no
  // instance of the batch lost a word.
  torch::Tensor truncated_labels;
  std::int64_t num_groups() const { return input_ids.size(0) / num_instances; }
};

// Demultiplexed states, one row per instance. The core fills what the heads ask for;
// a field no head needs stays undefined.
struct DemuxedStates {
  torch::Tensor sentence;  // (B*N, d): the representation for sentence-level heads
  torch::Tensor tokens;    // (B*N, L, d): aligned with Batch::input_ids, prefix removed
};

}  // namespace datamux
