#pragma once
// What a report says, independent of its format: sections of paragraphs, tables and charts.
// The run and sweep reports build one Document; markdown.h and html_page.h render it, so the
// two files always carry the same tables.
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace datamux::reports {

// A piece of text, optionally a link (`href` relative to the report's directory).
struct Text {
  Text() = default;
  Text(std::string text_) : text(std::move(text_)) {}  // NOLINT: plain text reads naturally
  Text(const char* text_) : text(text_) {}             // NOLINT
  Text(std::string text_, std::string href_) : text(std::move(text_)), href(std::move(href_)) {}
  std::string text;
  std::string href;
};

struct Paragraph {
  std::vector<Text> spans;
};

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<Text>> rows;
  std::size_t first_numeric_column = 1;  // columns from here on are right-aligned
  bool collapsed = false;                // long tables: folded in HTML (<details>)
};

// A Vega-Lite chart: only report.html draws it; report.md points there.
struct Chart {
  std::string title;
  std::string caption;
  std::string spec_json;
};

using Block = std::variant<Paragraph, Table, Chart>;

struct Section {
  std::string heading;
  std::vector<Block> blocks;
};

struct Document {
  std::string title;
  std::string generated_at;  // the one field that differs between regenerations
  std::string generator;     // "datamux 0.1.0"
  std::vector<Section> sections;
};

// The files a report consists of, in every report directory.
inline constexpr const char* kReportJsonName = "report.json";
inline constexpr const char* kReportMarkdownName = "report.md";
inline constexpr const char* kReportHtmlName = "report.html";

}  // namespace datamux::reports
