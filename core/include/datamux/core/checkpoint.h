#pragma once
// Saving and loading model weights. Loading checks every parameter and buffer by name and
// shape, so a checkpoint from another architecture or config is refused with the first
// mismatch named, and a damaged file with its name; neither ever crashes.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/types.h>

namespace datamux {

// Written to a temporary file and renamed (write_file_atomically), so a failed or interrupted
// save leaves the old file intact and fails as one line naming the file and the cause.
void save_weights(const torch::nn::Module& model, const std::filesystem::path& path);
void save_archive(torch::serialize::OutputArchive& archive, const std::filesystem::path& path);

// Loads into `model` (on `device`), which must have exactly the checkpoint's structure.
// `path` is a weights file (model.pt, best.pt) or a training checkpoint (checkpoints/step-K.pt).
void load_weights(torch::nn::Module& model, const std::filesystem::path& path,
                  torch::Device device);

// Loads only some children of `model`: each pair names a child of the model and the child
// of the checkpoint it is loaded from (e.g. a warm-up's "task" into a finetune's "auxiliary").
void load_weights(torch::nn::Module& model, const std::filesystem::path& path,
                  torch::Device device,
                  const std::vector<std::pair<std::string, std::string>>& children);

// Reads a checkpoint file onto `device`; missing, truncated or corrupted files are named.
torch::serialize::InputArchive open_checkpoint(const std::filesystem::path& path,
                                               torch::Device device);

// Loads `model` from an archive already read from `file` (named in errors), e.g. the "model"
// part of a training checkpoint.
void load_weights_from_archive(torch::nn::Module& model, torch::serialize::InputArchive& archive,
                               const std::string& file);

// The first line of a libtorch message, without its C++ backtrace.
std::string libtorch_message(const c10::Error& error);

}  // namespace datamux
