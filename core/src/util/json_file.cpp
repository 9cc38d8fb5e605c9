#include "datamux/core/json_file.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "datamux/sdk/error.h"

namespace datamux {

bool read_file(const std::filesystem::path& path, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

rapidjson::Document read_json_file(const std::filesystem::path& path) {
  std::string text;
  if (!read_file(path, text)) throw Error(path.string() + ": cannot open file");
  return parse_json(text, path.string());
}

rapidjson::Document parse_json(const std::string& text, const std::string& source) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(text.c_str(),
                                                                                  text.size());
  if (doc.HasParseError()) {
    const std::size_t offset = doc.GetErrorOffset();
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw Error(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                ": invalid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}

std::string to_json_text(const rapidjson::Value& value, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    value.Accept(writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

rapidjson::Value json_string(const std::string& value,
                             rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

}  // namespace datamux
