#include "encoder_config.h"

#include "datamux/sdk/error.h"

namespace datamux::plugins::transformer {
namespace {

// "backbone.num_heads": an option's name as the user writes it.
std::string key(const Options& options, const char* name) {
  return options.section() + "." + name;
}

}  // namespace

void declare_size_options(OptionSchema& schema, const std::string& num_layers_help,
                          const std::string& hidden_size_help) {
  schema.add_int("num_layers", 12, num_layers_help, 1, 256)
      .add_int("hidden_size", 768, hidden_size_help, 1)
      .add_int("num_heads", 12, "attention heads; must divide hidden_size", 1)
      .add_int("intermediate_size", 3072, "width of the feed-forward block", 1);
}

void declare_dropout_position_norm_options(OptionSchema& schema) {
  schema
      .add_float("dropout", 0.1, "dropout on embeddings, attention output and feed-forward output",
                 0.0, 1.0)
      .add_float("attention_dropout", 0.1, "dropout on attention probabilities", 0.0, 1.0)
      .add_int("max_positions", 514, "size of the learned position table (longest input)", 1)
      .add_float("layer_norm_eps", 1e-5, "LayerNorm epsilon", 1e-12, 1.0);
}

void read_encoder_config(const Options& options, const ModelContext& ctx, EncoderConfig& config) {
  config.num_layers = options.get_int("num_layers");
  config.hidden_size = options.get_int("hidden_size");
  config.num_heads = options.get_int("num_heads");
  config.intermediate_size = options.get_int("intermediate_size");
  config.dropout = options.get_float("dropout");
  config.attention_dropout = options.get_float("attention_dropout");
  config.max_positions = options.get_int("max_positions");
  config.layer_norm_eps = options.get_float("layer_norm_eps");
  config.vocab_size = ctx.vocab_size;
  config.pad_id = ctx.tokens.pad;
  config.attention_mask = ctx.attention_mask;
  config.seed = ctx.seed;
}

void check_heads_divide_hidden(const EncoderConfig& config, const Options& options) {
  if (config.hidden_size % config.num_heads != 0)
    throw Error(key(options, "hidden_size") + " (" + std::to_string(config.hidden_size) +
                ") must be divisible by " + key(options, "num_heads") + " (" +
                std::to_string(config.num_heads) + ")");
}

void check_positions_cover_max_length(const EncoderConfig& config, const ModelContext& ctx,
                                      const Options& options) {
  if (ctx.max_length > config.max_positions)
    throw Error("max length " + std::to_string(ctx.max_length) + " (prefix included) exceeds " +
                key(options, "max_positions") + " (" + std::to_string(config.max_positions) +
                ")");
}

}  // namespace datamux::plugins::transformer
