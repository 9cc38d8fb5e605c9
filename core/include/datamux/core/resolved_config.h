#pragma once
// A config with every value bound to a declared option: the core's own sections
// (run, model, data, train) and one section per component role, each naming its plugin.
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "datamux/core/experiment_config.h"
#include "datamux/core/plugin_host.h"

namespace datamux {

struct BoundSection {
  std::string name;
  OptionSchema schema;
  Options options;
};

struct ComponentChoice {
  ComponentKind kind;
  std::string plugin;  // the component's registered name
  std::string preset;  // empty when none was chosen
  BoundSection section;
};

struct ResolvedConfig {
  BoundSection run, model, data, train;
  ComponentChoice backbone, multiplexer, demultiplexer, task;
  // The auxiliary objective trained beside the task (section "auxiliary"), when the config
  // names one and model.auxiliary_weight > 0.
  std::optional<ComponentChoice> auxiliary;
  // What the components declared (sdk/registrar.h, Declarations): the demultiplexer's prefix
  // and reserved tokens for model.num_instances, and whether the task is an objective.
  DemultiplexerLayout layout;
  bool task_is_objective = false;

  // Everything a run used, defaults included: rerunning this file reproduces the run.
  rapidjson::Document to_json() const;
};

// The schemas of the core's own sections, also shown by `datamux plugins describe core`.
OptionSchema run_schema();
OptionSchema model_schema();
OptionSchema data_schema();
OptionSchema train_schema();

// Binds every section; loads the plugins the config names. Unknown sections are errors.
ResolvedConfig resolve_config(const ExperimentConfig& config, PluginHost& plugins);

// Whether the task component `task` declares itself an objective (sdk/registrar.h), loading
// the plugin that provides it.
bool is_objective(PluginHost& plugins, const std::string& task);

}  // namespace datamux
