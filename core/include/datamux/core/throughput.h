#pragma once
// Inference throughput measured the way the study reports it.
#include <cstdint>
#include <string>
#include <vector>

#include "datamux/core/mux_model.h"

namespace datamux {

struct Throughput {
  double instances_per_second = 0;  // real inputs, not multiplexed rows or filler
  double passes_per_second = 0;     // whole evaluation-set passes
  std::int64_t instances = 0;       // inputs in one pass
  std::int64_t repeats = 0;
  double median_seconds = 0;        // of one pass
  std::string device;
};

// One untimed warm-up pass, then `repeats` timed passes over `batches` (forward only, no
// auxiliary objective, no gradients), each between device synchronisations; the median
// pass time gives the rates. `instances` is the number of real inputs in `batches`.
Throughput measure_throughput(MuxModel& model, const std::vector<Batch>& batches,
                              std::int64_t instances, std::int64_t repeats, torch::Device device);

}  // namespace datamux
