// Options, presets and registration of the "roberta" backbone.
#include <memory>
#include <string>

#include "backbone.h"
#include "config.h"
#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"

namespace datamux::plugins::roberta {

void declare_options(OptionSchema& schema) {
  transformer::declare_size_options(schema, "number of encoder layers",
                                    "width d of embeddings and hidden states");
  transformer::declare_dropout_position_norm_options(schema);
  schema.add_bool("double_position_embeddings", false,
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
  RobertaConfig config;
  transformer::read_encoder_config(options, ctx, config);
  config.double_position_embeddings = options.get_bool("double_position_embeddings");
  transformer::check_heads_divide_hidden(config, options);
  transformer::check_positions_cover_max_length(config, ctx, options);
  support::check_vocabulary("roberta", ctx);
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
