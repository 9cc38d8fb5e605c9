#pragma once
// The resolved, validated hyperparameters of one ALBERT-style encoder.
#include <cstdint>
#include <vector>

#include "datamux/sdk/model_context.h"
#include "datamux/sdk/options.h"
#include "transformer/encoder_config.h"

namespace datamux::plugins::albert {

// num_layers counts layer applications; hidden_size is d.
struct AlbertConfig : transformer::EncoderConfig {
  std::int64_t embedding_size = 768;    // E of the factorised embedding
  std::int64_t num_hidden_groups = 1;   // distinct parameter groups
  std::int64_t inner_group_num = 1;     // layers per group, applied in sequence
};

// Declares the options; their defaults are the albert-base values.
void declare_options(OptionSchema& schema);

std::vector<Preset> presets();

// Reads the options and the context, throwing datamux::Error on an inconsistent combination.
AlbertConfig make_config(const Options& options, const ModelContext& ctx);

}  // namespace datamux::plugins::albert
