#pragma once
// The hyperparameters every transformer backbone has, with their options and checks: declared,
// read and validated here once, so that roberta and albert name, bound and check them alike.
#include <cstdint>
#include <string>

#include "datamux/sdk/model_context.h"
#include "datamux/sdk/options.h"
#include "encoder_layer.h"

namespace datamux::plugins::transformer {

// A backbone's config derives from this and adds its own hyperparameters.
struct EncoderConfig {
  std::int64_t num_layers = 12;
  std::int64_t hidden_size = 768;  // d
  std::int64_t num_heads = 12;
  std::int64_t intermediate_size = 3072;
  double dropout = 0.1;
  double attention_dropout = 0.1;
  std::int64_t max_positions = 514;
  double layer_norm_eps = 1e-5;
  // From the model context, not from options.
  std::int64_t vocab_size = 0;
  std::int64_t pad_id = 0;
  bool attention_mask = true;
  std::uint64_t seed = 0;

  EncoderLayerConfig layer() const {
    return {hidden_size, num_heads, intermediate_size, dropout, attention_dropout, layer_norm_eps};
  }
};

// The shared options come in two groups, so that a backbone can declare its own between them
// and keep the order its documentation shows. Defaults are the base-size values.
// num_layers, hidden_size (whose help texts differ per backbone), num_heads, intermediate_size.
void declare_size_options(OptionSchema& schema, const std::string& num_layers_help,
                          const std::string& hidden_size_help);
// dropout, attention_dropout, max_positions, layer_norm_eps.
void declare_dropout_position_norm_options(OptionSchema& schema);

// Fills the EncoderConfig part of `config` from the shared options and the context.
void read_encoder_config(const Options& options, const ModelContext& ctx, EncoderConfig& config);

// The checks, separate so that a backbone can put its own in between; each throws
// datamux::Error naming the options at fault.
// num_heads must divide hidden_size.
void check_heads_divide_hidden(const EncoderConfig& config, const Options& options);
// The position table must cover the longest input (ctx.max_length, prefix included).
void check_positions_cover_max_length(const EncoderConfig& config, const ModelContext& ctx,
                                      const Options& options);

}  // namespace datamux::plugins::transformer
