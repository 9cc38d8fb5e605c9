#pragma once
// The assembled model: prefix -> embed -> multiplex -> encode -> demultiplex -> task head.
#include <memory>
#include <string>

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
  std::shared_ptr<Task> auxiliary;  // optional auxiliary objective (ResolvedConfig::auxiliary)
  std::string auxiliary_name;       // its component name: it names its loss in the records
  std::int64_t prefix_length = 0;   // as the demultiplexer declared it
};

// loss = task * task loss + auxiliary * the auxiliary objective's loss.
struct LossWeights {
  double task = 1.0;
  double auxiliary = 0.0;
};

// Every intermediate a caller may want to inspect; tests check their shapes.
struct ForwardResult {
  torch::Tensor mixed_mask;    // (B, P + L) bool: a position is real in some instance of the group
  torch::Tensor muxed_hidden;  // (B, P + L, d): the backbone's output on the mixture
  DemuxedStates states;        // per instance, only the states the heads read (Task::reads)
  TaskOutput task;
  TaskOutput auxiliary;        // undefined tensors without an auxiliary objective
  torch::Tensor loss;          // what training minimises
};

class MuxModel : public torch::nn::Module {
 public:
  MuxModel(ModelComponents components, std::int64_t num_instances, LossWeights weights = {});

  // `with_auxiliary` false skips the auxiliary objective: what inference runs.
  ForwardResult forward(const Batch& batch, bool with_auxiliary = true);

  std::int64_t num_instances() const { return num_instances_; }
  Backbone& backbone() { return *components_.backbone; }
  Multiplexer& multiplexer() { return *components_.multiplexer; }
  Demultiplexer& demultiplexer() { return *components_.demultiplexer; }
  Task& task() { return *components_.task; }
  // The auxiliary objective, or nullptr.
  Task* auxiliary() { return components_.auxiliary.get(); }
  // The name its loss is recorded under: "<component>_loss" (e.g. "retrieval_loss").
  std::string auxiliary_loss_name() const { return components_.auxiliary_name + "_loss"; }
  std::int64_t prefix_length() const { return components_.prefix_length; }
  const LossWeights& loss_weights() const { return weights_; }

 private:
  ModelComponents components_;
  std::int64_t num_instances_;
  LossWeights weights_;
};

}  // namespace datamux
