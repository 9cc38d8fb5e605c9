#include "datamux/core/option_binding.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace po = boost::program_options;

namespace datamux {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool json_type_fits(OptionType declared, OptionType given) {
  return declared == given || (declared == OptionType::kFloat && given == OptionType::kInt);
}

std::string known_keys(const OptionSchema& schema) {
  const std::string out = join(schema.options(), ", ", [](const OptionInfo& info) { return info.name; });
  return out.empty() ? "none" : out;
}

}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

Options bind_options(const std::string& section, const OptionSchema& schema, const RawSection& raw,
                     const std::vector<Preset>& presets, const std::string& owner,
                     const std::set<std::string>& ignored_keys) {
  // Later layers override earlier ones: preset, then config file and --set (already merged).
  std::map<std::string, RawValue> merged;
  if (auto preset_it = raw.find("preset"); preset_it != raw.end() && ignored_keys.count("preset")) {
    const RawValue& wanted = preset_it->second;
    auto preset = std::find_if(presets.begin(), presets.end(),
                               [&](const Preset& p) { return p.name == wanted.text; });
    if (preset == presets.end()) {
      const std::string names = join(presets, ", ", [](const Preset& p) { return p.name; });
      throw Error(wanted.origin + ": " + section + ".preset: unknown preset '" + wanted.text +
                  "' of " + owner + " (available: " + (names.empty() ? "none" : names) + ")");
    }
    for (const auto& [key, text] : preset->values)
      merged[key] = RawValue{text, std::nullopt, owner + " preset '" + preset->name + "'"};
  }
  for (const auto& [key, value] : raw)
    if (!ignored_keys.count(key)) merged[key] = value;

  po::variables_map values;
  for (const auto& [key, value] : merged) {
    const OptionInfo* info = schema.find(key);
    if (info == nullptr) {
      std::vector<std::string> names;
      for (const auto& option : schema.options()) names.push_back(option.name);
      const std::string hint = closest_name(key, names);
      throw Error(value.origin + ": unknown key '" + key + "' in section '" + section + "' (" +
                  (hint.empty() ? "known keys of " + owner + ": " + known_keys(schema)
                                : "did you mean '" + hint + "'?") +
                  ")");
    }
    if (value.json_type && !json_type_fits(info->type, *value.json_type))
      throw Error(value.origin + ": " + section + "." + key + ": expected " +
                  option_type_name(info->type) + ", found " + option_type_name(*value.json_type) +
                  " '" + value.text + "'");
    try {
      po::parsed_options parsed(&schema.description());
      parsed.options.emplace_back(key, std::vector<std::string>{value.text});
      po::store(parsed, values);
      const auto& description = schema.description().find(key, false);
      description.semantic()->notify(values[key].value());
    } catch (const po::error& error) {
      throw Error(value.origin + ": " + section + "." + key + ": invalid value '" + value.text +
                  "' for a " + option_type_name(info->type) + " option" +
                  (info->constraint.empty() ? "" : " " + info->constraint) + " (" + error.what() +
                  ")");
    }
    // Bounds cannot catch NaN (every comparison is false), and text such as "inf" or "1e999"
    // parses as infinity: no float option has a use for either.
    if (info->type == OptionType::kFloat && !std::isfinite(values[key].as<double>()))
      throw Error(value.origin + ": " + section + "." + key + ": '" + value.text +
                  "' is not a finite number");
  }
  po::store(po::parsed_options(&schema.description()), values);  // fills the defaults
  po::notify(values);
  return Options(section, std::move(values));
}

rapidjson::Value options_to_json(const OptionSchema& schema, const Options& options,
                                 rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  for (const auto& info : schema.options()) {
    rapidjson::Value key(info.name.c_str(), allocator);
    switch (info.type) {
      case OptionType::kInt: object.AddMember(key, options.get_int(info.name), allocator); break;
      case OptionType::kFloat:
        object.AddMember(key, options.get_float(info.name), allocator);
        break;
      case OptionType::kBool: object.AddMember(key, options.get_bool(info.name), allocator); break;
      case OptionType::kString:
        object.AddMember(key, rapidjson::Value(options.get_string(info.name).c_str(), allocator),
                         allocator);
        break;
    }
  }
  return object;
}

}  // namespace datamux
