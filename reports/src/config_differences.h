#pragma once
// The keys in which configs differ, for the compare report. A config is flattened to dotted
// keys ("train.precision", "backbone.preset"); objects nest, anything else (arrays included)
// is one value, compared as compact JSON text.
#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace datamux::reports {

// "section.key" -> the value as compact JSON text, in the config's order.
using FlatConfig = std::vector<std::pair<std::string, std::string>>;

FlatConfig flatten_config(const rapidjson::Value& config);

struct ConfigDifference {
  std::string key;
  std::vector<std::optional<std::string>> values;  // per config, JSON text; absent: no such key
};

// Every key whose value is not the same in all `configs` (missing from some counts as
// different), in order of first appearance.
std::vector<ConfigDifference> config_differences(const std::vector<FlatConfig>& configs);

}  // namespace datamux::reports
