#include <algorithm>
#include <set>

#include "datamux/core/json_file.h"
#include "datamux/core/sweep.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

const rapidjson::Value& member(const rapidjson::Value& object, const char* key,
                               const std::string& file) {
  if (!object.HasMember(key)) throw Error(file + ": missing key '" + key + "'");
  return object[key];
}

std::string checked_name(const std::string& name, const std::string& file, const std::string& key) {
  // Names become directory names: keep them to one plain path component.
  const bool plain = !name.empty() && name != "." && name != ".." &&
                     name.find_first_of("/\\\n\t ") == std::string::npos;
  if (!plain) throw Error(file + ": " + key + ": '" + name + "' must be a plain name (no spaces or slashes)");
  return name;
}

}  // namespace

SweepConfig SweepConfig::from_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw Error(path.string() + ": sweep config not found");
  const std::string file = path.string();
  const rapidjson::Document doc = read_json_file(path);
  if (!doc.IsObject()) throw Error(file + ": a sweep config must be a JSON object");
  static const std::set<std::string> known = {"name", "backbones", "num_instances", "warmup",
                                              "tasks", "set"};
  for (const auto& item : doc.GetObject())
    if (!known.count(item.name.GetString()))
      throw Error(file + ": unknown key '" + std::string(item.name.GetString()) +
                  "' (known: name, backbones, num_instances, warmup, tasks, set)");

  SweepConfig config;
  config.source = path;
  const auto base = path.parent_path();
  config.name = doc.HasMember("name") && doc["name"].IsString() ? doc["name"].GetString()
                                                                 : path.stem().string();

  const auto& backbones = member(doc, "backbones", file);
  if (!backbones.IsObject() || backbones.MemberCount() == 0)
    throw Error(file + ": 'backbones' must be an object: name -> backbone section");
  for (const auto& item : backbones.GetObject()) {
    const std::string name = checked_name(item.name.GetString(), file, "backbones");
    if (!item.value.IsObject() || !item.value.HasMember("plugin"))
      throw Error(file + ": backbones." + name + " must be a backbone section with a \"plugin\"");
    config.backbones.push_back({name, to_json_text(item.value, false)});
  }

  const auto& ns = member(doc, "num_instances", file);
  if (!ns.IsArray() || ns.Empty()) throw Error(file + ": 'num_instances' must be a list such as [1, 2, 5]");
  for (const auto& n : ns.GetArray()) {
    if (!n.IsInt64() || n.GetInt64() < 1 || n.GetInt64() > 64)
      throw Error(file + ": num_instances: every N must be an integer from 1 to 64");
    if (std::find(config.num_instances.begin(), config.num_instances.end(), n.GetInt64()) ==
        config.num_instances.end())
      config.num_instances.push_back(n.GetInt64());
  }
  std::sort(config.num_instances.begin(), config.num_instances.end());

  auto stage_file = [&](const rapidjson::Value& value, const std::string& key) {
    if (!value.IsString()) throw Error(file + ": " + key + ": expected a config file path");
    const std::filesystem::path stage = base / value.GetString();
    if (!std::filesystem::exists(stage))
      throw Error(file + ": " + key + ": " + stage.string() + ": config file not found");
    return stage;
  };
  config.warmup = stage_file(member(doc, "warmup", file), "warmup");
  const auto& tasks = member(doc, "tasks", file);
  if (!tasks.IsObject() || tasks.MemberCount() == 0)
    throw Error(file + ": 'tasks' must be an object: name -> finetuning config file");
  for (const auto& item : tasks.GetObject()) {
    const std::string name = checked_name(item.name.GetString(), file, "tasks");
    if (name == "warmup") throw Error(file + ": tasks: 'warmup' is the warm-up's name; choose another");
    config.tasks.push_back({name, stage_file(item.value, "tasks." + name)});
  }
  if (doc.HasMember("set")) {
    if (!doc["set"].IsArray()) throw Error(file + ": 'set' must be a list of \"section.key=value\"");
    for (const auto& assignment : doc["set"].GetArray()) {
      if (!assignment.IsString()) throw Error(file + ": 'set' must be a list of \"section.key=value\"");
      config.overrides.push_back(assignment.GetString());
    }
  }
  return config;
}

std::vector<SweepRun> plan_sweep(const SweepConfig& config) {
  std::vector<SweepRun> runs;
  for (const auto& backbone : config.backbones)
    for (std::int64_t n : config.num_instances) {
      const std::string prefix = backbone.name + "/n" + std::to_string(n) + "/";
      runs.push_back({prefix + "warmup", backbone.name, n, "warmup", "warmup", ""});
      for (const auto& task : config.tasks)
        runs.push_back({prefix + task.name, backbone.name, n, task.name, "finetune", prefix + "warmup"});
    }
  return runs;
}

std::string sweep_run_config(const SweepConfig& config, const SweepRun& run) {
  std::filesystem::path stage = config.warmup;
  for (const auto& task : config.tasks)
    if (task.name == run.task) stage = task.config;
  rapidjson::Document doc = read_json_file(stage);
  if (!doc.IsObject()) throw Error(stage.string() + ": a config must be a JSON object of sections");
  auto& a = doc.GetAllocator();
  for (const auto& backbone : config.backbones)
    if (backbone.name == run.backbone) {
      rapidjson::Document section = parse_json(backbone.section_json, config.source.string());
      doc.RemoveMember("backbone");
      doc.AddMember("backbone", rapidjson::Value(section, a), a);
    }
  if (!doc.HasMember("model")) doc.AddMember("model", rapidjson::Value(rapidjson::kObjectType), a);
  if (!doc["model"].IsObject()) throw Error(stage.string() + ": section 'model' must be a JSON object");
  doc["model"].RemoveMember("num_instances");
  doc["model"].AddMember("num_instances", run.num_instances, a);
  return to_json_text(doc);
}

}  // namespace datamux
