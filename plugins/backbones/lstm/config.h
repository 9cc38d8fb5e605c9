#pragma once
// The resolved, validated hyperparameters of one bidirectional LSTM encoder.
#include <cstdint>
#include <vector>

#include "datamux/sdk/model_context.h"
#include "datamux/sdk/options.h"

namespace datamux::plugins::lstm {

struct LstmConfig {
  std::int64_t embedding_size = 768;  // E; must equal 2 * hidden_size
  std::int64_t num_layers = 12;
  std::int64_t hidden_size = 384;     // per direction
  double dropout = 0.1;               // on embeddings and between LSTM layers
  // The "Beyond DataMUX" fork's NER LSTM (models/multiplexLSTM.py, line 311) omits
  // batch_first=True: its recurrence runs along the groups of the batch, at each position.
  bool time_major_reference = false;
  // From the model context, not from options.
  std::int64_t vocab_size = 0;
  std::int64_t pad_id = 0;
  bool attention_mask = true;
  std::uint64_t seed = 0;
};

// Declares the options; their defaults are the lstm-base values.
void declare_options(OptionSchema& schema);

std::vector<Preset> presets();

// Reads the options and the context, throwing datamux::Error on an inconsistent combination.
LstmConfig make_config(const Options& options, const ModelContext& ctx);

}  // namespace datamux::plugins::lstm
