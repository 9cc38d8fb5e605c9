#include "datamux/core/run_directory.h"

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux {

RunDirectory RunDirectory::create(std::filesystem::path path) {
  std::error_code error;
  if (std::filesystem::exists(path) && !std::filesystem::is_directory(path))
    throw Error(path.string() + ": output path exists and is not a directory");
  if (std::filesystem::is_directory(path) && !std::filesystem::is_empty(path))
    throw Error(path.string() +
                ": output directory is not empty; choose a new --out (or --resume to continue it)");
  std::filesystem::create_directories(path / "checkpoints", error);
  if (error) throw Error(path.string() + ": cannot create output directory: " + error.message());
  return RunDirectory(std::move(path));
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

}  // namespace datamux
