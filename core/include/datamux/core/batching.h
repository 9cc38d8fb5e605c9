#pragma once
// Turns examples into batches of B groups of N instances (sdk/batch.h conventions).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <torch/types.h>

#include "datamux/core/dataset.h"
#include "datamux/sdk/batch.h"

namespace datamux {

// Pads to the longest instance in the batch, truncating at `max_length` tokens.
Batch make_batch(const Dataset& data, const std::vector<std::int64_t>& indices,
                 std::int64_t num_instances, std::int64_t max_length, torch::Device device);

// Which slice of each global batch this process reads in data-parallel training.
struct DataShard {
  int rank = 0;
  int world_size = 1;
};

// Endless shuffled training batches; a new permutation every epoch. The final examples of
// an epoch that do not fill a whole batch are skipped and counted. With a shard, every rank
// draws the same permutation and reads its own consecutive `groups` of each global batch of
// world_size x `groups`, so the ranks together read what one process with the global batch
// would (and the state is the same on every rank).
class TrainBatches {
 public:
  TrainBatches(const Dataset& data, std::int64_t groups, std::int64_t num_instances,
               std::int64_t max_length, std::uint64_t seed, torch::Device device,
               DataShard shard = {});
  Batch next();
  std::int64_t epoch() const { return epoch_; }
  std::int64_t skipped_examples() const { return skipped_; }

  // Where the stream stands (RNG, this epoch's order, position, counters), so a resumed run
  // draws exactly the batches an uninterrupted one would have drawn.
  struct State {
    std::string random;  // the engine's textual state
    std::vector<std::int64_t> order;
    std::int64_t position = 0, epoch = 0, skipped = 0;
  };
  State state() const;
  // Refuses a state whose order does not fit this dataset (another data file or split).
  void restore(const State& state);

 private:
  void reshuffle();

  const Dataset& data_;
  std::int64_t batch_rows_, num_instances_, max_length_;
  DataShard shard_;
  std::int64_t global_rows_;  // batch_rows_ x world_size: how far each batch advances
  torch::Device device_;
  std::mt19937_64 random_;
  std::vector<std::int64_t> order_;
  std::size_t position_ = 0;
  std::int64_t epoch_ = 0, skipped_ = 0;
};

// Every example exactly once, in order. The last group is completed with filler instances
// whose labels are ignored, so no example is dropped from an evaluation.
std::vector<Batch> evaluation_batches(const Dataset& data, std::int64_t groups,
                                      std::int64_t num_instances, std::int64_t max_length,
                                      torch::Device device);

}  // namespace datamux
