#pragma once
// The directory a run writes; its records (docs/run-records.md) are what reports, `eval` and
// `--resume` read later.
#include <filesystem>
#include <string>

#include <rapidjson/document.h>

namespace datamux {

class RunDirectory {
 public:
  // Creates `path`; refuses a directory that already holds files so no run is overwritten,
  // except one that an earlier start left half-made (left_half_made): that one is emptied and
  // reused. The caller holds the directory's RunLock, so nobody else is starting in it.
  static RunDirectory create(std::filesystem::path path);
  // Opens the directory of an earlier run, to continue it.
  static RunDirectory reopen(std::filesystem::path path);

  const std::filesystem::path& path() const { return path_; }
  bool reused() const { return reused_; }  // create() emptied a half-made directory
  std::filesystem::path file(const std::string& name) const { return path_ / name; }
  std::filesystem::path checkpoints() const { return path_ / "checkpoints"; }

  // Written atomically (temporary file + rename).
  void write_json(const std::string& name, const rapidjson::Value& value) const;

 private:
  explicit RunDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
  bool reused_ = false;
};

// Whether `path` holds a run (its config.json) that --resume can continue.
bool is_run_directory(const std::filesystem::path& path);

// Whether `path` holds nothing of value that a run's start-up did not leave: at most a datamux
// run.json that never got past step 0 (not complete), the records written beside it at start
// (config.json, data.json, tokenizer.model, an empty metrics.jsonl, the report of that failed
// start), the lock, temporaries, and a checkpoints/ directory without checkpoints. Without a
// run.json, only the lock, temporaries and that empty checkpoints/ count. Anything else (a
// step, a weights file, an unknown file) is kept and the directory refused.
bool left_half_made(const std::filesystem::path& path);

}  // namespace datamux
