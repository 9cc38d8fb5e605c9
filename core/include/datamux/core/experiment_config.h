#pragma once
// The raw experiment config: a JSON object of sections, each an object of scalar values,
// plus `--set section.key=value` overrides. Values stay text with their origin until they are
// bound to a component's declared options (option_binding.h), which knows their types.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "datamux/sdk/options.h"

namespace datamux {

struct RawValue {
  std::string text;
  std::optional<OptionType> json_type;  // the JSON literal's type; none for `--set` text
  std::string origin;                   // the config file, or "--set section.key=value"
};

using RawSection = std::map<std::string, RawValue>;

// Throws Error unless `assignment` has the form section.key=value (the value may be empty).
void check_assignment(const std::string& assignment);

class ExperimentConfig {
 public:
  ExperimentConfig() = default;
  static ExperimentConfig from_file(const std::filesystem::path& path);
  // `source` names the text in messages (a file name, or e.g. "<inline config>").
  static ExperimentConfig from_json_text(const std::string& text, const std::string& source);

  // Applies one `section.key=value` override.
  void set(const std::string& assignment);

  // The section's values, or an empty section when the config has none.
  const RawSection& section(const std::string& name) const;
  std::vector<std::string> section_names() const;
  const std::string& source() const { return source_; }

 private:
  static ExperimentConfig from_document(const rapidjson::Document& doc,
                                            const std::string& source);

  std::string source_ = "<no config file>";
  std::map<std::string, RawSection> sections_;
};

}  // namespace datamux
