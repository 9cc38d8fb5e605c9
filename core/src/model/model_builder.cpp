#include "datamux/core/model_builder.h"

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
  // splitmix64 of (seed, stream): well-mixed, stable across platforms and libtorch versions.
  std::uint64_t z = run_seed + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(stream) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
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
  context.tokens = data.tokens;
  if (context.num_instances > context.tokens.num_index)
    throw Error("model.num_instances: N = " + std::to_string(context.num_instances) +
                " exceeds the " + std::to_string(context.tokens.num_index) +
                " reserved index tokens");

  // The backbone is built first (its width d sizes everything else), before the
  // demultiplexer's prefix length is known; it gets room for the longest prefix of the
  // method, the index prefix of N + 1 positions.
  const std::int64_t max_prefix = context.num_instances + 1;
  context.max_length = model.get_int("max_seq_length") + max_prefix;

  ModelComponents parts;
  context.seed = component_seed(seed, SeedStream::kBackbone);
  parts.backbone = create<Backbone>(plugins, config.backbone, context);
  context.hidden_size = parts.backbone->hidden_size();

  context.seed = component_seed(seed, SeedStream::kMultiplexer);
  parts.multiplexer = create<Multiplexer>(plugins, config.multiplexer, context);
  context.seed = component_seed(seed, SeedStream::kDemultiplexer);
  parts.demultiplexer = create<Demultiplexer>(plugins, config.demultiplexer, context);
  if (parts.demultiplexer->prefix_length() > max_prefix)
    throw Error("demultiplexer '" + config.demultiplexer.plugin + "' asks for a prefix of " +
                std::to_string(parts.demultiplexer->prefix_length()) +
                " positions; at most N + 1 = " + std::to_string(max_prefix) + " are supported");
  context.seed = component_seed(seed, SeedStream::kTask);
  parts.task = create<Task>(plugins, config.task, context);
  LossWeights weights{1.0, 0.0};
  if (config.retrieval) {
    context.seed = component_seed(seed, SeedStream::kAuxiliaryRetrieval);
    parts.retrieval = create<Task>(plugins, *config.retrieval, context);
    weights = {model.get_float("task_weight"), model.get_float("retrieval_weight")};
  }
  return std::make_shared<MuxModel>(std::move(parts), context.num_instances, weights);
}

}  // namespace datamux
