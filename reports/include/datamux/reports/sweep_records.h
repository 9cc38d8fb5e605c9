#pragma once
// A sweep directory's records: sweep.json and, for every run that has started, its run
// directory's records (run_records.h).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "datamux/reports/run_records.h"

namespace datamux::reports {

struct SweepTask {
  std::string name;
  std::string primary_metric;  // "" until one of the task's runs has started
};

// One entry of sweep.json's "runs".
struct SweepRunEntry {
  std::string id;
  std::string dir;  // relative to the sweep directory
  std::string backbone;
  std::int64_t num_instances = 0;
  std::string task;  // a task name, or "warmup"
  std::string role;  // warmup | finetune
  std::string from;  // the warm-up run a finetuning run starts from ("" if none)
  std::string status;
};

struct SweepRecord {
  std::int64_t schema_version = 0;
  std::string name;
  std::string config_source;
  std::string status;
  std::vector<std::string> backbones;
  std::vector<std::int64_t> num_instances;
  std::vector<SweepTask> tasks;
  std::vector<SweepRunEntry> runs;
};

struct SweepRun {
  SweepRunEntry entry;
  // Absent for a run that has not started (status "pending", or no run.json yet and not
  // "complete"); a run marked complete must have its records.
  std::optional<RunRecords> records;
};

struct SweepRecords {
  std::filesystem::path dir;
  SweepRecord sweep;
  std::vector<SweepRun> runs;  // sweep.json's order
};

SweepRecord read_sweep_json(const std::filesystem::path& file);
SweepRecords read_sweep_records(const std::filesystem::path& sweep_dir);

}  // namespace datamux::reports
