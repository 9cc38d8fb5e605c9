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
  std::vector<std::string> keys;
  for (const auto& config : configs)
    for (const auto& entry : config)
      if (std::find(keys.begin(), keys.end(), entry.first) == keys.end())
        keys.push_back(entry.first);
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
