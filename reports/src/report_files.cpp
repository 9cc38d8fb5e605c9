#include "datamux/reports/report_files.h"

#include "datamux/core/json_file.h"
#include "datamux/reports/chart_libraries.h"
#include "datamux/reports/html_page.h"
#include "datamux/reports/markdown.h"

namespace datamux::reports {

std::vector<std::filesystem::path> write_report_files(const std::filesystem::path& dir,
                                                      const rapidjson::Value& json,
                                                      const Document& document) {
  const auto json_file = dir / kReportJsonName;
  const auto markdown_file = dir / kReportMarkdownName;
  const auto html_file = dir / kReportHtmlName;
  write_file_atomically(json_file, to_json_text(json, true) + "\n");
  write_file_atomically(markdown_file, render_markdown(document));
  write_file_atomically(html_file, render_html(document, load_chart_libraries()));
  return {json_file, markdown_file, html_file};
}

std::string generator_name() { return "datamux " DATAMUX_VERSION; }

}  // namespace datamux::reports
