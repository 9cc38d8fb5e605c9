#include "run_record.h"

#include <fstream>

#include <torch/torch.h>
#include <unistd.h>

#include "datamux/core/json_file.h"
#include "datamux/core/version.h"
#include "datamux/sdk/error.h"
#include "metrics_log.h"

namespace datamux {
RunRecord::RunRecord(const RunDirectory& directory, const std::string& command)
    : directory_(directory), doc_(rapidjson::kObjectType) {
  set("schema_version", rapidjson::Value(kSchemaVersion));
  set_text("datamux_version", toolkit_version());
  set_text("status", "running");
  set_text("command", command);
}

void RunRecord::adopt(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return;
  rapidjson::Document earlier = read_json_file(file);
  if (!earlier.IsObject()) throw Error(file.string() + ": not a run record (expected an object)");
  const std::string command = doc_["command"].GetString();
  doc_.Swap(earlier);
  set("schema_version", rapidjson::Value(kSchemaVersion));
  set_text("datamux_version", toolkit_version());  // the version that wrote it last
  set_text("command", command);
}

void RunRecord::set(const char* key, rapidjson::Value value) {
  auto& a = doc_.GetAllocator();
  if (doc_.HasMember(key)) doc_[key] = value;
  else doc_.AddMember(rapidjson::Value(key, a), value, a);
}

void RunRecord::set_text(const char* key, const std::string& value) {
  set(key, json_string(value, doc_.GetAllocator()));
}

void RunRecord::set_evaluation(const char* key, const EvaluationRecord& evaluation) {
  auto& a = doc_.GetAllocator();
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("step", evaluation.step, a);
  object.AddMember("loss", evaluation.loss, a);
  for (const auto& [name, value] : evaluation.metrics)
    object.AddMember(json_string(name, a), rapidjson::Value(value), a);
  object.AddMember("counts", counts_array(evaluation.counts, a), a);
  set(key, std::move(object));
}

void RunRecord::set_throughput(const Throughput& throughput) {
  set("throughput", throughput_object(throughput, doc_.GetAllocator()));
}

void RunRecord::set_steps_done(std::int64_t step) {
  set("steps_done", rapidjson::Value(step));
  for (const char* key : {"final_eval", "best_eval"}) {
    if (!doc_.HasMember(key)) continue;
    const auto& evaluation = doc_[key];
    if (!evaluation.IsObject() || !evaluation.HasMember("step") || !evaluation["step"].IsInt64() ||
        evaluation["step"].GetInt64() > step)
      doc_.RemoveMember(key);
  }
}

void RunRecord::append(const char* key, rapidjson::Value item) {
  if (!doc_.HasMember(key) || !doc_[key].IsArray()) set(key, rapidjson::Value(rapidjson::kArrayType));
  doc_[key].PushBack(item, doc_.GetAllocator());
}

void RunRecord::write() const { directory_.write_json("run.json", doc_); }

rapidjson::Value plugins_json(const PluginHost& plugins, rapidjson::Document::AllocatorType& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& record : plugins.loaded()) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("name", json_string(record->name, a), a);
    item.AddMember("version", json_string(record->version, a), a);
    item.AddMember("path", json_string(std::filesystem::absolute(record->path).string(), a), a);
    item.AddMember("sha256", json_string(record->sha256, a), a);
    item.AddMember("build_key", json_string(record->build_key, a), a);
    list.PushBack(item, a);
  }
  return list;
}

rapidjson::Value environment_json(const torch::Device& device, rapidjson::Document::AllocatorType& a) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  rapidjson::Value env(rapidjson::kObjectType);
  env.AddMember("device", json_string(device.str(), a), a);
  env.AddMember("libtorch", json_string(TORCH_VERSION, a), a);
  env.AddMember("blas", json_string(loaded_blas(), a), a);
  env.AddMember("threads", at::get_num_threads(), a);
  env.AddMember("host", json_string(host, a), a);
  return env;
}

std::string loaded_blas() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  for (const char* name : {"libopenblas", "libmkl", "libblis", "libblas"}) {
    maps.clear();
    maps.seekg(0);
    while (std::getline(maps, line)) {
      const auto slash = line.find('/');
      if (slash != std::string::npos && line.find(name, slash) != std::string::npos)
        return line.substr(slash);
    }
  }
  return "unknown";
}

std::string run_status(const std::filesystem::path& run) {
  const auto file = run / "run.json";
  if (!std::filesystem::exists(file)) return "";
  const auto record = read_json_file(file);
  if (!record.IsObject() || !record.HasMember("status") || !record["status"].IsString()) return "";
  return record["status"].GetString();
}

}  // namespace datamux
