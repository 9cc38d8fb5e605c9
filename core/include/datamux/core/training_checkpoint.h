#pragma once
// Resumable checkpoints: model, optimizer (with its scheduler position, the step), RNG states
// and data position, so a resumed run continues exactly where the saved one stood.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include "datamux/core/batching.h"

namespace datamux {

struct CheckpointProgress {
  std::int64_t step = 0;   // optimizer steps done; the learning-rate schedule follows from it
  double seconds = 0;      // training time spent up to `step`
  std::string run_state;   // the run's own bookkeeping (JSON text), returned as saved
};

struct LoadedCheckpoint {
  CheckpointProgress progress;
  TrainBatches::State data;
};

// Writes to a temporary file beside `path` and renames it, so a crash while writing leaves
// every earlier checkpoint intact and never a half-written one under a checkpoint's name.
void save_training_checkpoint(const std::filesystem::path& path, const torch::nn::Module& model,
                              const torch::optim::Optimizer& optimizer,
                              const TrainBatches::State& data, const CheckpointProgress& progress);

// Restores model, optimizer and the global RNG states. A missing, truncated or corrupted file,
// or one from another architecture, throws an Error naming the file (and the first
// mismatching parameter).
LoadedCheckpoint load_training_checkpoint(const std::filesystem::path& path,
                                          torch::nn::Module& model,
                                          torch::optim::Optimizer& optimizer,
                                          torch::Device device);

struct CheckpointFile {
  std::int64_t step;
  std::filesystem::path path;
};

// The `step-K.pt` files of `directory`, by step; temporaries of interrupted writes are ignored.
std::vector<CheckpointFile> list_checkpoints(const std::filesystem::path& directory);
std::filesystem::path checkpoint_path(const std::filesystem::path& directory, std::int64_t step);
// Deletes all but the newest `keep` checkpoints (and leftover temporaries).
void prune_checkpoints(const std::filesystem::path& directory, std::int64_t keep);

}  // namespace datamux
