#include "resume_checks.h"

#include "datamux/core/json_file.h"
#include "datamux/core/sha256.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

constexpr const char* kDataFileKeys[] = {"train_file", "eval_file", "tokenizer", "tokenizer_corpus"};

std::string short_hash(const std::string& sha256) {
  return sha256.empty() ? "none" : sha256.substr(0, 12) + "...";
}

// The dotted name of the first member that differs between two JSON objects, or "".
std::string first_difference(const rapidjson::Value& a, const rapidjson::Value& b,
                             const std::string& prefix) {
  if (!a.IsObject() || !b.IsObject()) return a == b ? "" : (prefix.empty() ? "<config>" : prefix);
  for (const auto& member : a.GetObject()) {
    const std::string name = prefix + (prefix.empty() ? "" : ".") + member.name.GetString();
    if (!b.HasMember(member.name)) return name;
    const std::string inner = first_difference(member.value, b[member.name], name);
    if (!inner.empty()) return inner;
  }
  for (const auto& member : b.GetObject())
    if (!a.HasMember(member.name)) return prefix + (prefix.empty() ? "" : ".") + member.name.GetString();
  return "";
}

}  // namespace

std::vector<DataFile> fingerprint_data_files(const ResolvedConfig& config) {
  std::vector<DataFile> files;
  for (const char* key : kDataFileKeys) {
    const std::string path = config.data.options.get_string(key);
    if (path.empty()) continue;
    DataFile file{std::string("data.") + key, std::filesystem::absolute(path).string()};
    std::error_code error;
    file.size = std::filesystem::file_size(path, error);
    if (error) throw Error(path + " (" + file.key + "): cannot read: " + error.message());
    file.sha256 = sha256_file(path);
    files.push_back(std::move(file));
  }
  return files;
}

rapidjson::Value data_files_json(const std::vector<DataFile>& files,
                                 rapidjson::Document::AllocatorType& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& file : files) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("key", json_string(file.key, a), a);
    item.AddMember("path", json_string(file.path, a), a);
    item.AddMember("size", static_cast<std::uint64_t>(file.size), a);
    item.AddMember("sha256", json_string(file.sha256, a), a);
    list.PushBack(item, a);
  }
  return list;
}

std::string DataChange::describe() const {
  const std::string& key = now.key.empty() ? before.key : now.key;
  const std::string& path = now.path.empty() ? before.path : now.path;
  return key + " " + path + " changed since the run started (sha256 " + short_hash(before.sha256) +
         " -> " + short_hash(now.sha256) + ")";
}

std::vector<DataChange> changed_data_files(const rapidjson::Value& recorded,
                                           const std::vector<DataFile>& now) {
  std::vector<DataFile> before;
  if (recorded.IsArray())
    for (const auto& item : recorded.GetArray()) {
      if (!item.IsObject() || !item.HasMember("key") || !item.HasMember("sha256")) continue;
      DataFile file{item["key"].GetString(), item.HasMember("path") ? item["path"].GetString() : ""};
      file.sha256 = item["sha256"].GetString();
      before.push_back(std::move(file));
    }
  std::vector<DataChange> changes;
  for (const auto& old : before) {
    DataFile current;
    for (const auto& file : now)
      if (file.key == old.key) current = file;
    if (current.sha256 != old.sha256) changes.push_back({old, current});
  }
  for (const auto& file : now) {
    bool known = false;
    for (const auto& old : before) known = known || old.key == file.key;
    if (!known) changes.push_back({DataFile{}, file});
  }
  return changes;
}

void check_same_config(const std::filesystem::path& other, const std::filesystem::path& saved,
                       const std::vector<std::string>& overrides, PluginHost& plugins) {
  ExperimentConfig given = ExperimentConfig::from_file(other);
  ExperimentConfig own = ExperimentConfig::from_file(saved);
  for (const auto& assignment : overrides) {
    given.set(assignment);
    own.set(assignment);
  }
  const auto given_json = resolve_config(given, plugins).to_json();
  const auto own_json = resolve_config(own, plugins).to_json();
  const std::string difference = first_difference(given_json, own_json, "");
  if (!difference.empty())
    throw Error(other.string() + ": differs from the config of the run being resumed (" +
                saved.string() + ") at " + difference +
                "; --resume continues a run with its own config: drop --config, or train into a "
                "new --out");
}

}  // namespace datamux
