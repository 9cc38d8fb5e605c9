#pragma once
// The directory a run writes; its records (docs/run-records.md) are what reports, `eval` and
// `--resume` read later.
#include <filesystem>
#include <string>

#include <rapidjson/document.h>

namespace datamux {

class RunDirectory {
 public:
  // Creates `path`; refuses a directory that already holds files so no run is overwritten.
  static RunDirectory create(std::filesystem::path path);
  // Opens the directory of an earlier run, to continue it.
  static RunDirectory reopen(std::filesystem::path path);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }
  std::filesystem::path checkpoints() const { return path_ / "checkpoints"; }

  // Written atomically (temporary file + rename).
  void write_json(const std::string& name, const rapidjson::Value& value) const;

 private:
  explicit RunDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// Whether `path` holds a run (its config.json) that --resume can continue.
bool is_run_directory(const std::filesystem::path& path);

}  // namespace datamux
