#include "index_demultiplexer.h"

#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>
#include <torch/utils.h>

#include "datamux/sdk/error.h"
#include "support/tensor_shapes.h"

namespace datamux::plugins::index {

std::vector<std::string> reserved_token_names() {
  std::vector<std::string> names = {"<mux_cls>", "<mux_fill>"};
  for (std::int64_t i = 0; i < kMaxInstances; ++i) names.push_back("<mux_idx" + std::to_string(i) + ">");
  return names;
}

IndexDemultiplexer::IndexDemultiplexer(const ModelContext& ctx)
    : num_instances_(ctx.num_instances), hidden_size_(ctx.hidden_size) {
  const auto n = num_instances_;
  const auto d = hidden_size_;
  const auto& ids = ctx.reserved_tokens;  // in the order of reserved_token_names()
  // Not a buffer: it follows from the context and is not model state.
  prefix_ = torch::full({n, n + 1}, ids[kFiller], torch::kLong);
  for (std::int64_t i = 0; i < n; ++i) prefix_[i][i].fill_(ids[kFirstIndex + i]);
  prefix_.select(1, n).fill_(ids[kCls]);

  // Normal(0, 0.02) and zero bias, as the reference initialises every Linear of the model.
  auto gen = at::detail::createCPUGenerator(ctx.seed);
  weight_ = register_parameter("weight", torch::randn({d, 2 * d}, gen, torch::kFloat) * 0.02);
  bias_ = register_parameter("bias", torch::zeros({d}));
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
}

torch::Tensor IndexDemultiplexer::add_prefix(const torch::Tensor& input_ids) {
  if (input_ids.dim() != 2 || input_ids.size(0) % num_instances_ != 0)
    throw Error("index: add_prefix expects (groups*" + std::to_string(num_instances_) +
                ", length) token ids, got " + support::shape_text(input_ids));
  // Rows are grouped consecutively, so row r is instance r % N: tile the N prefixes B times.
  const auto groups = input_ids.size(0) / num_instances_;
  // Keep a copy on the inputs' device so the transfer happens once, not every batch.
  if (prefix_.device() != input_ids.device() || prefix_.scalar_type() != input_ids.scalar_type())
    prefix_ = prefix_.to(input_ids.device(), input_ids.scalar_type());
  auto prefix = prefix_.repeat({groups, 1});
  return torch::cat({prefix, input_ids}, 1);
}

torch::Tensor IndexDemultiplexer::index_states(const torch::Tensor& hidden) const {
  if (hidden.dim() != 3 || hidden.size(1) < prefix_length() || hidden.size(2) != hidden_size_)
    throw Error("index: expected (groups, " + std::to_string(prefix_length()) + " + length, " +
                std::to_string(hidden_size_) + ") hidden states, got " +
                support::shape_text(hidden));
  return hidden.narrow(1, 0, num_instances_);
}

torch::Tensor IndexDemultiplexer::demux(const torch::Tensor& index_states,
                                        const torch::Tensor& position_states) {
  // W [h_i ; h_t] + b = (W_a h_i + b) + W_b h_t: two small products broadcast-added, so the
  // (B, N, T, 2d) concatenation over every (i, t) pair is never built.
  const auto d = hidden_size_;
  auto per_index = torch::linear(index_states, weight_.narrow(1, 0, d), bias_);  // (B, N, d)
  auto per_position = torch::linear(position_states, weight_.narrow(1, d, d));     // (B, T, d)
  auto pre = per_index.unsqueeze(2) + per_position.unsqueeze(1);                   // (B, N, T, d)
  return norm_->forward(torch::gelu(pre));
}

torch::Tensor IndexDemultiplexer::sentence(const torch::Tensor& hidden) {
  auto h_index = index_states(hidden);
  // The shared CLS slot sits right after the N index slots.
  auto h_cls = hidden.narrow(1, num_instances_, 1);                      // (B, 1, d)
  const auto rows = hidden.size(0) * num_instances_;
  return demux(h_index, h_cls).reshape({rows, hidden_size_});             // (B*N, d)
}

torch::Tensor IndexDemultiplexer::tokens(const torch::Tensor& hidden) {
  auto h_index = index_states(hidden);
  const auto length = hidden.size(1) - prefix_length();
  auto h_tokens = hidden.narrow(1, prefix_length(), length);              // (B, L, d)
  const auto rows = hidden.size(0) * num_instances_;
  return demux(h_index, h_tokens).reshape({rows, length, hidden_size_});  // (B*N, L, d)
}

}  // namespace datamux::plugins::index
