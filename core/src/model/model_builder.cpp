#include "datamux/core/model_builder.h"
#include "datamux/core/seed_streams.h"

#include <torch/torch.h>

namespace datamux {
namespace {

template <typename Interface>
std::shared_ptr<Interface> create(PluginHost& plugins, const ComponentChoice& choice,
                                  const ModelContext& context) {
  const Registered<Interface>& registered = plugins.require<Interface>(choice.plugin);
  std::shared_ptr<Interface> component;
  const std::string where = std::string(kind_name(choice.kind)) + " '" + choice.plugin +
                            "' (plugin " + registered.plugin->path.string() + ")";
  try {
    component = registered.spec.create(choice.section.options, context);
  } catch (const std::exception& error) {
    throw Error(where + " failed to construct: " + error.what());
  }
  if (!component) throw Error(where + " returned no object");
  return component;
}

}  // namespace

std::uint64_t component_seed(std::uint64_t run_seed, SeedStream stream) {
  return stream_seed(run_seed, static_cast<std::uint64_t>(stream));
}

std::shared_ptr<MuxModel> build_model(const ResolvedConfig& config, PluginHost& plugins,
                                      const DataShape& data) {
  const auto& model = config.model.options;
  const std::uint64_t seed = static_cast<std::uint64_t>(config.run.options.get_int("seed"));
  torch::manual_seed(seed);  // weight initialisation

  ModelContext context;
  context.num_instances = model.get_int("num_instances");
  context.vocab_size = data.vocab_size;
  context.num_labels = static_cast<std::int64_t>(data.label_names.size());
  context.label_names = data.label_names;
  context.attention_mask = model.get_bool("attention_mask");
  // The demultiplexer declared its prefix for this N before anything was built (the
  // backbone is sized for it) and the tokens it reserves (the tokenizer placed them).
  const std::int64_t prefix = config.layout.prefix_length;
  if (prefix < 0)
    throw Error("demultiplexer '" + config.demultiplexer.plugin + "' declares a prefix of " +
                std::to_string(prefix) + " positions");
  if (data.reserved_tokens.size() != config.layout.reserved_tokens.size())
    throw Error("demultiplexer '" + config.demultiplexer.plugin + "' reserves " +
                std::to_string(config.layout.reserved_tokens.size()) + " tokens but the data has " +
                std::to_string(data.reserved_tokens.size()) + " reserved ids for it");
  context.max_length = model.get_int("max_seq_length") + prefix;

  ModelComponents parts;
  parts.prefix_length = prefix;
  context.seed = component_seed(seed, SeedStream::kBackbone);
  parts.backbone = create<Backbone>(plugins, config.backbone, context);
  context.hidden_size = parts.backbone->hidden_size();

  context.seed = component_seed(seed, SeedStream::kMultiplexer);
  parts.multiplexer = create<Multiplexer>(plugins, config.multiplexer, context);
  context.seed = component_seed(seed, SeedStream::kDemultiplexer);
  context.reserved_tokens = data.reserved_tokens;
  parts.demultiplexer = create<Demultiplexer>(plugins, config.demultiplexer, context);
  context.reserved_tokens.clear();
  context.seed = component_seed(seed, SeedStream::kTask);
  parts.task = create<Task>(plugins, config.task, context);
  LossWeights weights{1.0, 0.0};
  if (config.auxiliary) {
    context.seed = component_seed(seed, SeedStream::kAuxiliary);
    parts.auxiliary = create<Task>(plugins, *config.auxiliary, context);
    parts.auxiliary_name = config.auxiliary->plugin;
    weights = {model.get_float("task_weight"), model.get_float("auxiliary_weight")};
  }
  return std::make_shared<MuxModel>(std::move(parts), context.num_instances, weights);
}

}  // namespace datamux
