#include "config_differences.h"

#include <algorithm>

#include "datamux/core/json_file.h"

namespace datamux::reports {
namespace {

void flatten(const rapidjson::Value& value, const std::string& key, FlatConfig& out) {
  if (!value.IsObject() || value.MemberCount() == 0) {
    out.emplace_back(key, to_json_text(value, false));
    return;
  }
  for (const auto& member : value.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    flatten(member.value, key.empty() ? name : key + "." + name, out);
  }
}

std::optional<std::string> value_of(const FlatConfig& config, const std::string& key) {
  for (const auto& [name, value] : config)
    if (name == key) return value;
  return std::nullopt;
}

}  // namespace

FlatConfig flatten_config(const rapidjson::Value& config) {
  FlatConfig out;
  flatten(config, "", out);
  return out;
}

std::vector<ConfigDifference> config_differences(const std::vector<FlatConfig>& configs) {
  // Every key once, in the configs' order: a key only a later config has goes right after
  // the key that precedes it there (run.precision after run.device, not at the end).
  std::vector<std::string> keys;
  for (const auto& config : configs) {
    auto insert_at = keys.begin();
    for (const auto& entry : config) {
      const auto known = std::find(keys.begin(), keys.end(), entry.first);
      insert_at = known != keys.end() ? known + 1 : keys.insert(insert_at, entry.first) + 1;
    }
  }
  std::vector<ConfigDifference> differences;
  for (const auto& key : keys) {
    ConfigDifference difference{key, {}};
    for (const auto& config : configs) difference.values.push_back(value_of(config, key));
    const bool all_same = std::all_of(difference.values.begin(), difference.values.end(),
                                      [&](const auto& value) { return value == difference.values.front(); });
    if (!all_same) differences.push_back(std::move(difference));
  }
  return differences;
}

}  // namespace datamux::reports
