#include "record_fields.h"

#include <cmath>

#include "datamux/reports/run_records.h"
#include "datamux/sdk/error.h"

namespace datamux::reports {

RecordFields::RecordFields(const rapidjson::Value& object, std::string where, std::string prefix)
    : object_(object), where_(std::move(where)), prefix_(std::move(prefix)) {
  if (!object_.IsObject())
    throw Error(where_ + ": " +
                (prefix_.empty() ? std::string("the record") : "'" + prefix_ + "'") +
                " must be a JSON object");
}

std::string RecordFields::path(const std::string& key) const {
  return prefix_.empty() ? key : prefix_ + "." + key;
}

void RecordFields::fail(const std::string& key, const std::string& problem) const {
  throw Error(where_ + ": '" + path(key) + "' " + problem);
}

bool RecordFields::has(const char* key) const {
  const auto found = object_.FindMember(key);
  return found != object_.MemberEnd() && !found->value.IsNull();
}

const rapidjson::Value& RecordFields::member(const char* key) const {
  const auto found = object_.FindMember(key);
  if (found == object_.MemberEnd()) throw Error(where_ + ": missing key '" + path(key) + "'");
  return found->value;
}

std::string RecordFields::string(const char* key) const {
  const auto& value = member(key);
  if (!value.IsString()) fail(key, "must be a string");
  return std::string(value.GetString(), value.GetStringLength());
}

std::string RecordFields::optional_string(const char* key) const {
  return has(key) ? string(key) : std::string();
}

double RecordFields::number(const char* key) const {
  const auto& value = member(key);
  if (!value.IsNumber()) fail(key, "must be a number");
  return value.GetDouble();
}

std::optional<double> RecordFields::optional_number(const char* key) const {
  if (!has(key)) return std::nullopt;
  return number(key);
}

std::int64_t RecordFields::integer(const char* key) const {
  const auto& value = member(key);
  if (value.IsInt64()) return value.GetInt64();
  // Some writers print whole numbers as 300.0; accept those, refuse fractions.
  if (value.IsDouble() && std::floor(value.GetDouble()) == value.GetDouble())
    return static_cast<std::int64_t>(value.GetDouble());
  fail(key, "must be an integer");
}

std::optional<std::int64_t> RecordFields::optional_integer(const char* key) const {
  if (!has(key)) return std::nullopt;
  return integer(key);
}

RecordFields RecordFields::object(const char* key) const {
  const auto& value = member(key);
  if (!value.IsObject()) fail(key, "must be a JSON object");
  return RecordFields(value, where_, path(key));
}

std::optional<RecordFields> RecordFields::optional_object(const char* key) const {
  if (!has(key)) return std::nullopt;
  return object(key);
}

const rapidjson::Value& RecordFields::array(const char* key) const {
  const auto& value = member(key);
  if (!value.IsArray()) fail(key, "must be an array");
  return value;
}

std::int64_t read_schema_version(const RecordFields& record) {
  const std::int64_t version = record.integer("schema_version");
  if (version < 1 || version > kRunRecordSchemaVersion)
    throw Error(record.where() + ": schema_version " + std::to_string(version) +
                " is not one this datamux reads (1 to " + std::to_string(kRunRecordSchemaVersion) +
                ")");
  return version;
}

}  // namespace datamux::reports
