// Options, presets and registration of the "roberta" backbone.
#include <memory>
#include <string>

#include "backbone.h"
#include "config.h"
#include "datamux/sdk/sdk.h"

namespace datamux::plugins::roberta {

void declare_options(OptionSchema& schema) {
  schema.add_int("num_layers", 12, "number of encoder layers", 1, 256)
      .add_int("hidden_size", 768, "width d of embeddings and hidden states", 1)
      .add_int("num_heads", 12, "attention heads; must divide hidden_size", 1)
      .add_int("intermediate_size", 3072, "width of the feed-forward block", 1)
      .add_float("dropout", 0.1, "dropout on embeddings, attention output and feed-forward output",
                 0.0, 1.0)
      .add_float("attention_dropout", 0.1, "dropout on attention probabilities", 0.0, 1.0)
      .add_int("max_positions", 514, "size of the learned position table (longest input)", 1)
      .add_float("layer_norm_eps", 1e-5, "LayerNorm epsilon", 1e-12, 1.0)
      .add_bool("double_position_embeddings", false,
                "add position embeddings again in the encoder, as the reference code does");
}

std::vector<Preset> presets() {
  return {
      {"roberta-base",
       "12 layers, d=768, 12 heads, FFN 3072 (the DataMUX reference size)",
       {{"num_layers", "12"},
        {"hidden_size", "768"},
        {"num_heads", "12"},
        {"intermediate_size", "3072"},
        {"dropout", "0.1"},
        {"attention_dropout", "0.1"},
        {"max_positions", "514"}}},
      {"roberta-small",
       "4 layers, d=256, 4 heads, FFN 1024",
       {{"num_layers", "4"}, {"hidden_size", "256"}, {"num_heads", "4"}, {"intermediate_size", "1024"}}},
      {"roberta-tiny",
       "2 layers, d=64, 2 heads, FFN 128 (for tests and smoke runs)",
       {{"num_layers", "2"}, {"hidden_size", "64"}, {"num_heads", "2"}, {"intermediate_size", "128"}}},
  };
}

RobertaConfig make_config(const Options& options, const ModelContext& ctx) {
  const auto key = [&](const char* name) { return options.section() + "." + name; };
  RobertaConfig config;
  config.num_layers = options.get_int("num_layers");
  config.hidden_size = options.get_int("hidden_size");
  config.num_heads = options.get_int("num_heads");
  config.intermediate_size = options.get_int("intermediate_size");
  config.dropout = options.get_float("dropout");
  config.attention_dropout = options.get_float("attention_dropout");
  config.max_positions = options.get_int("max_positions");
  config.layer_norm_eps = options.get_float("layer_norm_eps");
  config.double_position_embeddings = options.get_bool("double_position_embeddings");
  config.vocab_size = ctx.vocab_size;
  config.pad_id = ctx.tokens.pad;
  config.attention_mask = ctx.attention_mask;
  config.seed = ctx.seed;

  if (config.hidden_size % config.num_heads != 0)
    throw Error(key("hidden_size") + " (" + std::to_string(config.hidden_size) +
                ") must be divisible by " + key("num_heads") + " (" +
                std::to_string(config.num_heads) + ")");
  if (ctx.max_length > config.max_positions)
    throw Error("max length " + std::to_string(ctx.max_length) + " (prefix included) exceeds " +
                key("max_positions") + " (" + std::to_string(config.max_positions) + ")");
  if (config.vocab_size <= 0)
    throw Error("roberta: the vocabulary size is " + std::to_string(config.vocab_size) +
                "; it must be positive");
  if (config.pad_id < 0 || config.pad_id >= config.vocab_size)
    throw Error("roberta: pad id " + std::to_string(config.pad_id) +
                " is outside the vocabulary of size " + std::to_string(config.vocab_size));
  return config;
}

void register_components(Registrar& registrar) {
  ComponentSpec<Backbone> spec;
  spec.name = "roberta";
  spec.help = "post-LN transformer encoder (RoBERTa architecture) trained from scratch";
  spec.declare_options = declare_options;
  spec.presets = presets();
  spec.create = [](const Options& options, const ModelContext& ctx) -> std::shared_ptr<Backbone> {
    return std::make_shared<RobertaBackbone>(make_config(options, ctx));
  };
  registrar.add_backbone(std::move(spec));
}

}  // namespace datamux::plugins::roberta

DATAMUX_PLUGIN("roberta", "0.1.0", datamux::plugins::roberta::register_components)
