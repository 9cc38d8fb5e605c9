#include "datamux/core/json_file.h"

#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/reader.h>
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

namespace {

constexpr unsigned kParseFlags = rapidjson::kParseCommentsFlag |
                                 rapidjson::kParseTrailingCommasFlag |
                                 rapidjson::kParseNanAndInfFlag;

// The 1-based line of byte `offset` in `text`, and its column.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// A SAX pass that finds the first key repeated within one object, at any depth. RapidJSON's
// DOM keeps both members and lookups find the first, so a repeated key would be silently
// half-honoured; it is refused instead.
class DuplicateKeyFinder
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DuplicateKeyFinder> {
 public:
  explicit DuplicateKeyFinder(const rapidjson::StringStream& stream) : stream_(stream) {}

  bool Default() { return true; }
  bool StartObject() {
    open_objects_.emplace_back();
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    open_objects_.pop_back();
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    std::string key(text, length);
    if (open_objects_.back().insert(key).second) return true;
    duplicate_ = std::move(key);
    offset_ = stream_.Tell();  // just past the second occurrence
    return false;              // stops the pass
  }

  const std::optional<std::string>& duplicate() const { return duplicate_; }
  std::size_t offset() const { return offset_; }

 private:
  const rapidjson::StringStream& stream_;
  std::vector<std::set<std::string>> open_objects_;
  std::optional<std::string> duplicate_;
  std::size_t offset_ = 0;
};

}  // namespace

rapidjson::Document parse_json(const std::string& text, const std::string& source) {
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(text.c_str(), text.size());
  if (doc.HasParseError()) {
    const auto [line, column] = line_and_column(text, doc.GetErrorOffset());
    throw Error(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                ": invalid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  rapidjson::StringStream stream(text.c_str());
  DuplicateKeyFinder finder(stream);
  rapidjson::Reader().Parse<kParseFlags>(stream, finder);
  if (finder.duplicate())
    throw Error(source + ":" + std::to_string(line_and_column(text, finder.offset()).first) +
                ": duplicate key \"" + *finder.duplicate() + "\"");
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
