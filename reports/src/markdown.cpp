#include "datamux/reports/markdown.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "datamux/reports/text_format.h"

namespace datamux::reports {
namespace {

std::string render_text(const Text& text) {
  if (text.href.empty()) return escape_markdown(text.text);
  return "[" + escape_markdown(text.text) + "](" + link_target(text.href) + ")";
}

void render_table(const Table& table, std::ostringstream& out) {
  if (!table.caption.empty()) out << "*" << escape_markdown(table.caption) << "*\n\n";
  out << "|";
  for (const auto& column : table.header) out << " " << escape_markdown(column) << " |";
  out << "\n|";
  for (std::size_t i = 0; i < table.header.size(); ++i)
    out << (i >= table.first_numeric_column ? "---:|" : "---|");
  out << "\n";
  for (const auto& row : table.rows) {
    out << "|";
    for (const auto& cell : row) out << " " << render_text(cell) << " |";
    out << "\n";
  }
  out << "\n";
}

void render_block(const Block& block, std::ostringstream& out) {
  if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
    for (const auto& span : paragraph->spans) out << render_text(span);
    out << "\n\n";
  } else if (const auto* table = std::get_if<Table>(&block)) {
    render_table(*table, out);
  } else if (const auto* chart = std::get_if<Chart>(&block)) {
    out << "*" << escape_markdown(chart->title) << "* (chart in [" << kReportHtmlName
        << "](" << kReportHtmlName << "))";
    if (!chart->caption.empty()) out << ". " << escape_markdown(chart->caption);
    out << "\n\n";
  }
}

}  // namespace

std::string link_target(const std::string& relative_path) {
  std::string out;
  for (const unsigned char c : relative_path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      char encoded[4];
      std::snprintf(encoded, sizeof encoded, "%%%02X", c);
      out += encoded;
    }
  }
  return out;
}

std::string render_markdown(const Document& document) {
  std::ostringstream out;
  out << "# " << escape_markdown(document.title) << "\n\n";
  out << "Generated " << document.generated_at << " by " << escape_markdown(document.generator)
      << ". The same tables with charts: [" << kReportHtmlName << "](" << kReportHtmlName
      << "); machine-readable: [" << kReportJsonName << "](" << kReportJsonName << ").\n\n";
  for (const auto& section : document.sections) {
    out << "## " << escape_markdown(section.heading) << "\n\n";
    for (const auto& block : section.blocks) render_block(block, out);
  }
  return out.str();
}

}  // namespace datamux::reports
