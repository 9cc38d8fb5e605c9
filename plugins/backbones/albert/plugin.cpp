// Options, presets and registration of the "albert" backbone.
#include <memory>
#include <string>

#include "backbone.h"
#include "config.h"
#include "datamux/sdk/sdk.h"

namespace datamux::plugins::albert {

void declare_options(OptionSchema& schema) {
  schema.add_int("num_layers", 12, "number of layer applications (layers share parameters)", 1, 256)
      .add_int("hidden_size", 768, "width d of hidden states (and of embed()'s output)", 1)
      .add_int("num_heads", 12, "attention heads; must divide hidden_size", 1)
      .add_int("intermediate_size", 3072, "width of the feed-forward block", 1)
      .add_int("embedding_size", 768, "width E of the factorised token/position embedding", 1)
      .add_int("num_hidden_groups", 1,
               "distinct parameter groups; layer i uses group i * num_hidden_groups / num_layers",
               1)
      .add_int("inner_group_num", 1, "layers in each group, applied in sequence", 1)
      .add_float("dropout", 0.1, "dropout on embeddings, attention output and feed-forward output",
                 0.0, 1.0)
      .add_float("attention_dropout", 0.1, "dropout on attention probabilities", 0.0, 1.0)
      .add_int("max_positions", 514, "size of the learned position table (longest input)", 1)
      .add_float("layer_norm_eps", 1e-5, "LayerNorm epsilon", 1e-12, 1.0);
}

std::vector<Preset> presets() {
  return {
      {"albert-base",
       "12 layers sharing one group, d=768, 12 heads, FFN 3072, E=768 (the reference size)",
       {{"num_layers", "12"},
        {"hidden_size", "768"},
        {"num_heads", "12"},
        {"intermediate_size", "3072"},
        {"embedding_size", "768"},
        {"num_hidden_groups", "1"},
        {"inner_group_num", "1"},
        {"dropout", "0.1"},
        {"attention_dropout", "0.1"},
        {"max_positions", "514"}}},
      {"albert-small",
       "4 layers sharing one group, d=256, 4 heads, FFN 1024, E=128",
       {{"num_layers", "4"},
        {"hidden_size", "256"},
        {"num_heads", "4"},
        {"intermediate_size", "1024"},
        {"embedding_size", "128"}}},
      {"albert-tiny",
       "2 layers sharing one group, d=64, 2 heads, FFN 128, E=32 (for tests and smoke runs)",
       {{"num_layers", "2"},
        {"hidden_size", "64"},
        {"num_heads", "2"},
        {"intermediate_size", "128"},
        {"embedding_size", "32"}}},
  };
}

AlbertConfig make_config(const Options& options, const ModelContext& ctx) {
  const auto key = [&](const char* name) { return options.section() + "." + name; };
  AlbertConfig config;
  config.num_layers = options.get_int("num_layers");
  config.hidden_size = options.get_int("hidden_size");
  config.num_heads = options.get_int("num_heads");
  config.intermediate_size = options.get_int("intermediate_size");
  config.embedding_size = options.get_int("embedding_size");
  config.num_hidden_groups = options.get_int("num_hidden_groups");
  config.inner_group_num = options.get_int("inner_group_num");
  config.dropout = options.get_float("dropout");
  config.attention_dropout = options.get_float("attention_dropout");
  config.max_positions = options.get_int("max_positions");
  config.layer_norm_eps = options.get_float("layer_norm_eps");
  config.vocab_size = ctx.vocab_size;
  config.pad_id = ctx.tokens.pad;
  config.attention_mask = ctx.attention_mask;
  config.seed = ctx.seed;

  if (config.hidden_size % config.num_heads != 0)
    throw Error(key("hidden_size") + " (" + std::to_string(config.hidden_size) +
                ") must be divisible by " + key("num_heads") + " (" +
                std::to_string(config.num_heads) + ")");
  // HF ALBERT allows more groups than layers, but the surplus groups would never be used.
  if (config.num_hidden_groups > config.num_layers)
    throw Error(key("num_hidden_groups") + " (" + std::to_string(config.num_hidden_groups) +
                ") must not exceed " + key("num_layers") + " (" +
                std::to_string(config.num_layers) + "); extra groups would never be used");
  if (ctx.max_length > config.max_positions)
    throw Error("max length " + std::to_string(ctx.max_length) + " (prefix included) exceeds " +
                key("max_positions") + " (" + std::to_string(config.max_positions) + ")");
  if (config.vocab_size <= 0)
    throw Error("albert: the vocabulary size is " + std::to_string(config.vocab_size) +
                "; it must be positive");
  if (config.pad_id < 0 || config.pad_id >= config.vocab_size)
    throw Error("albert: pad id " + std::to_string(config.pad_id) +
                " is outside the vocabulary of size " + std::to_string(config.vocab_size));
  return config;
}

void register_components(Registrar& registrar) {
  ComponentSpec<Backbone> spec;
  spec.name = "albert";
  spec.help = "ALBERT encoder (factorised embedding, cross-layer parameter sharing) from scratch";
  spec.declare_options = declare_options;
  spec.presets = presets();
  spec.create = [](const Options& options, const ModelContext& ctx) -> std::shared_ptr<Backbone> {
    return std::make_shared<AlbertBackbone>(make_config(options, ctx));
  };
  registrar.add_backbone(std::move(spec));
}

}  // namespace datamux::plugins::albert

DATAMUX_PLUGIN("albert", "0.1.0", datamux::plugins::albert::register_components)
