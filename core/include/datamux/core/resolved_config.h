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
  std::optional<ComponentChoice> retrieval;  // the auxiliary retrieval head, when finetuning

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

}  // namespace datamux
