#pragma once
// Private to the readers: reading a whole file, walking its lines (LF or CRLF, the last
// newline optional), UTF-8 validation, and the small string helpers every reader needs.
// Standard library and datamux/sdk/error.h only, so the fuzz targets build without the core.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace datamux::readers {

// The bytes of `file`. Throws Error "<file>: file not found", "<file>: is a directory, not a
// file" or "<file>: cannot read file".
std::string read_whole_file(const std::filesystem::path& file);

// Throws Error "<source>: <what>" (a problem of the whole file, no line to name).
[[noreturn]] void fail_file(const std::string& source, const std::string& what);

// Where the first invalid UTF-8 sequence in `text` starts, or npos when it is all valid.
// `reason` (when not null) receives why: a stray continuation byte, an overlong encoding, a
// surrogate, a code point above U+10FFFF, a truncated sequence or a byte never used in UTF-8.
std::size_t find_invalid_utf8(std::string_view text, std::string* reason = nullptr);

// The lines of a text, one at a time: "\n" ends a line and one "\r" before it is dropped; a
// last line without "\n" counts, a text ending in "\n" has no extra empty line after it; a
// UTF-8 byte order mark at the very start is skipped. Every line returned is valid UTF-8
// without NUL bytes (the scanner throws "<source>:<line>: ..." otherwise).
class LineScanner {
 public:
  LineScanner(std::string_view text, std::string source);

  // True when there is no line at all (an empty file, or one holding only a byte order mark).
  bool empty() const { return text_.empty(); }

  // The next line, or false at the end of the text.
  bool next(std::string_view& line);

  std::size_t line_number() const { return line_number_; }  // of the line last returned
  const std::string& source() const { return source_; }

  // "<source>:<line>: <what>" for the line last returned (or `line` when given).
  std::string where(std::size_t line = 0) const;
  [[noreturn]] void fail(const std::string& what, std::size_t line = 0) const;

 private:
  std::string_view text_;
  std::string source_;
  std::size_t position_ = 0;
  std::size_t line_number_ = 0;
};

bool is_space(char c);  // ASCII whitespace: space, \t, \n, \v, \f, \r
std::string_view trim(std::string_view text);
bool is_blank(std::string_view text);  // empty or ASCII whitespace only

// Splits on every `separator`: "a\t\tb" gives three fields, "" gives one empty field.
void split(std::string_view text, char separator, std::vector<std::string_view>& fields);
// Splits on runs of ASCII whitespace, dropping empty fields.
void split_whitespace(std::string_view text, std::vector<std::string_view>& fields);

// `text` in single quotes for a one-line message: control bytes escaped as \xNN, cut (at a
// character boundary) after `max_bytes` bytes with "..." appended.
std::string quote(std::string_view text, std::size_t max_bytes = 40);

}  // namespace datamux::readers
