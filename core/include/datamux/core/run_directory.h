#pragma once
// The directory a run writes: its records are what reports and resumption read later.
//   config.json     the resolved config (every value, defaults included)
//   run.json        status (running/complete/failed), plugins, environment, final metrics
//   metrics.jsonl   one JSON object per logged step and per evaluation
//   model.pt        the trained model
#include <filesystem>
#include <fstream>
#include <string>

#include <rapidjson/document.h>

namespace datamux {

class RunDirectory {
 public:
  // Creates `path`; refuses a directory that already holds files so no run is overwritten.
  explicit RunDirectory(std::filesystem::path path);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

  void write_json(const std::string& name, const rapidjson::Value& value) const;
  // Appends one compact JSON line to metrics.jsonl and flushes it.
  void append_metrics(const rapidjson::Value& value);

 private:
  std::filesystem::path path_;
  std::ofstream metrics_;
};

}  // namespace datamux
