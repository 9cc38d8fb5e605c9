#include "backbone.h"

#include <cmath>
#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/utils/rnn.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::lstm {

using support::shape_text;

namespace {

constexpr double kEmbeddingStd = 0.02;

}  // namespace

LstmBackbone::LstmBackbone(const LstmConfig& config) : config_(config) {
  word_embeddings_ = register_module(
      "word_embeddings",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(config.vocab_size, config.embedding_size).padding_idx(config.pad_id)));
  embed_dropout_ = register_module("embed_dropout", torch::nn::Dropout(config.dropout));
  // Dropout acts between layers only, so a single layer gets none (and torch no warning).
  lstm_ = register_module(
      "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(config.embedding_size, config.hidden_size)
                                  .num_layers(config.num_layers)
                                  .dropout(config.num_layers > 1 ? config.dropout : 0.0)
                                  .bidirectional(true)
                                  .batch_first(true)));
  reset_parameters();
}

void LstmBackbone::reset_parameters() {
  torch::NoGradGuard no_grad;
  // A private generator makes the initial weights depend only on this component's seed.
  auto gen = at::detail::createCPUGenerator(config_.seed);
  word_embeddings_->weight.normal_(0.0, kEmbeddingStd, gen);
  word_embeddings_->weight[config_.pad_id].zero_();  // as nn.Embedding(padding_idx) starts it
  // torch's own LSTM initialisation, drawn from our generator instead of the global one.
  const double bound = 1.0 / std::sqrt(static_cast<double>(config_.hidden_size));
  for (auto& parameter : lstm_->parameters()) parameter.uniform_(-bound, bound, gen);
}

torch::Tensor LstmBackbone::embed(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2)
    throw Error("lstm: embed expects (rows, length) token ids, got " + shape_text(input_ids));
  return embed_dropout_->forward(word_embeddings_->forward(input_ids));
}

torch::Tensor LstmBackbone::encode(const torch::Tensor& mixed, const torch::Tensor& mask) {
  if (mixed.dim() != 3 || mixed.size(2) != config_.embedding_size)
    throw Error("lstm: encode expects (groups, length, " + std::to_string(config_.embedding_size) +
                ") input, got " + shape_text(mixed));
  // The reference's (groups, length, d) tensor read as (time, batch, d): swapping the two
  // leading axes for our batch-first LSTM gives exactly its recurrence. Pads cannot be packed
  // away along the groups, and the reference passes no mask, so none is applied.
  if (config_.time_major_reference)
    return std::get<0>(lstm_->forward(mixed.transpose(0, 1))).transpose(0, 1).contiguous();
  if (!config_.attention_mask || !mask.defined()) return std::get<0>(lstm_->forward(mixed));

  const auto groups = mixed.size(0);
  const auto length = mixed.size(1);
  if (mask.dim() != 2 || mask.size(0) != groups || mask.size(1) != length)
    throw Error("lstm: mask " + shape_text(mask) + " does not match input " + shape_text(mixed));
  const auto real = mask.dtype() == torch::kBool ? mask : mask.ne(0);
  const auto lengths = real.sum(1);  // (B) on the mask's device
  // Packing keeps the first `lengths` positions of each row, so real positions must come first.
  const auto expected = torch::arange(length, lengths.options()).unsqueeze(0) < lengths.unsqueeze(1);
  if (!expected.equal(real))
    throw Error("lstm: the mask is not right-padded (real positions must precede pads)");
  // pack_padded_sequence wants CPU int64 lengths; a group without any real position keeps one
  // step, so it is not dropped from the batch.
  const auto cpu_lengths = lengths.clamp_min(1).to(torch::kCPU, torch::kLong);
  const auto packed = torch::nn::utils::rnn::pack_padded_sequence(
      mixed, cpu_lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  const auto output = std::get<0>(lstm_->forward_with_packed_input(packed));
  return std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(
      output, /*batch_first=*/true, /*padding_value=*/0.0, /*total_length=*/length));
}

FlopCount LstmBackbone::encode_flops(const FlopShape& shape) const {
  const double steps = double(shape.groups) * double(shape.length);
  const double h = double(config_.hidden_size);
  double per_step = 0;
  for (std::int64_t layer = 0; layer < config_.num_layers; ++layer) {
    const double input = layer == 0 ? double(config_.embedding_size) : 2 * h;
    per_step += 2 /*directions*/ * 2 * 4 * h * (input + h);
  }
  return steps * per_step;
}

}  // namespace datamux::plugins::lstm
