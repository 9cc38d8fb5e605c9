#pragma once
// Creates each configured component through its plugin and assembles the model.
#include <memory>

#include "datamux/core/mux_model.h"
#include "datamux/core/resolved_config.h"

namespace datamux {

// What the data tells the model (vocabulary, labels).
struct DataShape {
  std::int64_t vocab_size = 0;
  std::int64_t num_labels = 0;
  SpecialTokens tokens;
};

// A component's own seed: independent streams per role, all fixed by the run seed.
std::uint64_t component_seed(std::uint64_t run_seed, ComponentKind kind);

std::shared_ptr<MuxModel> build_model(const ResolvedConfig& config, PluginHost& plugins,
                                      const DataShape& data);

}  // namespace datamux
