#pragma once
// Binds raw config values to a declared OptionSchema: defaults, then a preset, then the
// config, then --set. Unknown keys, wrong types and out-of-range values are errors that name
// the file (or the --set argument), the section and the key.
#include <set>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "datamux/core/experiment_config.h"
#include "datamux/sdk/options.h"

namespace datamux {

// `ignored_keys` are handled by the caller (e.g. "plugin", "preset") and skipped here.
// `owner` names what declares the schema, for messages ("plugin 'roberta'").
Options bind_options(const std::string& section, const OptionSchema& schema,
                     const RawSection& raw, const std::vector<Preset>& presets,
                     const std::string& owner, const std::set<std::string>& ignored_keys = {});

// Every declared option of `options` as a JSON object, defaults included.
rapidjson::Value options_to_json(const OptionSchema& schema, const Options& options,
                                 rapidjson::Document::AllocatorType& allocator);

// The closest name within a small edit distance, or "" (for "did you mean" hints).
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace datamux
