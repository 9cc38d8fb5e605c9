#pragma once
// The CLI's experiments as library calls, so embedding programs and tests run exactly what
// `datamux train` and `datamux eval` run.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "datamux/core/trainer.h"

namespace datamux {

struct TrainRequest {
  std::filesystem::path config;
  std::vector<std::string> overrides;     // section.key=value
  std::filesystem::path out;
  std::vector<std::string> plugin_paths;  // --plugin-path entries
};

// Trains and writes the run directory (see run_directory.h). Progress lines go to
// `progress`. Everything that can be checked before training (config, plugins, options,
// device) is checked before `out` is created; a failure after that marks run.json "failed"
// and rethrows.
void train_experiment(const TrainRequest& request, std::ostream& progress);

struct EvalRequest {
  std::filesystem::path run;              // a run directory: config.json + model.pt
  std::vector<std::string> overrides;     // e.g. run.device=cpu
  std::vector<std::string> plugin_paths;
  std::filesystem::path logits_out;       // when set, the logits are saved there
  std::filesystem::path predictions_out;  // when set, predictions in `datamux score` formats
};

// Rebuilds the run's model from its config.json, loads model.pt and evaluates it.
EvaluationRecord evaluate_run(const EvalRequest& request);

// Saves a tensor under the key "logits" in a libtorch archive (read back with
// torch::serialize::InputArchive::read("logits", ...)).
void save_logits(const torch::Tensor& logits, const std::filesystem::path& path);

}  // namespace datamux
