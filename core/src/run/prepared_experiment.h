#pragma once
// What train and eval both need before they differ: plugins, bound config, device, data and
// the assembled model. Private to the core.
#include <memory>

#include "datamux/core/dataset.h"
#include "datamux/core/experiment_config.h"
#include "datamux/core/mux_model.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/resolved_config.h"

namespace datamux {

struct PreparedExperiment {
  std::unique_ptr<PluginHost> plugins;
  ResolvedConfig config;
  torch::Device device;
  Dataset train_data;
  Dataset eval_data;
  std::shared_ptr<MuxModel> model;  // on `device`
};

PreparedExperiment prepare_experiment(const ExperimentConfig& raw,
                                      const std::vector<std::string>& plugin_paths);

}  // namespace datamux
