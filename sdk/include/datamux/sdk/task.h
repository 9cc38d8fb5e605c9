#pragma once
// A task owns a head on the demultiplexed states, its loss and its metrics.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>

#include "datamux/sdk/batch.h"
#include "datamux/sdk/flops.h"
#include "datamux/sdk/visibility.h"

namespace datamux {

// Which demultiplexed states a head reads (DemuxedStates): the core computes only those.
struct StatesRead {
  bool sentence = false;  // DemuxedStates::sentence
  bool tokens = false;    // DemuxedStates::tokens
};

struct TaskOutput {
  torch::Tensor logits;   // (B*N, C) sentence tasks, (B*N, L, C) token tasks, or the head's own
  torch::Tensor targets;  // what the metric scores `logits` against: the labels, or the targets
                          // an objective drew; undefined when there is nothing to score
  torch::Tensor loss;     // scalar; undefined without targets
};

// Named metric values, in the order a report should show them.
using MetricValues = std::vector<std::pair<std::string, double>>;

// What a metric value is. A score (accuracy, f1, a loss) is what runs are compared on and
// reports chart; a count (examples, sentences scored) says how much was scored: reports show
// it as an integer and never chart it.
enum class MetricKind { kScore, kCount };

// Accumulates predictions over an evaluation set.
class DATAMUX_API Metric {
 public:
  virtual ~Metric() = default;
  // One batch: the logits and targets of the task's forward (TaskOutput), and the batch they
  // came from (for what the model never saw, such as Batch::truncated_labels). Undefined
  // targets count nothing.
  virtual void update(const torch::Tensor& logits, const torch::Tensor& targets,
                      const Batch& batch) = 0;
  virtual MetricValues compute() const = 0;
  // The kind of compute()'s value `name`: a score unless the metric declares it a count.
  virtual MetricKind kind(const std::string& name) const {
    (void)name;
    return MetricKind::kScore;
  }
};

class DATAMUX_API Task : public torch::nn::Module {
 public:
  ~Task() override = default;

  // Which demultiplexed states forward() reads; the others stay undefined.
  virtual StatesRead reads() const = 0;

  virtual TaskOutput forward(const DemuxedStates& states, const Batch& batch) = 0;

  virtual std::unique_ptr<Metric> make_metric() const = 0;

  // The metric that selects the best checkpoint, higher is better (e.g. "accuracy").
  virtual std::string primary_metric() const = 0;

  // Analytic forward FLOPs (sdk/flops.h) of forward() on B*N instances of shape.length
  // positions, the loss included; std::nullopt (the default): not declared.
  virtual FlopCount flops(const FlopShape& /*shape*/) const { return std::nullopt; }
};

}  // namespace datamux
