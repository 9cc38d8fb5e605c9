#include "datamux/core/training_checkpoint.h"

#include <algorithm>
#include <regex>

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include "datamux/core/checkpoint.h"
#include "datamux/core/durable_file.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

// Bumped when the layout changes, so an old file is refused by name, not misread.
// 2: plugin ABI 5 (the auxiliary objective's weights under "auxiliary", not "retrieval").
constexpr std::int64_t kCheckpointFormat = 2;

std::string cuda_key(std::int64_t index) { return "rng_cuda_" + std::to_string(index); }

at::Generator default_generator(const torch::Device& device) {
  return at::globalContext().defaultGenerator(device);
}

void save_rng(torch::serialize::OutputArchive& archive) {
  {
    auto generator = default_generator(torch::kCPU);
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("rng_cpu", generator.get_state());
  }
  if (!torch::cuda::is_available()) return;
  for (std::int64_t index = 0; index < static_cast<std::int64_t>(torch::cuda::device_count()); ++index) {
    auto generator = default_generator(torch::Device(torch::kCUDA, index));
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write(cuda_key(index), generator.get_state());
  }
}

void restore_rng(torch::serialize::InputArchive& archive, const std::string& file) {
  torch::Tensor state;
  if (!archive.try_read("rng_cpu", state)) throw Error(file + ": the checkpoint has no RNG state");
  {
    auto generator = default_generator(torch::kCPU);
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state.to(torch::kCPU));
  }
  if (!torch::cuda::is_available()) return;
  for (std::int64_t index = 0; index < static_cast<std::int64_t>(torch::cuda::device_count()); ++index) {
    // A checkpoint written on CPU has no CUDA states; CUDA then keeps its own.
    if (!archive.try_read(cuda_key(index), state)) continue;
    auto generator = default_generator(torch::Device(torch::kCUDA, index));
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state.to(torch::kCPU));
  }
}

void write_int(torch::serialize::OutputArchive& archive, const std::string& key, std::int64_t value) {
  archive.write(key, c10::IValue(value));
}

std::int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key,
                      const std::string& file) {
  c10::IValue value;
  if (!archive.try_read(key, value) || !value.isInt())
    throw Error(file + ": the checkpoint has no '" + key + "' (not a datamux training checkpoint?)");
  return value.toInt();
}

std::string read_text(torch::serialize::InputArchive& archive, const std::string& key,
                      const std::string& file) {
  c10::IValue value;
  if (!archive.try_read(key, value) || !value.isString())
    throw Error(file + ": the checkpoint has no '" + key + "' (not a datamux training checkpoint?)");
  return value.toStringRef();
}

}  // namespace

void save_training_checkpoint(const std::filesystem::path& path, const torch::nn::Module& model,
                              const torch::optim::Optimizer& optimizer,
                              const TrainBatches::State& data, const CheckpointProgress& progress) {
  torch::serialize::OutputArchive archive;
  write_int(archive, "format", kCheckpointFormat);
  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  save_rng(archive);
  write_int(archive, "step", progress.step);
  archive.write("seconds", c10::IValue(progress.seconds));
  archive.write("run_state", c10::IValue(progress.run_state));
  archive.write("data_random", c10::IValue(data.random));
  archive.write("data_order", torch::tensor(data.order, torch::kLong));
  write_int(archive, "data_position", data.position);
  write_int(archive, "data_epoch", data.epoch);
  write_int(archive, "data_skipped", data.skipped);
  save_archive(archive, path);
}

LoadedCheckpoint load_training_checkpoint(const std::filesystem::path& path,
                                          torch::nn::Module& model,
                                          torch::optim::Optimizer& optimizer,
                                          torch::Device device) {
  const std::string file = path.string();
  torch::serialize::InputArchive archive = open_checkpoint(path, device);
  LoadedCheckpoint loaded;
  try {
    const std::int64_t format = read_int(archive, "format", file);
    if (format == 1)
      throw Error(file + ": checkpoint format 1 was written before plugin ABI 5 and cannot be "
                  "resumed by this datamux (format " + std::to_string(kCheckpointFormat) +
                  "); start the run again");
    if (format != kCheckpointFormat)
      throw Error(file + ": checkpoint format " + std::to_string(format) + ", this datamux reads " +
                  std::to_string(kCheckpointFormat));
    torch::serialize::InputArchive part;
    if (!archive.try_read("model", part)) throw Error(file + ": the checkpoint has no model");
    load_weights_from_archive(model, part, file);
    if (!archive.try_read("optimizer", part)) throw Error(file + ": the checkpoint has no optimizer state");
    optimizer.load(part);
    restore_rng(archive, file);

    loaded.progress.step = read_int(archive, "step", file);
    c10::IValue seconds;
    if (archive.try_read("seconds", seconds) && seconds.isDouble()) loaded.progress.seconds = seconds.toDouble();
    loaded.progress.run_state = read_text(archive, "run_state", file);
    loaded.data.random = read_text(archive, "data_random", file);
    torch::Tensor order;
    if (!archive.try_read("data_order", order)) throw Error(file + ": the checkpoint has no data order");
    order = order.to(torch::kCPU).contiguous();
    loaded.data.order.assign(order.data_ptr<std::int64_t>(), order.data_ptr<std::int64_t>() + order.numel());
    loaded.data.position = read_int(archive, "data_position", file);
    loaded.data.epoch = read_int(archive, "data_epoch", file);
    loaded.data.skipped = read_int(archive, "data_skipped", file);
  } catch (const c10::Error& error) {
    throw Error(file + ": damaged checkpoint: " + libtorch_message(error));
  }
  return loaded;
}

std::filesystem::path checkpoint_path(const std::filesystem::path& directory, std::int64_t step) {
  return directory / ("step-" + std::to_string(step) + ".pt");
}

std::vector<CheckpointFile> list_checkpoints(const std::filesystem::path& directory) {
  std::vector<CheckpointFile> files;
  if (!std::filesystem::is_directory(directory)) return files;
  static const std::regex name("step-([0-9]{1,18})\\.pt");
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    std::smatch match;
    const std::string filename = entry.path().filename().string();
    if (entry.is_regular_file() && std::regex_match(filename, match, name))
      files.push_back({std::stoll(match[1].str()), entry.path()});
  }
  std::sort(files.begin(), files.end(),
            [](const CheckpointFile& a, const CheckpointFile& b) { return a.step < b.step; });
  return files;
}

void prune_checkpoints(const std::filesystem::path& directory, std::int64_t keep) {
  const auto files = list_checkpoints(directory);
  const auto excess = static_cast<std::int64_t>(files.size()) - std::max<std::int64_t>(keep, 1);
  for (std::int64_t i = 0; i < excess; ++i) std::filesystem::remove(files[i].path);
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (is_temporary_file(entry.path())) std::filesystem::remove(entry.path());
}

}  // namespace datamux
