#include "datamux/core/resolved_config.h"

#include <algorithm>

#include "datamux/core/option_binding.h"
#include "datamux/sdk/join.h"

namespace datamux {

OptionSchema run_schema() {
  OptionSchema schema;
  schema.add_int("seed", 1, "seed of every random draw (weights, data order, multiplexer)")
      .add_string("device", "auto", "where to run: cpu, cuda, or auto (cuda when available)",
                  {"cpu", "cuda", "auto"})
      .add_int("threads", 0, "CPU threads for libtorch; 0 uses every core", 0)
      .add_string("precision", "fp32",
                  "fp32, or bf16 autocast (CUDA, or a CPU with AVX512_BF16/AMX-BF16)",
                  {"fp32", "bf16"});
  return schema;
}

OptionSchema model_schema() {
  OptionSchema schema;
  schema.add_int("num_instances", 2, "N, the instances multiplexed into one backbone input", 1, 64)
      .add_int("max_seq_length", 128, "longest instance in tokens; longer ones are truncated", 2)
      .add_bool("attention_mask", true,
                "mask padding in the backbone; false attends to pads like the reference code")
      .add_float("task_weight", 0.9,
                 "weight of the task loss when the config names an auxiliary objective", 0.0)
      .add_float("auxiliary_weight", 0.1,
                 "weight of the loss of the auxiliary objective (section auxiliary); 0 trains "
                 "the task alone (baselines)", 0.0);
  return schema;
}

OptionSchema data_schema() {
  OptionSchema schema;
  schema
      .add_string("format", "toy",
                  "toy (generated in memory), sst2, qnli, mnli, qqp (GLUE TSV), conll "
                  "(CoNLL-2003 columns) or text (raw corpus, no labels: for a warm-up objective)",
                  {"toy", "sst2", "qnli", "mnli", "qqp", "conll", "text"})
      .add_string("train_file", "", "training file of the chosen format")
      .add_string("eval_file", "", "evaluation file; empty holds out eval_fraction of train_file")
      .add_float("eval_fraction", 0.1, "share of train_file held out when eval_file is empty", 0.0, 1.0)
      .add_int("train_examples", 0, "use at most this many training examples; 0 = all (toy: 4000)", 0)
      .add_int("eval_examples", 0, "use at most this many evaluation examples; 0 = all (toy: 400)", 0)
      .add_string("tokenizer", "",
                  "SentencePiece model to use; empty trains one on the training texts")
      .add_string("tokenizer_corpus", "", "extra raw text (one paragraph a line) for training it")
      .add_int("vocab_size", 8000, "upper bound on the trained tokenizer's vocabulary", 100)
      .add_int("min_words", 4, "toy: shortest generated sentence, in words", 1)
      .add_int("max_words", 16, "toy: longest generated sentence, in words", 1)
      .add_int("vocab_words", 200, "toy: ordinary words in the generated vocabulary", 10);
  return schema;
}

OptionSchema train_schema() {
  OptionSchema schema;
  schema.add_int("steps", 1000, "optimizer steps", 1)
      .add_int("batch_size", 8, "groups per step; each group holds N instances", 1)
      .add_float("learning_rate", 5e-5, "peak learning rate of AdamW", 0.0)
      .add_float("weight_decay", 0.01, "AdamW weight decay", 0.0)
      .add_int("warmup_steps", 0, "steps of linear learning-rate warm-up before linear decay", 0)
      .add_float("max_grad_norm", 1.0, "gradient clipping norm; 0 disables clipping", 0.0)
      .add_int("log_every", 10, "steps between progress lines", 1)
      .add_int("eval_every", 0, "steps between evaluations; 0 evaluates only at the end", 0)
      .add_int("checkpoint_every", 500,
               "steps between resumable checkpoints; 0 writes one only on interruption", 0)
      .add_int("keep_checkpoints", 2, "resumable checkpoints kept (the newest); best.pt is extra", 1)
      .add_int("throughput_repeats", 3,
               "timed inference passes over the evaluation set after each evaluation (median "
               "reported); 0 skips the measurement", 0)
      .add_string("init_from", "",
                  "run directory to start from (a warm-up): its tokenizer, backbone, multiplexer, "
                  "demultiplexer, and its objective's head for an auxiliary of the same component");
  return schema;
}

namespace {

const std::set<std::string> kCoreSections = {"run", "model", "data", "train"};
const std::set<std::string> kComponentKeys = {"plugin", "preset"};
const char* const kAuxiliarySection = "auxiliary";

BoundSection bind_core(const ExperimentConfig& config, const std::string& name, OptionSchema schema) {
  Options options = bind_options(name, schema, config.section(name), {}, "the core");
  return BoundSection{name, std::move(schema), std::move(options)};
}

ComponentChoice bind_component(const ExperimentConfig& config, PluginHost& plugins,
                               ComponentKind kind, const std::string& section_name = "") {
  const std::string section = section_name.empty() ? kind_name(kind) : section_name;
  const RawSection& raw = config.section(section);
  std::string plugin;
  if (auto it = raw.find("plugin"); it != raw.end()) {
    if (it->second.json_type && *it->second.json_type != OptionType::kString)
      throw Error(it->second.origin + ": " + section + ".plugin: expected a plugin name string");
    plugin = it->second.text;
  }
  if (plugin.empty())
    throw Error(config.source() + ": section '" + section +
                "' must name its plugin (\"plugin\": \"...\"); see `datamux plugins list`");
  const ComponentEntry& entry = plugins.require_entry(kind, plugin);
  OptionSchema schema;
  if (entry.declare_options) entry.declare_options(schema);
  // "preset": "tiny" means "<plugin>-tiny" when the plugin has no preset named "tiny", so one
  // sweep config can pick the same size class for every backbone.
  RawSection values = raw;
  if (auto it = values.find("preset"); it != values.end()) {
    auto named = [&](const std::string& name) {
      return std::any_of(entry.presets.begin(), entry.presets.end(),
                         [&](const Preset& p) { return p.name == name; });
    };
    if (!named(it->second.text) && named(plugin + "-" + it->second.text))
      it->second.text = plugin + "-" + it->second.text;
  }
  Options options = bind_options(section, schema, values, entry.presets,
                                 std::string(kind_name(kind)) + " '" + plugin + "'", kComponentKeys);
  std::string preset;
  if (auto it = values.find("preset"); it != values.end()) preset = it->second.text;
  return ComponentChoice{kind, plugin, preset, BoundSection{section, std::move(schema), std::move(options)}};
}

// The demultiplexer's layout for the config's N, as it declares it.
DemultiplexerLayout declared_layout(const ComponentChoice& choice, std::int64_t num_instances,
                                    PluginHost& plugins) {
  const Registered<Demultiplexer>& registered = plugins.require<Demultiplexer>(choice.plugin);
  try {
    return registered.spec.declares.layout(choice.section.options, num_instances);
  } catch (const std::exception& error) {
    throw Error("demultiplexer '" + choice.plugin + "' (plugin " +
                registered.plugin->path.string() + "): model.num_instances = " +
                std::to_string(num_instances) + ": " + error.what());
  }
}

}  // namespace

bool is_objective(PluginHost& plugins, const std::string& task) {
  return plugins.require<Task>(task).spec.declares.objective;
}

ResolvedConfig resolve_config(const ExperimentConfig& config, PluginHost& plugins) {
  std::vector<std::string> known(kCoreSections.begin(), kCoreSections.end());
  for (ComponentKind kind : all_kinds()) known.push_back(kind_name(kind));
  known.push_back(kAuxiliarySection);
  for (const auto& name : config.section_names()) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const std::string hint = closest_name(name, known);
    const auto& first = config.section(name);
    const std::string origin = first.empty() ? config.source() : first.begin()->second.origin;
    throw Error(origin + ": unknown section '" + name + "' (" +
                (hint.empty() ? "known sections: " + join(known, ", ") : "did you mean '" + hint + "'?") +
                ")");
  }
  ResolvedConfig resolved{
      bind_core(config, "run", run_schema()),
      bind_core(config, "model", model_schema()),
      bind_core(config, "data", data_schema()),
      bind_core(config, "train", train_schema()),
      bind_component(config, plugins, ComponentKind::kBackbone),
      bind_component(config, plugins, ComponentKind::kMultiplexer),
      bind_component(config, plugins, ComponentKind::kDemultiplexer),
      bind_component(config, plugins, ComponentKind::kTask),
      std::nullopt,
  };
  resolved.layout = declared_layout(resolved.demultiplexer,
                                    resolved.model.options.get_int("num_instances"), plugins);
  resolved.task_is_objective = is_objective(plugins, resolved.task.plugin);

