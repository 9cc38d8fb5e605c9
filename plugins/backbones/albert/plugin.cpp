// Options, presets and registration of the "albert" backbone.
#include <memory>
#include <string>

#include "backbone.h"
#include "config.h"
#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"

namespace datamux::plugins::albert {

void declare_options(OptionSchema& schema) {
  transformer::declare_size_options(schema,
                                    "number of layer applications (layers share parameters)",
                                    "width d of hidden states (and of embed()'s output)");
  schema.add_int("embedding_size", 768, "width E of the factorised token/position embedding", 1)
      .add_int("num_hidden_groups", 1,
               "distinct parameter groups; layer i uses group i * num_hidden_groups / num_layers",
               1)
      .add_int("inner_group_num", 1, "layers in each group, applied in sequence", 1);
  transformer::declare_dropout_position_norm_options(schema);
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
  transformer::read_encoder_config(options, ctx, config);
  config.embedding_size = options.get_int("embedding_size");
  config.num_hidden_groups = options.get_int("num_hidden_groups");
  config.inner_group_num = options.get_int("inner_group_num");

  transformer::check_heads_divide_hidden(config, options);
  // HF ALBERT allows more groups than layers, but the surplus groups would never be used.
  if (config.num_hidden_groups > config.num_layers)
    throw Error(key("num_hidden_groups") + " (" + std::to_string(config.num_hidden_groups) +
                ") must not exceed " + key("num_layers") + " (" +
                std::to_string(config.num_layers) + "); extra groups would never be used");
  transformer::check_positions_cover_max_length(config, ctx, options);
  support::check_vocabulary("albert", ctx);
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
