#include "datamux/reports/html_page.h"

#include <algorithm>
#include <sstream>

#include "datamux/reports/markdown.h"
#include "datamux/reports/text_format.h"

namespace datamux::reports {
namespace {

constexpr const char* kStyle = R"(
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #1d1d1f; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #666; }
table { border-collapse: collapse; margin: 0.5em 0 1.2em; }
p.caption { font-style: italic; margin-bottom: 0.3em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f4f4f6; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td { overflow-wrap: anywhere; min-width: 5em; }  /* long hashes and paths wrap */
figure { margin: 1em 0 1.5em; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
details > summary { cursor: pointer; font-style: italic; margin: 0.5em 0; }
#report-errors { color: #b00020; }
#report-errors:empty { display: none; }
)";

// First script of the page, so it sees errors thrown while the libraries load.
constexpr const char* kErrorRecorder = R"(
(function () {
  var early = [];
  function record(message) {
    var list = document.getElementById('report-errors');
    if (!list) { early.push(message); return; }
    var item = document.createElement('li');
    item.textContent = String(message);
    list.appendChild(item);
  }
  window.datamuxRecordError = record;
  window.addEventListener('error', function (event) {
    record('script error: ' + (event.message || event.type));
  });
  window.addEventListener('unhandledrejection', function (event) {
    record('unhandled rejection: ' + event.reason);
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };
  document.addEventListener('DOMContentLoaded', function () {
    early.splice(0).forEach(record);
  });
})();
)";

// Last script of the page: draws every chart from the embedded specs.
constexpr const char* kChartRenderer = R"(
(function () {
  var status = document.getElementById('report-status');
  var specs = JSON.parse(document.getElementById('report-chart-specs').textContent);
  var ids = Object.keys(specs);
  if (typeof vegaEmbed !== 'function') {
    window.datamuxRecordError('the chart libraries did not load');
    status.setAttribute('data-state', 'failed');
    return;
  }
  Promise.all(ids.map(function (id) {
    return vegaEmbed('#' + id, specs[id], {actions: false, renderer: 'svg', mode: 'vega-lite'})
      .then(function () { return true; },
            function (error) { window.datamuxRecordError(id + ': ' + error); return false; });
  })).then(function (drawn) {
    var failed = drawn.filter(function (ok) { return !ok; }).length;
    status.setAttribute('data-charts-failed', String(failed));
    status.setAttribute('data-state', failed ? 'failed' : 'done');
  });
})();
)";

std::string render_text(const Text& text) {
  if (text.href.empty()) return escape_html(text.text);
  return "<a href=\"" + escape_html(link_target(text.href)) + "\">" + escape_html(text.text) +
         "</a>";
}

void render_table(const Table& table, std::ostringstream& out) {
  if (table.collapsed)
    out << "<details><summary>" << escape_html(table.caption) << " (" << table.rows.size()
        << " rows)</summary>\n";
  if (!table.caption.empty() && !table.collapsed)
    out << "<p class=\"caption\">" << escape_html(table.caption) << "</p>\n";
  out << "<table>\n";
  // Key/value tables have no column names (Markdown needs the empty row; HTML does not).
  const bool named_columns = std::any_of(table.header.begin(), table.header.end(),
                                         [](const std::string& name) { return !name.empty(); });
  if (named_columns) {
    out << "<thead><tr>";
    for (const auto& column : table.header) out << "<th>" << escape_html(column) << "</th>";
    out << "</tr></thead>\n";
  }
  out << "<tbody>\n";
  for (const auto& row : table.rows) {
    out << "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out << (i >= table.first_numeric_column ? "<td class=\"num\">" : "<td>")
          << render_text(row[i]) << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
  if (table.collapsed) out << "</details>\n";
}

// Charts are numbered in document order; the id ties a container to its spec.
std::string chart_id(std::size_t index) { return "chart-" + std::to_string(index + 1); }

}  // namespace

std::string render_html(const Document& document, const ChartLibraries& libraries) {
  std::ostringstream body;
  std::string specs = "{";
  std::size_t charts = 0;
  for (const auto& section : document.sections) {
    body << "<section>\n<h2>" << escape_html(section.heading) << "</h2>\n";
    for (const auto& block : section.blocks) {
      if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
        body << "<p>";
        for (const auto& span : paragraph->spans) body << render_text(span);
        body << "</p>\n";
      } else if (const auto* table = std::get_if<Table>(&block)) {
        render_table(*table, body);
      } else if (const auto* chart = std::get_if<Chart>(&block)) {
        const std::string id = chart_id(charts);
        body << "<figure>\n<div class=\"chart\" id=\"" << id << "\"></div>\n<figcaption>"
             << escape_html(chart->title);
        if (!chart->caption.empty()) body << ". " << escape_html(chart->caption);
        body << "</figcaption>\n</figure>\n";
        specs += (charts ? "," : "") + json_string_literal(id) + ":" + chart->spec_json;
        ++charts;
      }
    }
    body << "</section>\n";
  }
  specs += "}";

  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"" << escape_html(document.generator) << "\">\n"
      << "<title>" << escape_html(document.title) << "</title>\n"
      << "<style>" << kStyle << "</style>\n"
      << "<script>" << kErrorRecorder << "</script>\n";
  for (const auto& library : libraries)
    out << "<script>/* " << library.file_name << " */\n" << library.source << "\n</script>\n";
  out << "</head>\n<body>\n<h1>" << escape_html(document.title) << "</h1>\n"
      << "<p class=\"meta\">Generated " << escape_html(document.generated_at) << " by "
      << escape_html(document.generator) << ". The same tables as text: <a href=\""
      << kReportMarkdownName << "\">" << kReportMarkdownName << "</a>; machine-readable: <a href=\""
      << kReportJsonName << "\">" << kReportJsonName << "</a>.</p>\n"
      << "<noscript><p>The charts need JavaScript; the tables below do not.</p></noscript>\n"
      << "<div id=\"report-status\" data-charts=\"" << charts
      << "\" data-state=\"rendering\"></div>\n"
      << "<ul id=\"report-errors\"></ul>\n"
      << body.str() << "<script type=\"application/json\" id=\"report-chart-specs\">"
      << json_for_script_element(specs) << "</script>\n"
      << "<script>" << kChartRenderer << "</script>\n"
      << "</body>\n</html>\n";
  return out.str();
}

}  // namespace datamux::reports
