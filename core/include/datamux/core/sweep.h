#pragma once
// The study's grid, run unattended: for each backbone and each N, the retrieval warm-up, then
// each task finetuned from it. N = 1 runs are the baselines (the study's B2: the same pipeline
// with nothing multiplexed). Each run gets its own directory; rerunning the same command skips
// complete runs and resumes unfinished ones. Records: docs/run-records.md.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace datamux {

// A sweep config (configs/demo/sweep.json): which backbones, which N, and one ordinary
// experiment config per stage, each of which the sweep copies with its backbone section
// replaced and model.num_instances set.
struct SweepConfig {
  struct Backbone {
    std::string name;
    std::string section_json;  // the backbone section every run of it uses
  };
  struct Task {
    std::string name;
    std::filesystem::path config;
  };

  std::filesystem::path source;
  std::string name;
  std::vector<Backbone> backbones;
  std::vector<std::int64_t> num_instances;
  std::filesystem::path warmup;
  std::vector<Task> tasks;
  std::vector<std::string> overrides;  // "set": applied to every run

  // Stage config paths are relative to the sweep file. Errors name the file and key.
  static SweepConfig from_file(const std::filesystem::path& path);
};

struct SweepRun {
  std::string id;       // also its directory under the sweep's: "roberta/n2/sst2"
  std::string backbone;
  std::int64_t num_instances;
  std::string task;     // "warmup" or a task's name
  std::string role;     // "warmup" or "finetune"
  std::string from;     // the warm-up's id, for finetuning runs
};

// Warm-up first, then its finetunes, backbone by backbone and N by N.
std::vector<SweepRun> plan_sweep(const SweepConfig& config);

// One run's experiment config: the stage's file with the sweep's backbone and N.
std::string sweep_run_config(const SweepConfig& config, const SweepRun& run);

struct SweepRequest {
  std::filesystem::path config;
  std::filesystem::path out;
  std::vector<std::string> overrides;     // --set, after the sweep's own "set"
  std::vector<std::string> plugin_paths;
  bool progress_bar = false;
  // Called after each run it trained (complete, failed or interrupted), e.g. for its report.
  std::function<void(const std::filesystem::path& run)> after_run;
};

struct SweepSummary {
  int complete = 0;  // including those complete before
  int failed = 0;
  int skipped = 0;   // finetunes whose warm-up failed
};

// Runs (or continues) every run of the grid and keeps DIR/sweep.json current. A failed run is
// recorded and the sweep goes on (its finetunes are skipped); SIGINT/SIGTERM stop the sweep
// after the current run has written its checkpoint, and Interrupted is rethrown.
SweepSummary run_sweep(const SweepRequest& request, std::ostream& progress);

}  // namespace datamux
