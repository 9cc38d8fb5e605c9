#pragma once
// Small RapidJSON helpers for the reports: building report.json (absent values become null,
// strings are always copied, with the core's json_string) and showing a record's JSON value
// as text.
#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>

#include "datamux/core/json_file.h"
#include "datamux/reports/run_records.h"

namespace datamux::reports {

using JsonAllocator = rapidjson::Document::AllocatorType;

inline rapidjson::Value json_number_or_null(const std::optional<double>& value) {
  return value ? rapidjson::Value(*value) : rapidjson::Value();
}

inline rapidjson::Value json_integer_or_null(const std::optional<std::int64_t>& value) {
  return value ? rapidjson::Value(static_cast<int64_t>(*value)) : rapidjson::Value();
}

inline rapidjson::Value json_text_or_null(const std::string& text, JsonAllocator& allocator) {
  return text.empty() ? rapidjson::Value() : json_string(text, allocator);
}

// A record value as a table shows it: a string's own text, anything else as compact JSON.
inline std::string json_value_text(const rapidjson::Value& value) {
  return value.IsString() ? std::string(value.GetString(), value.GetStringLength())
                          : to_json_text(value, false);
}

inline void add_member(rapidjson::Value& object, const std::string& key, rapidjson::Value value,
                       JsonAllocator& allocator) {
  object.AddMember(json_string(key, allocator), value, allocator);
}

// {"name": value, ...} in the record's order.
inline rapidjson::Value json_named_values(const NamedValues& values, JsonAllocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  for (const auto& [name, value] : values)
    add_member(object, name, rapidjson::Value(value), allocator);
  return object;
}

// A JSON array of one object per element of `items`, each filled in by `fill(object, item)`.
template <typename Items, typename Fill>
rapidjson::Value json_object_array(const Items& items, JsonAllocator& allocator, Fill fill) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& item : items) {
    rapidjson::Value object(rapidjson::kObjectType);
    fill(object, item);
    array.PushBack(object, allocator);
  }
  return array;
}

}  // namespace datamux::reports
