#pragma once
// Reading and writing the JSON records (configs, manifests, run records).
#include <filesystem>
#include <string>

#include <rapidjson/document.h>

#include "datamux/core/durable_file.h"  // write_file_atomically, for the records

namespace datamux {

// The whole file's bytes into `content`; false when it cannot be opened (callers word the error).
bool read_file(const std::filesystem::path& path, std::string& content);

// Parses a JSON file; a syntax error names the file, line and column, and a key repeated
// within one object is an error naming the file and the line of its second occurrence.
// Comments, trailing commas and NaN/Infinity literals are accepted (option binding then
// refuses non-finite values by key).
rapidjson::Document read_json_file(const std::filesystem::path& path);
// Parses JSON text the same way; `source` names it in errors ("source:line:column: ...").
rapidjson::Document parse_json(const std::string& text, const std::string& source);

std::string to_json_text(const rapidjson::Value& value, bool pretty = true);

// A JSON string holding a copy of `value`, owned by `allocator`'s document.
rapidjson::Value json_string(const std::string& value,
                             rapidjson::Document::AllocatorType& allocator);

}  // namespace datamux
