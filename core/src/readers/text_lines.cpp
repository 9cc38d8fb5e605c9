#include "text_lines.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

#include "datamux/core/readers/examples.h"
#include "datamux/sdk/error.h"

namespace datamux {

namespace {
constexpr std::size_t kMaxWarnings = 50;
}  // namespace

void ReadReport::warn(const std::string& message) {
  ++skipped;
  if (warnings.size() < kMaxWarnings) warnings.push_back(message);
}

namespace readers {

std::string read_whole_file(const std::filesystem::path& file) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (status.type() == std::filesystem::file_type::not_found)
    throw Error(file.string() + ": file not found");
  if (status.type() == std::filesystem::file_type::directory)
    throw Error(file.string() + ": is a directory, not a file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot open file");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(file.string() + ": cannot read file");
  return content;
}

void fail_file(const std::string& source, const std::string& what) {
  throw Error(source + ": " + what);
}

std::size_t find_invalid_utf8(std::string_view text, std::string* reason) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  auto invalid = [&](std::size_t at, const char* why) {
    if (reason != nullptr) *reason = why;
    return at;
  };
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0x80 && lead <= 0xBF) return invalid(i, "unexpected continuation byte");
    if (lead == 0xC0 || lead == 0xC1) return invalid(i, "overlong encoding");
    if (lead <= 0xDF) {
      length = 2;
    } else if (lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // below: overlong
      if (lead == 0xED) high = 0x9F;  // above: UTF-16 surrogates U+D800..U+DFFF
    } else if (lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // below: overlong
      if (lead == 0xF4) high = 0x8F;  // above: beyond U+10FFFF
    } else {
      return invalid(i, "byte never used in UTF-8");
    }
    if (i + 1 >= size) return invalid(i, "truncated sequence");
    const unsigned char second = bytes[i + 1];
    if (second < 0x80 || second > 0xBF) return invalid(i, "truncated sequence");
    if (second < low) return invalid(i, "overlong encoding");
    if (second > high)
      return invalid(i, lead == 0xED ? "UTF-16 surrogate" : "code point above U+10FFFF");
    for (std::size_t k = 2; k < length; ++k) {
      if (i + k >= size || bytes[i + k] < 0x80 || bytes[i + k] > 0xBF)
        return invalid(i, "truncated sequence");
    }
    i += length;
  }
  return std::string_view::npos;
}

LineScanner::LineScanner(std::string_view text, std::string source)
    : text_(text), source_(std::move(source)) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
}

bool LineScanner::next(std::string_view& line) {
  if (position_ >= text_.size()) return false;
  const std::size_t end = text_.find('\n', position_);
  const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
  line = text_.substr(position_, stop - position_);
  position_ = end == std::string_view::npos ? text_.size() : end + 1;
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string reason;
  const std::size_t bad = find_invalid_utf8(line, &reason);
  if (bad != std::string_view::npos)
    fail("invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the line: " + reason);
  const std::size_t nul = line.find('\0');
  if (nul != std::string_view::npos)
    fail("NUL byte at byte " + std::to_string(nul + 1) + " of the line (not a text file?)");
  return true;
}

std::string LineScanner::where(std::size_t line) const {
  return source_ + ":" + std::to_string(line == 0 ? line_number_ : line);
}

void LineScanner::fail(const std::string& what, std::size_t line) const {
  throw Error(where(line) + ": " + what);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_blank(std::string_view text) { return trim(text).empty(); }

void split(std::string_view text, char separator, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      fields.push_back(text.substr(start));
      return;
    }
    fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

void split_whitespace(std::string_view text, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
}

std::string quote(std::string_view text, std::size_t max_bytes) {
  std::string out = "'";
  std::size_t taken = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Cut only before a byte that starts a character, so the message stays valid UTF-8.
    if (taken >= max_bytes && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
    ++taken;
  }
  return out + "'";
}

}  // namespace readers
}  // namespace datamux
