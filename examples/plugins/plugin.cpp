// The mux_plm plugin: the "gru" backbone and the "contextual" multiplexer, their options,
// presets and the entry point. Only the Backbone and Multiplexer interfaces are used.
#include <memory>
#include <string>

#include "contextual_multiplexer.h"
#include "datamux/sdk/sdk.h"
#include "gru_backbone.h"

namespace mux_plm {
namespace {

using datamux::Error;
using datamux::ModelContext;
using datamux::OptionSchema;
using datamux::Options;

std::shared_ptr<datamux::Backbone> create_gru(const Options& options, const ModelContext& ctx) {
  GruConfig config;
  config.vocab_size = ctx.vocab_size;
  config.hidden_size = options.get_int("hidden_size");
  config.num_layers = options.get_int("num_layers");
  config.bidirectional = options.get_bool("bidirectional");
  config.dropout = options.get_float("dropout");
  config.use_mask = ctx.attention_mask;
  if (config.bidirectional && config.hidden_size % 2 != 0)
    throw Error(options.section() + ".hidden_size (" + std::to_string(config.hidden_size) +
                ") must be even when " + options.section() +
                ".bidirectional is true (each direction has half)");
  if (config.vocab_size <= 0) throw Error("gru: the model context has no vocabulary size");
  return std::make_shared<GruBackbone>(config);
}

std::shared_ptr<datamux::Multiplexer> create_contextual(const Options& options,
                                                        const ModelContext& ctx) {
  ContextualConfig config;
  config.num_instances = ctx.num_instances;
  config.hidden_size = ctx.hidden_size;
  config.heads = options.get_int("heads");
  config.feedforward = options.get_int("feedforward");
  config.dropout = options.get_float("dropout");
  config.norm = options.get_float("norm");
  config.context = options.get_string("context") == "positions" ? Context::kPositions
                                                                 : Context::kInstances;
  config.seed = ctx.seed;
  if (config.hidden_size % config.heads != 0)
    throw Error(options.section() + ".heads (" + std::to_string(config.heads) +
                ") must divide the backbone's width d = " + std::to_string(config.hidden_size));
  return std::make_shared<ContextualMultiplexer>(config);
}

void register_components(datamux::Registrar& registrar) {
  datamux::ComponentSpec<datamux::Backbone> gru;
  gru.name = "gru";
  gru.help = "token embeddings and a (bidirectional) GRU over the mixture";
  gru.declare_options = [](OptionSchema& schema) {
    schema.add_int("hidden_size", 128, "width d of embeddings and outputs", 2)
        .add_int("num_layers", 1, "number of GRU layers", 1, 64)
        .add_bool("bidirectional", true, "read both directions, d / 2 units each")
        .add_float("dropout", 0.1, "dropout on embeddings and between layers", 0.0, 1.0);
  };
  gru.presets = {{"gru-tiny", "d 32, one layer (tests and smoke runs)",
                  {{"hidden_size", "32"}, {"num_layers", "1"}}},
                 {"gru-small", "d 256, two layers", {{"hidden_size", "256"}, {"num_layers", "2"}}}};
  gru.create = create_gru;
  registrar.add_backbone(std::move(gru));

  datamux::ComponentSpec<datamux::Multiplexer> contextual;
  contextual.name = "contextual";
  contextual.help = "MUX-PLMs' contextual multiplexer: a transformer layer, then Gaussian Hadamard";
  contextual.declare_options = [](OptionSchema& schema) {
    schema.add_int("heads", 4, "attention heads of the transformer layer (must divide d)", 1)
        .add_int("feedforward", 0, "its feed-forward width; 0 means 2 * d", 0)
        .add_float("dropout", 0.1, "its dropout", 0.0, 1.0)
        .add_float("norm", 20.0, "L2 norm of each instance's Gaussian vector phi_i (20, as the reference)", 1e-12)
        .add_string("context", "instances",
                    "what the layer attends over: the N instances at each position, or each "
                    "instance's own positions",
                    {"instances", "positions"});
  };
  contextual.create = create_contextual;
  registrar.add_multiplexer(std::move(contextual));
}

}  // namespace
}  // namespace mux_plm

DATAMUX_PLUGIN("mux_plm", "0.1.0", mux_plm::register_components)
