#pragma once
// Creates each configured component through its plugin and assembles the model.
#include <memory>
#include <string>
#include <vector>

#include "datamux/core/mux_model.h"
#include "datamux/core/resolved_config.h"

namespace datamux {

// What the data tells the model (vocabulary, labels).
struct DataShape {
  std::int64_t vocab_size = 0;
  std::vector<std::string> label_names;  // empty for tasks without labels
  // The ids of the demultiplexer's reserved tokens (ResolvedConfig::layout), in its order.
  std::vector<std::int64_t> reserved_tokens;
};

// A component's own seed: an independent stream per role, all fixed by the run seed.
enum class SeedStream : std::uint64_t {
  kBackbone = 0, kMultiplexer = 1, kDemultiplexer = 2, kTask = 3, kAuxiliary = 4
};
std::uint64_t component_seed(std::uint64_t run_seed, SeedStream stream);

std::shared_ptr<MuxModel> build_model(const ResolvedConfig& config, PluginHost& plugins,
                                      const DataShape& data);

}  // namespace datamux
