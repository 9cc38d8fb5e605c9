#pragma once
// The CLI's experiments as library calls, so embedding programs and tests run exactly what
// `datamux train` and `datamux eval` run.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "datamux/core/trainer.h"

namespace datamux {

// Which command asked: pretrain and finetune check that the config fits them.
enum class RunCommand { kTrain, kPretrain, kFinetune };
const char* command_name(RunCommand command);

struct TrainRequest {
  RunCommand command = RunCommand::kTrain;
  std::filesystem::path config;           // may be empty when resuming
  std::vector<std::string> overrides;     // section.key=value
  std::filesystem::path out;
  std::vector<std::string> plugin_paths;  // --plugin-path entries
  std::filesystem::path from;             // finetune: the warm-up run, or a checkpoint in one
  bool resume = false;                    // continue `out` from its last checkpoint
  bool allow_changed_data = false;        // resume even if a data file changed (warned, recorded)
  bool progress_bar = false;              // a self-updating line (a terminal) or plain lines
};

enum class TrainOutcome { kTrained, kAlreadyComplete };

// Trains and writes the run directory (docs/run-records.md). Progress goes to `progress`.
// Everything that can be checked before training (config, plugins, options, device, data) is
// checked before `out` is created. A failure after that marks run.json "failed" and rethrows;
// SIGINT/SIGTERM/SIGHUP finish the step, write a checkpoint, mark it "interrupted" and throw
// Interrupted. With `resume`, a run directory holding a run continues from its newest
// usable checkpoint (a damaged newer one is set aside, said and recorded) with its own
// config.json (only run.* values may be overridden; a --config must resolve to the same) and
// the same data files (by sha256, unless allow_changed_data); a complete run is left as it is
// (kAlreadyComplete); an absent or empty one starts afresh. The directory is locked (RunLock)
// for the whole call: a second process is refused with the holder's pid.
TrainOutcome train_experiment(const TrainRequest& request, std::ostream& progress);

struct EvalRequest {
  std::filesystem::path run;              // a run directory: config.json + model.pt
  std::filesystem::path weights;          // another weights file (best.pt, a checkpoint)
  std::filesystem::path data;             // another evaluation file (data.eval_file)
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
