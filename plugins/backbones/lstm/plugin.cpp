// Options, presets and registration of the "lstm" backbone.
#include <memory>
#include <string>

#include "backbone.h"
#include "config.h"
#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"

namespace datamux::plugins::lstm {

void declare_options(OptionSchema& schema) {
  schema
      .add_int("embedding_size", 768,
               "width E of the token embedding; must equal 2 * hidden_size", 1)
      .add_int("num_layers", 12, "number of bidirectional LSTM layers", 1, 256)
      .add_int("hidden_size", 384, "LSTM state width per direction (the output is twice this)",
               1)
      .add_float("dropout", 0.1, "dropout on embeddings and between LSTM layers", 0.0, 1.0)
      .add_bool("time_major_reference", false,
                "reproduce the reference NER LSTM's missing batch_first: the recurrence runs "
                "across the groups of the batch at each position instead of along each "
                "sequence, over pads too (no packing)");
}

std::vector<Preset> presets() {
  return {
      {"lstm-base",
       "embedding 768, 12 BiLSTM layers, hidden 384 per direction (the reference size)",
       {{"embedding_size", "768"}, {"num_layers", "12"}, {"hidden_size", "384"}, {"dropout", "0.1"}}},
      {"lstm-small",
       "embedding 256, 4 BiLSTM layers, hidden 128 per direction",
       {{"embedding_size", "256"}, {"num_layers", "4"}, {"hidden_size", "128"}}},
      {"lstm-tiny",
       "embedding 64, 2 BiLSTM layers, hidden 32 per direction (for tests and smoke runs)",
       {{"embedding_size", "64"}, {"num_layers", "2"}, {"hidden_size", "32"}}},
  };
}

LstmConfig make_config(const Options& options, const ModelContext& ctx) {
  const auto key = [&](const char* name) { return options.section() + "." + name; };
  LstmConfig config;
  config.embedding_size = options.get_int("embedding_size");
  config.num_layers = options.get_int("num_layers");
  config.hidden_size = options.get_int("hidden_size");
  config.dropout = options.get_float("dropout");
  config.time_major_reference = options.get_bool("time_major_reference");
  config.vocab_size = ctx.vocab_size;
  config.pad_id = ctx.tokens.pad;
  config.attention_mask = ctx.attention_mask;
  config.seed = ctx.seed;

  // The multiplexer mixes embeddings and the demultiplexer reads encoder outputs with one
  // width d, so the embedding and the concatenated BiLSTM output must have the same width.
  if (config.embedding_size != 2 * config.hidden_size)
    throw Error(key("embedding_size") + " (" + std::to_string(config.embedding_size) +
                ") must equal 2 * " + key("hidden_size") + " (2 * " +
                std::to_string(config.hidden_size) + ")");
  support::check_vocabulary("lstm", ctx);
  return config;
}

void register_components(Registrar& registrar) {
  ComponentSpec<Backbone> spec;
  spec.name = "lstm";
  spec.help = "multi-layer bidirectional LSTM over token embeddings, trained from scratch";
  spec.declare_options = declare_options;
  spec.presets = presets();
  spec.create = [](const Options& options, const ModelContext& ctx) -> std::shared_ptr<Backbone> {
    return std::make_shared<LstmBackbone>(make_config(options, ctx));
  };
  registrar.add_backbone(std::move(spec));
}

}  // namespace datamux::plugins::lstm

DATAMUX_PLUGIN("lstm", "0.1.0", datamux::plugins::lstm::register_components)
