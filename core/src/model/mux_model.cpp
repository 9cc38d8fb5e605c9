#include "datamux/core/mux_model.h"

#include <torch/torch.h>

#include "datamux/sdk/error.h"

namespace datamux {

MuxModel::MuxModel(ModelComponents components, std::int64_t num_instances, LossWeights weights)
    : components_(std::move(components)), num_instances_(num_instances), weights_(weights) {
  register_module("backbone", components_.backbone);
  register_module("multiplexer", components_.multiplexer);
  register_module("demultiplexer", components_.demultiplexer);
  register_module("task", components_.task);
  if (components_.auxiliary) register_module("auxiliary", components_.auxiliary);
}

ForwardResult MuxModel::forward(const Batch& batch, bool with_auxiliary) {
  const std::int64_t n = num_instances_;
  const std::int64_t rows = batch.input_ids.size(0);
  if (batch.num_instances != n || rows % n != 0)
    throw Error("batch of " + std::to_string(rows) + " instances in groups of " +
                std::to_string(batch.num_instances) + " does not fit a model with N = " +
                std::to_string(n));
  const std::int64_t groups = rows / n;

  auto& demux = *components_.demultiplexer;
  const torch::Tensor ids = demux.add_prefix(batch.input_ids);  // (B*N, P+L)
  const std::int64_t prefix = components_.prefix_length;
  if (ids.dim() != 2 || ids.size(0) != rows || ids.size(1) != batch.input_ids.size(1) + prefix)
    throw Error("the demultiplexer declared a prefix of " + std::to_string(prefix) +
                " positions, but add_prefix turned " + std::to_string(batch.input_ids.size(1)) +
                " positions into " +
                (ids.dim() == 2 ? std::to_string(ids.size(1))
                                : "a tensor of rank " + std::to_string(ids.dim())));
  torch::Tensor mask = batch.attention_mask.to(torch::kBool);
  if (prefix > 0)
    mask = torch::cat({torch::ones({rows, prefix}, mask.options()), mask}, 1);
  ForwardResult result;
  result.mixed_mask = mask.view({groups, n, -1}).any(1);  // (B, P+L)

  const torch::Tensor embedded = components_.backbone->embed(ids);       // (B*N, P+L, d)
  const torch::Tensor mixed = components_.multiplexer->mix(embedded);    // (B, P+L, d)
  result.muxed_hidden = components_.backbone->encode(mixed, result.mixed_mask);

  // Each kind of state is computed once, and only if some head reads it.
  const bool auxiliary = components_.auxiliary && with_auxiliary;
  StatesRead reads = components_.task->reads();
  if (auxiliary) {
    const StatesRead more = components_.auxiliary->reads();
    reads.sentence = reads.sentence || more.sentence;
    reads.tokens = reads.tokens || more.tokens;
  }
  if (reads.sentence) result.states.sentence = demux.sentence(result.muxed_hidden);
  if (reads.tokens) result.states.tokens = demux.tokens(result.muxed_hidden);
  result.task = components_.task->forward(result.states, batch);
  result.loss = result.task.loss;
  if (auxiliary) {
    result.auxiliary = components_.auxiliary->forward(result.states, batch);
    result.loss = weights_.task * result.task.loss + weights_.auxiliary * result.auxiliary.loss;
  }
  return result;
}

}  // namespace datamux
