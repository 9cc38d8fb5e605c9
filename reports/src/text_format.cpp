#include "datamux/reports/text_format.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cctype>
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
  static const Escapes markdown = escapes({{'\n', " "},
                                           {'\r', " "},
                                           {'\\', "\\\\"},
                                           {'|', "\\|"},
                                           {'*', "\\*"},
                                           {'`', "\\`"},
                                           {'[', "\\["},
                                           {']', "\\]"}});
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    const bool opens_markup =
        (c == '<' && (std::isalpha(next) || next == '/' || next == '!' || next == '?')) ||
        (c == '&' && (std::isalpha(next) || next == '#')) ||
        (c == '>' && text.find_first_not_of(' ') == i);
    if (opens_markup) {
      out += '\\';
      out += c;
    } else if (const char* spelling = markdown[static_cast<unsigned char>(c)]) {
      out += spelling;
    } else {
      out += c;
    }
  }
  return out;
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

std::string format_metric(double value, bool count) {
  return format_fixed(value, count ? 0 : kMetricDecimals);
}

std::string format_optional_metric(const std::optional<double>& value, bool count) {
  return value ? format_metric(*value, count) : kNoValue;
}

std::string format_difference(double difference, bool count) {
  const std::string text = format_metric(difference, count);
  // A difference that rounds to zero reads "+0.0000", never "-0.0000".
  if (text.find_first_not_of("-0.") == std::string::npos) return "+" + format_metric(0, count);
  return text.front() == '-' ? text : "+" + text;
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
