#include "datamux/core/experiment_config.h"

#include <cstdio>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

RawValue raw_from_json(const rapidjson::Value& value, const std::string& where,
                       const std::string& origin) {
  if (value.IsBool()) return {value.GetBool() ? "true" : "false", OptionType::kBool, origin};
  if (value.IsInt64()) return {std::to_string(value.GetInt64()), OptionType::kInt, origin};
  if (value.IsNumber()) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value.GetDouble());
    return {text, OptionType::kFloat, origin};
  }
  if (value.IsString()) return {value.GetString(), OptionType::kString, origin};
  throw Error(origin + ": " + where + ": expected a number, a string or a boolean");
}

}  // namespace

ExperimentConfig ExperimentConfig::from_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw Error(path.string() + ": config file not found");
  return from_document(read_json_file(path), path.string());
}

ExperimentConfig ExperimentConfig::from_json_text(const std::string& text,
                                                  const std::string& source) {
  return from_document(parse_json(text, source), source);
}

ExperimentConfig ExperimentConfig::from_document(const rapidjson::Document& doc,
                                                     const std::string& source) {
  ExperimentConfig config;
  config.source_ = source;
  if (!doc.IsObject()) throw Error(source + ": a config must be a JSON object of sections");
  for (const auto& section : doc.GetObject()) {
    const std::string name = section.name.GetString();
    if (!section.value.IsObject())
      throw Error(source + ": section '" + name + "' must be a JSON object");
    auto& raw = config.sections_[name];
    for (const auto& item : section.value.GetObject()) {
      const std::string key = item.name.GetString();
      raw[key] = raw_from_json(item.value, name + "." + key, source);
    }
  }
  return config;
}

void check_assignment(const std::string& assignment) {
  const auto equals = assignment.find('=');
  const std::string path = assignment.substr(0, equals);
  const auto dot = path.find('.');
  if (equals == std::string::npos || dot == std::string::npos || dot == 0 ||
      dot + 1 == path.size())
    throw Error("--set '" + assignment + "': expected section.key=value");
}

void ExperimentConfig::set(const std::string& assignment) {
  check_assignment(assignment);
  const auto equals = assignment.find('=');
  const std::string path = assignment.substr(0, equals);
  const auto dot = path.find('.');
  sections_[path.substr(0, dot)][path.substr(dot + 1)] =
      RawValue{assignment.substr(equals + 1), std::nullopt, "--set " + assignment};
}

const RawSection& ExperimentConfig::section(const std::string& name) const {
  static const RawSection empty;
  auto it = sections_.find(name);
  return it == sections_.end() ? empty : it->second;
}

std::vector<std::string> ExperimentConfig::section_names() const {
  std::vector<std::string> names;
  for (const auto& [name, values] : sections_) names.push_back(name);
  return names;
}

}  // namespace datamux
