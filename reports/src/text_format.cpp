#include "datamux/reports/text_format.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <utility>

namespace datamux::reports {
namespace {

// How each byte is spelled in an escaped text: nullptr keeps it as it is.
using Escapes = std::array<const char*, 256>;

Escapes escapes(std::initializer_list<std::pair<char, const char*>> spellings) {
  Escapes table{};
  for (const auto& [c, spelling] : spellings) table[static_cast<unsigned char>(c)] = spelling;
  return table;
}

std::string escape(const std::string& text, const Escapes& table) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (const char* spelling = table[static_cast<unsigned char>(c)])
      out += spelling;
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string escape_html(const std::string& text) {
  static const Escapes html =
      escapes({{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}});
  return escape(text, html);
}

std::string escape_markdown(const std::string& text) {
  static const Escapes markdown = escapes({{'&', "&amp;"},
                                           {'<', "&lt;"},
                                           {'>', "&gt;"},
                                           {'\n', " "},
                                           {'\r', " "},
                                           {'\\', "\\\\"},
                                           {'|', "\\|"},
                                           {'*', "\\*"},
                                           {'`', "\\`"},
                                           {'[', "\\["},
                                           {']', "\\]"}});
  return escape(text, markdown);
}

std::string json_for_script_element(const std::string& json_text) {
  // These characters only occur inside JSON strings, where \uXXXX is an equivalent spelling.
  static const Escapes script = escapes({{'<', "\\u003c"}, {'>', "\\u003e"}, {'&', "\\u0026"}});
  return escape(json_text, script);
}

std::string json_string_literal(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string format_optional(const std::optional<double>& value, int decimals) {
  return value ? format_fixed(*value, decimals) : kNoValue;
}

std::string format_speedup(const std::optional<double>& ratio) {
  return ratio ? format_fixed(*ratio, 2) + "x" : kNoValue;
}

std::string utc_timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace datamux::reports
