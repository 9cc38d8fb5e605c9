#pragma once
// Saving and loading model weights. Loading checks every parameter and buffer by name and
// shape, so a checkpoint from another architecture or config is refused with the first
// mismatch named, and a damaged file with its name; neither ever crashes.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

namespace datamux {

// Written to a temporary file and renamed, so an interrupted save leaves the old file intact.
void save_weights(const torch::nn::Module& model, const std::filesystem::path& path);

// Loads into `model` (on `device`), which must have exactly the checkpoint's structure.
void load_weights(torch::nn::Module& model, const std::filesystem::path& path,
                  torch::Device device);

// Loads only some children of `model`: each pair names a child of the model and the child
// of the checkpoint it is loaded from (e.g. a warm-up's "task" into a finetune's "retrieval").
void load_weights(torch::nn::Module& model, const std::filesystem::path& path,
                  torch::Device device,
                  const std::vector<std::pair<std::string, std::string>>& children);

}  // namespace datamux
