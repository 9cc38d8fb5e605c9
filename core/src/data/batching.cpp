#include "datamux/core/batching.h"

#include <algorithm>
#include <numeric>
#include <sstream>

#include <torch/torch.h>

#include "datamux/core/encoding.h"
#include "datamux/sdk/error.h"

namespace datamux {

Batch make_batch(const Dataset& data, const std::vector<std::int64_t>& indices,
                 std::int64_t num_instances, std::int64_t max_length, torch::Device device) {
  const auto rows = static_cast<std::int64_t>(indices.size());
  std::int64_t length = 1;
  for (std::int64_t index : indices)
    if (index >= 0)
      length = std::max<std::int64_t>(length, static_cast<std::int64_t>(data.examples[index].ids.size()));
  length = std::min(length, max_length);

  auto ids = torch::full({rows, length}, data.tokens.pad, torch::kLong);
  auto mask = torch::zeros({rows, length}, torch::kBool);
  const bool token_labels = data.label_kind == LabelKind::kToken;
  auto labels = token_labels ? torch::full({rows, length}, kIgnoreLabel, torch::kLong)
                             : torch::full({rows}, kIgnoreLabel, torch::kLong);
  auto ids_a = ids.accessor<std::int64_t, 2>();
  auto mask_a = mask.accessor<bool, 2>();
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::int64_t index = indices[row];
    if (index < 0) {  // filler instance: a lone bos, label ignored
      ids_a[row][0] = data.tokens.bos;
      mask_a[row][0] = true;
      continue;
    }
    const Example& example = data.examples[index];
    const auto count = std::min<std::int64_t>(length, static_cast<std::int64_t>(example.ids.size()));
    for (std::int64_t t = 0; t < count; ++t) {
      ids_a[row][t] = example.ids[t];
      mask_a[row][t] = true;
    }
    if (token_labels) {
      auto labels_a = labels.accessor<std::int64_t, 2>();
      for (std::int64_t t = 0; t < count; ++t) labels_a[row][t] = example.token_labels[t];
    } else {
      labels.accessor<std::int64_t, 1>()[row] = example.label;
    }
  }
  Batch batch{ids.to(device), mask.to(device), labels.to(device), num_instances};
  // Token tasks: the words truncation cut off, which the metrics score as predicted O.
  if (token_labels) batch.truncated_labels = truncated_label_tensor(data, indices, device);
  return batch;
}

TrainBatches::TrainBatches(const Dataset& data, std::int64_t groups, std::int64_t num_instances,
                           std::int64_t max_length, std::uint64_t seed, torch::Device device,
                           DataShard shard)
    : data_(data),
      batch_rows_(groups * num_instances),
      num_instances_(num_instances),
      max_length_(max_length),
      shard_(shard),
      global_rows_(batch_rows_ * shard.world_size),
      device_(device),
      random_(seed) {
  if (static_cast<std::int64_t>(data.examples.size()) < global_rows_)
    throw Error("the training set has " + std::to_string(data.examples.size()) +
                " examples, fewer than one batch of " + std::to_string(global_rows_) +
                " (train.batch_size x model.num_instances" +
                (shard.world_size > 1 ? " x " + std::to_string(shard.world_size) + " ranks" : "") + ")");
  reshuffle();
}

void TrainBatches::reshuffle() {
  order_.resize(data_.examples.size());
  std::iota(order_.begin(), order_.end(), 0);
  std::shuffle(order_.begin(), order_.end(), random_);
  position_ = 0;
}

Batch TrainBatches::next() {
  if (position_ + global_rows_ > order_.size()) {
    skipped_ += static_cast<std::int64_t>(order_.size() - position_);
    ++epoch_;
    reshuffle();
  }
  const auto first = order_.begin() + position_ + shard_.rank * batch_rows_;
  std::vector<std::int64_t> indices(first, first + batch_rows_);
  position_ += global_rows_;
  return make_batch(data_, indices, num_instances_, max_length_, device_);
}

TrainBatches::State TrainBatches::state() const {
  std::ostringstream random;
  random << random_;
  return State{random.str(), order_, static_cast<std::int64_t>(position_), epoch_, skipped_};
}

void TrainBatches::restore(const State& state) {
  const auto size = static_cast<std::int64_t>(data_.examples.size());
  const bool fits =
      static_cast<std::int64_t>(state.order.size()) == size && state.position >= 0 &&
      state.position <= size &&
      std::all_of(state.order.begin(), state.order.end(),
                  [&](std::int64_t index) { return index >= 0 && index < size; });
  if (!fits)
    throw Error("the checkpoint's data position does not fit this training set of " +
                std::to_string(size) + " examples (was the data changed?)");
  std::istringstream random(state.random);
  random >> random_;
  if (!random) throw Error("the checkpoint's data RNG state is damaged");
  order_ = state.order;
  position_ = static_cast<std::size_t>(state.position);
  epoch_ = state.epoch;
  skipped_ = state.skipped;
}

std::vector<Batch> evaluation_batches(const Dataset& data, std::int64_t groups,
                                      std::int64_t num_instances, std::int64_t max_length,
                                      torch::Device device) {
  std::vector<Batch> batches;
  const auto total = static_cast<std::int64_t>(data.examples.size());
  const std::int64_t rows = groups * num_instances;
  for (std::int64_t start = 0; start < total; start += rows) {
    const std::int64_t real = std::min(rows, total - start);
    const std::int64_t padded = (real + num_instances - 1) / num_instances * num_instances;
    std::vector<std::int64_t> indices(padded, -1);
    std::iota(indices.begin(), indices.begin() + real, start);
    batches.push_back(make_batch(data, indices, num_instances, max_length, device));
  }
  return batches;
}

}  // namespace datamux
