#pragma once
// The study's grid, run unattended: for each backbone and each N, the retrieval warm-up, then
// each task finetuned from it. N = 1 runs are the baselines (the study's B2: the same pipeline
// with nothing multiplexed). Each run gets its own directory; rerunning the same command skips
// complete runs and resumes unfinished ones. Records: docs/run-records.md.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
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

// The I-th of K disjoint slices of a grid, for a cluster's job array (docs/distributed.md).
struct SweepShard {
  int index = 0;
  int count = 1;
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// "I/K" with 0 <= I < K; errors name the option.
SweepShard parse_sweep_shard(const std::string& text);
// Slurm's job array: SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN) of
// SLURM_ARRAY_TASK_COUNT; none outside an array.
std::optional<SweepShard> sweep_shard_from_environment();

// The runs of `shard`, in the order it trains them: warm-ups and finetunes are each dealt
// round-robin over the shards (so every shard gets its share of both), and a shard trains its
// warm-ups before its finetunes. A finetune whose warm-up another shard has not finished
// waits for it, or trains it itself when no process holds it (run_sweep).
std::vector<SweepRun> shard_runs(const std::vector<SweepRun>& runs, const SweepShard& shard);
// Which shard of `count` trains runs[index].
int shard_of_run(const std::vector<SweepRun>& runs, std::size_t index, int count);

// Serialises the processes of one sweep around sweep.json and the sweep's report: a blocking
// flock on DIR/.sweep.lock, released by the kernel when its holder dies.
class SweepDirectoryLock {
 public:
  explicit SweepDirectoryLock(const std::filesystem::path& directory);
  ~SweepDirectoryLock();
  SweepDirectoryLock(const SweepDirectoryLock&) = delete;
  SweepDirectoryLock& operator=(const SweepDirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

struct SweepRequest {
  std::filesystem::path config;
  std::filesystem::path out;
  std::vector<std::string> overrides;     // --set, after the sweep's own "set"
  std::vector<std::string> plugin_paths;
  bool progress_bar = false;
  std::optional<SweepShard> shard;  // all runs when absent
  // Called after each run it trained (complete, failed or interrupted), e.g. for its report.
  std::function<void(const std::filesystem::path& run)> after_run;
};

struct SweepSummary {
  int complete = 0;  // including those complete before
  int failed = 0;
  int skipped = 0;   // finetunes whose warm-up failed
};

// Runs (or continues) every run of the grid, or of its shard, and keeps DIR/sweep.json current
// (merged with what other shards wrote). A failed run is recorded and the sweep goes on (its
// finetunes are skipped); SIGINT/SIGTERM stop the sweep after the current run has written its
// checkpoint, and Interrupted is rethrown. Unsharded, a run another process holds is skipped;
// sharded, it is waited for, as the shards of one array share their runs' warm-ups.
SweepSummary run_sweep(const SweepRequest& request, std::ostream& progress);

}  // namespace datamux
