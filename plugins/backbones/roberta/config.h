#pragma once
// The resolved, validated hyperparameters of one RoBERTa-style encoder.
#include <vector>

#include "datamux/sdk/model_context.h"
#include "datamux/sdk/options.h"
#include "transformer/encoder_config.h"

namespace datamux::plugins::roberta {

struct RobertaConfig : transformer::EncoderConfig {
  // Adds the position embeddings a second time in encode(), as the reference code does.
  bool double_position_embeddings = false;
};

// Declares the options; their defaults are the roberta-base values.
void declare_options(OptionSchema& schema);

std::vector<Preset> presets();

// Reads the options and the context, throwing datamux::Error on an inconsistent combination.
RobertaConfig make_config(const Options& options, const ModelContext& ctx);

}  // namespace datamux::plugins::roberta
