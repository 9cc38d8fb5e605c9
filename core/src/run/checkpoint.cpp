#include "datamux/core/checkpoint.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include "datamux/core/durable_file.h"
#include "datamux/core/first_line.h"
#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace datamux {
namespace {

std::string shape_text(const torch::Tensor& tensor) {
  return "(" + join(tensor.sizes()) + ")";
}

// Copies one module's own tensors from its archive, then recurses into its children.
void load_module(torch::nn::Module& module, torch::serialize::InputArchive& archive,
                 const std::string& prefix, const std::string& file) {
  torch::NoGradGuard no_grad;
  auto copy = [&](const std::string& name, torch::Tensor& target, bool is_buffer) {
    torch::Tensor stored;
    const std::string full = prefix + name;
    if (!archive.try_read(name, stored, is_buffer))
      throw Error(file + ": the checkpoint has no " + (is_buffer ? "buffer" : "parameter") + " '" +
                  full + "' (it was saved from another architecture or config)");
    if (stored.sizes() != target.sizes())
      throw Error(file + ": '" + full + "' has shape " + shape_text(stored) +
                  " in the checkpoint but " + shape_text(target) + " in the model");
    target.copy_(stored);
  };
  for (auto& item : module.named_parameters(/*recurse=*/false)) copy(item.key(), item.value(), false);
  for (auto& item : module.named_buffers(/*recurse=*/false)) copy(item.key(), item.value(), true);
  for (const auto& child : module.named_children()) {
    torch::serialize::InputArchive child_archive;
    if (!archive.try_read(child.key(), child_archive))
      throw Error(file + ": the checkpoint has no module '" + prefix + child.key() +
                  "' (it was saved from another architecture or config)");
    load_module(*child.value(), child_archive, prefix + child.key() + ".", file);
  }
}

}  // namespace

void save_weights(const torch::nn::Module& model, const std::filesystem::path& path) {
  torch::serialize::OutputArchive archive;
  model.save(archive);
  save_archive(archive, path);
}

void save_archive(torch::serialize::OutputArchive& archive, const std::filesystem::path& path) {
  // Serialized to memory, then written by us: libtorch's own file writer reports a full disk
  // as an exception from a destructor (a crash); ours names the file and the cause.
  std::string bytes;
  try {
    archive.save_to([&bytes](const void* data, std::size_t size) {
      bytes.append(static_cast<const char*>(data), size);
      return size;
    });
  } catch (const c10::Error& error) {
    throw Error(path.string() + ": cannot serialize: " + libtorch_message(error));
  }
  write_file_atomically(path, bytes);
}

void load_weights(torch::nn::Module& model, const std::filesystem::path& path,
                  torch::Device device) {
  load_weights(model, path, device, {});
}

void load_weights(torch::nn::Module& model, const std::filesystem::path& path,
                  torch::Device device,
                  const std::vector<std::pair<std::string, std::string>>& children) {
  const std::string file = path.string();
  torch::serialize::InputArchive archive = open_checkpoint(path, device);
  try {
    // A training checkpoint (training_checkpoint.h) keeps the weights under "model".
    c10::IValue format;
    torch::serialize::InputArchive nested;
    if (archive.try_read("format", format) && archive.try_read("model", nested))
      archive = std::move(nested);
    if (children.empty()) {
      load_module(model, archive, "", file);
      return;
    }
    for (const auto& [into, from] : children) {
      auto named = model.named_children();
      auto* target = named.find(into);
      if (target == nullptr) throw Error(file + ": the model has no module '" + into + "'");
      torch::serialize::InputArchive child;
      if (!archive.try_read(from, child))
        throw Error(file + ": the checkpoint has no module '" + from + "'");
      load_module(**target, child, into + ".", file);
    }
  } catch (const c10::Error& error) {
    throw Error(file + ": damaged checkpoint: " + libtorch_message(error));
  }
}

torch::serialize::InputArchive open_checkpoint(const std::filesystem::path& path,
                                               torch::Device device) {
  const std::string file = path.string();
  if (!std::filesystem::exists(path)) throw Error(file + ": checkpoint not found");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file, device);
  } catch (const c10::Error& error) {
    throw Error(file + ": not a readable checkpoint (truncated or corrupted?): " +
                libtorch_message(error));
  }
  return archive;
}

void load_weights_from_archive(torch::nn::Module& model, torch::serialize::InputArchive& archive,
                               const std::string& file) {
  try {
    load_module(model, archive, "", file);
  } catch (const c10::Error& error) {
    throw Error(file + ": damaged checkpoint: " + libtorch_message(error));
  }
}

std::string libtorch_message(const c10::Error& error) {
  return first_line(error.what_without_backtrace());
}

}  // namespace datamux
