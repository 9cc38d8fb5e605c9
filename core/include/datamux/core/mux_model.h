#pragma once
// The assembled model: prefix -> embed -> multiplex -> encode -> demultiplex -> task head.
#include <memory>

#include <torch/nn/module.h>

#include "datamux/sdk/backbone.h"
#include "datamux/sdk/batch.h"
#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/multiplexer.h"
#include "datamux/sdk/task.h"

namespace datamux {

struct ModelComponents {
  std::shared_ptr<Backbone> backbone;
  std::shared_ptr<Multiplexer> multiplexer;
  std::shared_ptr<Demultiplexer> demultiplexer;
  std::shared_ptr<Task> task;
  std::shared_ptr<Task> retrieval;  // optional auxiliary retrieval head (finetuning)
};

// loss = task * task loss + retrieval * auxiliary retrieval loss.
struct LossWeights {
  double task = 1.0;
  double retrieval = 0.0;
};

// Every intermediate a caller may want to inspect; tests check their shapes.
struct ForwardResult {
  torch::Tensor mixed_mask;    // (B, P + L) bool: a position is real in some instance of the group
  torch::Tensor muxed_hidden;  // (B, P + L, d): the backbone's output on the mixture
  DemuxedStates states;        // per instance, as the task asked for
  TaskOutput task;
  TaskOutput retrieval;        // undefined tensors without an auxiliary retrieval head
  torch::Tensor loss;          // what training minimises
};

class MuxModel : public torch::nn::Module {
 public:
  MuxModel(ModelComponents components, std::int64_t num_instances, LossWeights weights = {});

  // `with_retrieval` false skips the auxiliary retrieval head: what inference runs.
  ForwardResult forward(const Batch& batch, bool with_retrieval = true);

  std::int64_t num_instances() const { return num_instances_; }
  Backbone& backbone() { return *components_.backbone; }
  Multiplexer& multiplexer() { return *components_.multiplexer; }
  Demultiplexer& demultiplexer() { return *components_.demultiplexer; }
  Task& task() { return *components_.task; }
  // The auxiliary retrieval head, or nullptr.
  Task* retrieval() { return components_.retrieval.get(); }
  const LossWeights& loss_weights() const { return weights_; }

 private:
  ModelComponents components_;
  std::int64_t num_instances_;
  LossWeights weights_;
};

}  // namespace datamux
