#pragma once
// Typed access to one JSON object of a record, with one-line errors that name the file (and
// line, for metrics.jsonl) and the full key path at fault, e.g.
// "runs/a/run.json: missing key 'environment.host'".
#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>

namespace datamux::reports {

class RecordFields {
 public:
  // `where` is "FILE" or "FILE:LINE"; `prefix` the key path of `object` ("" at the top).
  RecordFields(const rapidjson::Value& object, std::string where, std::string prefix = "");

  bool has(const char* key) const;
  std::string string(const char* key) const;
  std::string optional_string(const char* key) const;  // "" when absent
  double number(const char* key) const;
  std::optional<double> optional_number(const char* key) const;
  std::int64_t integer(const char* key) const;
  std::optional<std::int64_t> optional_integer(const char* key) const;
  RecordFields object(const char* key) const;
  std::optional<RecordFields> optional_object(const char* key) const;
  const rapidjson::Value& array(const char* key) const;
  // Calls `read(element, element_key)` for each element of the array `key`, in order;
  // element_key is "key[i]", the key to name in fail().
  template <typename Read>
  void for_each_element(const char* key, Read read) const {
    const auto& elements = array(key);
    for (rapidjson::SizeType i = 0; i < elements.Size(); ++i)
      read(elements[i], std::string(key) + "[" + std::to_string(i) + "]");
  }
  // The same for an array of JSON objects: calls `read(element)` with each one's fields.
  template <typename Read>
  void for_each_object(const char* key, Read read) const {
    for_each_element(key, [&](const rapidjson::Value& element, const std::string& element_key) {
      read(RecordFields(element, where_, path(element_key)));
    });
  }

  const rapidjson::Value& value() const { return object_; }
  const std::string& where() const { return where_; }
  // The key path of `key` inside this object, for messages ("final_eval.step").
  std::string path(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

 private:
  const rapidjson::Value& member(const char* key) const;

  const rapidjson::Value& object_;
  std::string where_;
  std::string prefix_;
};

// The record's "schema_version", refused unless this datamux reads it (1 to
// kRunRecordSchemaVersion).
std::int64_t read_schema_version(const RecordFields& record);

}  // namespace datamux::reports
