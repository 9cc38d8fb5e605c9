#include "datamux/core/run_directory.h"

#include <set>

#include "datamux/core/json_file.h"
#include "datamux/core/run_lock.h"
#include "datamux/sdk/error.h"

namespace datamux {

RunDirectory RunDirectory::create(std::filesystem::path path) {
  std::error_code error;
  if (std::filesystem::exists(path) && !std::filesystem::is_directory(path))
    throw Error(path.string() + ": output path exists and is not a directory");
  bool reused = false;
  if (std::filesystem::is_directory(path)) {
    if (!left_half_made(path))
      throw Error(path.string() +
                  ": output directory is not empty; choose a new --out (or --resume to continue it)");
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().filename() == RunLock::kFileName) continue;
      std::filesystem::remove_all(entry.path(), error);
      if (error) throw Error(entry.path().string() + ": cannot remove it to reuse the half-made run "
                             "directory: " + error.message());
      reused = true;
    }
  }
  std::filesystem::create_directories(path / "checkpoints", error);
  if (error) throw Error(path.string() + ": cannot create output directory: " + error.message());
  RunDirectory directory(std::move(path));
  directory.reused_ = reused;
  return directory;
}

RunDirectory RunDirectory::reopen(std::filesystem::path path) {
  if (!is_run_directory(path)) throw Error(path.string() + ": not a run directory (no config.json)");
  std::error_code error;
  std::filesystem::create_directories(path / "checkpoints", error);
  if (error) throw Error(path.string() + ": cannot write into the run directory: " + error.message());
  return RunDirectory(std::move(path));
}

void RunDirectory::write_json(const std::string& name, const rapidjson::Value& value) const {
  write_file_atomically(path_ / name, to_json_text(value) + "\n");
}

bool is_run_directory(const std::filesystem::path& path) {
  return std::filesystem::is_regular_file(path / "config.json");
}

namespace {

// A run.json datamux wrote, for a run that never completed a step.
bool unstarted_record(const std::filesystem::path& file) {
  std::string text;
  if (!read_file(file, text)) return false;
  rapidjson::Document record;
  record.Parse(text.c_str(), text.size());
  if (record.HasParseError() || !record.IsObject() || !record.HasMember("schema_version") ||
      !record.HasMember("command"))
    return false;
  if (record.HasMember("status") && record["status"].IsString() &&
      std::string(record["status"].GetString()) == "complete")
    return false;
  return !record.HasMember("steps_done") ||
         (record["steps_done"].IsInt64() && record["steps_done"].GetInt64() == 0);
}

}  // namespace

bool left_half_made(const std::filesystem::path& path) {
  const bool has_record = std::filesystem::exists(path / "run.json");
  if (has_record && !unstarted_record(path / "run.json")) return false;
  static const std::set<std::string> kStartUpFiles = {
      "run.json", "config.json", "data.json", "tokenizer.model",
      "report.json", "report.md", "report.html"};
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    const std::string name = entry.path().filename().string();
    if (name == RunLock::kFileName || is_temporary_file(name)) continue;
    if (name == "checkpoints" && entry.is_directory()) {
      for (const auto& inner : std::filesystem::directory_iterator(entry.path()))
        if (!is_temporary_file(inner.path())) return false;
      continue;
    }
    if (!has_record) return false;
    if (name == "metrics.jsonl" && entry.is_regular_file() && entry.file_size() == 0) continue;
    if (!kStartUpFiles.count(name) || !entry.is_regular_file()) return false;
  }
  return true;
}

}  // namespace datamux
