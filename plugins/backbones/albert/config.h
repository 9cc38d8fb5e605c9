#pragma once
// The resolved, validated hyperparameters of one ALBERT-style encoder.
#include <cstdint>
#include <vector>

#include "datamux/sdk/model_context.h"
#include "datamux/sdk/options.h"
#include "transformer/encoder_layer.h"

namespace datamux::plugins::albert {

struct AlbertConfig {
  std::int64_t num_layers = 12;         // layer applications
  std::int64_t hidden_size = 768;       // d
  std::int64_t num_heads = 12;
  std::int64_t intermediate_size = 3072;
  std::int64_t embedding_size = 768;    // E of the factorised embedding
  std::int64_t num_hidden_groups = 1;   // distinct parameter groups
  std::int64_t inner_group_num = 1;     // layers per group, applied in sequence
  double dropout = 0.1;
  double attention_dropout = 0.1;
  std::int64_t max_positions = 514;
  double layer_norm_eps = 1e-5;
  // From the model context, not from options.
  std::int64_t vocab_size = 0;
  std::int64_t pad_id = 0;
  bool attention_mask = true;
  std::uint64_t seed = 0;

  transformer::EncoderLayerConfig layer() const {
    return {hidden_size, num_heads, intermediate_size, dropout, attention_dropout, layer_norm_eps};
  }
};

// Declares the options; their defaults are the albert-base values.
void declare_options(OptionSchema& schema);

std::vector<Preset> presets();

// Reads the options and the context, throwing datamux::Error on an inconsistent combination.
AlbertConfig make_config(const Options& options, const ModelContext& ctx);

}  // namespace datamux::plugins::albert
