#pragma once
// Typed component options. A component declares each option (type, default, help, bounds)
// in an OptionSchema backed by Boost.Program_options; the core fills the values from the JSON
// config and `--set section.key=value` and hands the component an Options object to read.
#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <sstream>
#include <optional>
#include <string>
#include <vector>

#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace datamux {

// The value types an option may have; they map one to one onto JSON types.
enum class OptionType { kInt, kFloat, kBool, kString };

inline const char* option_type_name(OptionType type) {
  switch (type) {
    case OptionType::kInt: return "int";
    case OptionType::kFloat: return "float";
    case OptionType::kBool: return "bool";
    case OptionType::kString: return "string";
  }
  return "?";
}

struct OptionInfo {
  std::string name;
  OptionType type;
  std::string default_text;  // as the user would write it in a config
  std::string help;
  std::string constraint;  // human-readable bounds or choices, empty when unconstrained
};

class OptionSchema {
 public:
  OptionSchema() : description_("options") {}

  // Each returns *this so declarations chain. Bounds are inclusive.
  OptionSchema& add_int(const std::string& name, std::int64_t default_value, const std::string& help,
                        std::optional<std::int64_t> min = std::nullopt,
                        std::optional<std::int64_t> max = std::nullopt);
  OptionSchema& add_float(const std::string& name, double default_value, const std::string& help,
                          std::optional<double> min = std::nullopt,
                          std::optional<double> max = std::nullopt);
  OptionSchema& add_bool(const std::string& name, bool default_value, const std::string& help);
  OptionSchema& add_string(const std::string& name, const std::string& default_value,
                           const std::string& help, std::vector<std::string> choices = {});

  const boost::program_options::options_description& description() const { return description_; }
  const std::vector<OptionInfo>& options() const { return infos_; }
  const OptionInfo* find(const std::string& name) const;

 private:
  void remember(OptionInfo info) {
    if (find(info.name) != nullptr) throw Error("option '" + info.name + "' is declared twice");
    infos_.push_back(std::move(info));
  }

  template <typename T>
  static std::string bounds_text(std::optional<T> min, std::optional<T> max) {
    if (min && max) return "in [" + text_of(*min) + ", " + text_of(*max) + "]";
    if (min) return ">= " + text_of(*min);
    if (max) return "<= " + text_of(*max);
    return "";
  }
  template <typename T>
  static std::string text_of(T value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }
  template <typename T>
  static std::function<void(const T&)> bounds_check(const std::string& name, std::optional<T> min,
                                                    std::optional<T> max) {
    return [name, min, max](const T& value) {
      if ((min && value < *min) || (max && value > *max))
        throw boost::program_options::validation_error(
            boost::program_options::validation_error::invalid_option_value, name,
            text_of(value) + " (must be " + bounds_text(min, max) + ")");
    };
  }

  boost::program_options::options_description description_;
  std::vector<OptionInfo> infos_;
};

// Resolved values of one section. Reading an undeclared name or the wrong type is a
// programming error in the component and is reported as such.
class Options {
 public:
  Options() = default;
  Options(std::string section, boost::program_options::variables_map values)
      : section_(std::move(section)), values_(std::move(values)) {}

  std::int64_t get_int(const std::string& name) const { return get<std::int64_t>(name); }
  double get_float(const std::string& name) const { return get<double>(name); }
  bool get_bool(const std::string& name) const { return get<bool>(name); }
  std::string get_string(const std::string& name) const { return get<std::string>(name); }
  const std::string& section() const { return section_; }

 private:
  template <typename T>
  T get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end())
      throw Error("option '" + section_ + "." + name + "' is read but was never declared");
    try {
      return it->second.as<T>();
    } catch (const boost::bad_any_cast&) {
      throw Error("option '" + section_ + "." + name + "' is read with the wrong type");
    }
  }

  std::string section_;
  boost::program_options::variables_map values_;
};

// A named set of option values (e.g. "roberta-base"); user values override it.
struct Preset {
  std::string name;
  std::string help;
  std::map<std::string, std::string> values;  // option name -> value as text
};

inline const OptionInfo* OptionSchema::find(const std::string& name) const {
  for (const auto& info : infos_)
    if (info.name == name) return &info;
  return nullptr;
}

inline OptionSchema& OptionSchema::add_int(const std::string& name, std::int64_t default_value,
                                           const std::string& help, std::optional<std::int64_t> min,
                                           std::optional<std::int64_t> max) {
  remember({name, OptionType::kInt, text_of(default_value), help, bounds_text(min, max)});
  description_.add_options()(name.c_str(),
                             boost::program_options::value<std::int64_t>()
                                 ->default_value(default_value)
                                 ->notifier(bounds_check(name, min, max)),
                             help.c_str());
  return *this;
}

inline OptionSchema& OptionSchema::add_float(const std::string& name, double default_value,
                                             const std::string& help, std::optional<double> min,
                                             std::optional<double> max) {
  remember({name, OptionType::kFloat, text_of(default_value), help, bounds_text(min, max)});
  description_.add_options()(name.c_str(),
                             boost::program_options::value<double>()
                                 ->default_value(default_value)
                                 ->notifier(bounds_check(name, min, max)),
                             help.c_str());
  return *this;
}

inline OptionSchema& OptionSchema::add_bool(const std::string& name, bool default_value,
                                            const std::string& help) {
  remember({name, OptionType::kBool, default_value ? "true" : "false", help, ""});
  description_.add_options()(
      name.c_str(), boost::program_options::value<bool>()->default_value(default_value),
      help.c_str());
  return *this;
}

inline OptionSchema& OptionSchema::add_string(const std::string& name,
                                              const std::string& default_value,
                                              const std::string& help,
                                              std::vector<std::string> choices) {
  std::string constraint;
  for (const auto& choice : choices) constraint += (constraint.empty() ? "one of " : ", ") + choice;
  remember({name, OptionType::kString, default_value, help, constraint});
  description_.add_options()(
      name.c_str(),
      boost::program_options::value<std::string>()->default_value(default_value)->notifier(
          [name, choices](const std::string& value) {
            if (choices.empty()) return;
            for (const auto& choice : choices)
              if (choice == value) return;
            const std::string all = join(choices);
            throw boost::program_options::validation_error(
                boost::program_options::validation_error::invalid_option_value, name,
                value + " (must be one of " + all + ")");
          }),
      help.c_str());
  return *this;
}

}  // namespace datamux
