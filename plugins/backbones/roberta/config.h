#pragma once
// The resolved, validated hyperparameters of one RoBERTa-style encoder.
#include <cstdint>
#include <vector>

#include "datamux/sdk/model_context.h"
#include "datamux/sdk/options.h"
#include "transformer/encoder_layer.h"

namespace datamux::plugins::roberta {

struct RobertaConfig {
  std::int64_t num_layers = 12;
  std::int64_t hidden_size = 768;
  std::int64_t num_heads = 12;
  std::int64_t intermediate_size = 3072;
  double dropout = 0.1;
  double attention_dropout = 0.1;
  std::int64_t max_positions = 514;
  double layer_norm_eps = 1e-5;
  // Adds the position embeddings a second time in encode(), as the reference code does.
  bool double_position_embeddings = false;
  // From the model context, not from options.
  std::int64_t vocab_size = 0;
  std::int64_t pad_id = 0;
  bool attention_mask = true;
  std::uint64_t seed = 0;

  transformer::EncoderLayerConfig layer() const {
    return {hidden_size, num_heads, intermediate_size, dropout, attention_dropout, layer_norm_eps};
  }
};

// Declares the options; their defaults are the roberta-base values.
void declare_options(OptionSchema& schema);

std::vector<Preset> presets();

// Reads the options and the context, throwing datamux::Error on an inconsistent combination.
RobertaConfig make_config(const Options& options, const ModelContext& ctx);

}  // namespace datamux::plugins::roberta
