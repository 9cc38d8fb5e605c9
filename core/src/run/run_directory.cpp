#include "datamux/core/run_directory.h"

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux {

RunDirectory::RunDirectory(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code error;
  if (std::filesystem::exists(path_) && !std::filesystem::is_directory(path_))
    throw Error(path_.string() + ": output path exists and is not a directory");
  if (std::filesystem::is_directory(path_) && !std::filesystem::is_empty(path_))
    throw Error(path_.string() + ": output directory is not empty; choose a new --out");
  std::filesystem::create_directories(path_, error);
  if (error) throw Error(path_.string() + ": cannot create output directory: " + error.message());
  metrics_.open(path_ / "metrics.jsonl", std::ios::out | std::ios::trunc);
  if (!metrics_) throw Error((path_ / "metrics.jsonl").string() + ": cannot create file");
}

void RunDirectory::write_json(const std::string& name, const rapidjson::Value& value) const {
  write_file_atomically(path_ / name, to_json_text(value) + "\n");
}

void RunDirectory::append_metrics(const rapidjson::Value& value) {
  metrics_ << to_json_text(value, false) << '\n';
  metrics_.flush();
  if (!metrics_) throw Error((path_ / "metrics.jsonl").string() + ": write failed");
}

}  // namespace datamux
