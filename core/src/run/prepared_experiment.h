#pragma once
// What train and eval both need before they differ: plugins, bound config, device, data and
// the assembled model (with weights from train.init_from when set). Private to the core.
#include <memory>

#include "datamux/core/data_source.h"
#include "datamux/core/experiment_config.h"
#include "datamux/core/mux_model.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/resolved_config.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/temporary_directory.h"

namespace datamux {

struct PreparedExperiment {
  std::unique_ptr<PluginHost> plugins;
  ResolvedConfig config;
  torch::Device device;
  DataSplits data;
  std::shared_ptr<MuxModel> model;  // on `device`
  std::unique_ptr<TemporaryDirectory> scratch;  // holds a newly trained tokenizer
};

PreparedExperiment prepare_experiment(const ExperimentConfig& raw,
                                      const std::vector<std::string>& plugin_paths,
                                      const DataReuse& reuse = {});

// What a run directory keeps of its data: tokenizer.model and data.json (label names,
// sizes, everything skipped or truncated), so eval and finetuning reuse them.
void write_data_record(const RunDirectory& out, const DataSplits& data);

// Reuse of a run's tokenizer and labels (eval, resume, and runs started from it), as its
// data.json records them; a recorded file that is missing is an error naming it.
DataReuse reuse_of_run(const std::filesystem::path& run);

// The run directory a train.init_from value means: the directory itself, or the run a weights
// file or checkpoint lies in. Errors name what is missing.
std::filesystem::path init_run_of(const std::filesystem::path& from);

// The task plugin a run trained, from its config.json.
std::string task_plugin_of_run(const std::filesystem::path& run);

}  // namespace datamux