  // The auxiliary objective: the component the config names, when its weight is not 0
  // (a baseline keeps the section and sets model.auxiliary_weight = 0).
  const RawSection& auxiliary = config.section(kAuxiliarySection);
  if (auxiliary.empty()) return resolved;
  const std::string origin = auxiliary.begin()->second.origin;
  if (resolved.task_is_objective)
    throw Error(origin + ": section 'auxiliary' adds an auxiliary objective, but the task '" +
                resolved.task.plugin + "' is an objective itself (a warm-up trains it alone)");
  ComponentChoice choice = bind_component(config, plugins, ComponentKind::kTask, kAuxiliarySection);
  if (!is_objective(plugins, choice.plugin))
    throw Error(origin + ": auxiliary.plugin: task '" + choice.plugin +
                "' does not declare itself an objective (it needs labels), so it cannot be an "
                "auxiliary loss; see `datamux plugins list`");
  if (resolved.model.options.get_float("auxiliary_weight") > 0) resolved.auxiliary.emplace(std::move(choice));
  return resolved;
}

rapidjson::Document ResolvedConfig::to_json() const {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  for (const BoundSection* section : {&run, &model, &data, &train})
    doc.AddMember(rapidjson::Value(section->name.c_str(), a),
                  options_to_json(section->schema, section->options, a), a);
  std::vector<const ComponentChoice*> choices = {&backbone, &multiplexer, &demultiplexer, &task};
  if (auxiliary) choices.push_back(&*auxiliary);
  for (const ComponentChoice* choice : choices) {
    rapidjson::Value values = options_to_json(choice->section.schema, choice->section.options, a);
    rapidjson::Value object(rapidjson::kObjectType);
    object.AddMember("plugin", rapidjson::Value(choice->plugin.c_str(), a), a);
    if (!choice->preset.empty())
      object.AddMember("preset", rapidjson::Value(choice->preset.c_str(), a), a);
    for (auto& member : values.GetObject()) object.AddMember(member.name, member.value, a);
    doc.AddMember(rapidjson::Value(choice->section.name.c_str(), a), object, a);
  }
  return doc;
}

}  // namespace datamux
