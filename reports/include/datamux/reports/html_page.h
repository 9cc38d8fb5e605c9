#pragma once
// report.html: one self-contained page (styles, data and the chart libraries inlined) that
// works offline from a file:// URL.
//
// The page reports on itself so a headless browser can check it: it records every script
// error, console.error and failed chart into <ul id="report-errors">, and when all charts have
// been drawn sets data-state="done" (or "failed") on <div id="report-status">.
#include <string>

#include "datamux/reports/chart_libraries.h"
#include "datamux/reports/report_document.h"

namespace datamux::reports {

std::string render_html(const Document& document, const ChartLibraries& libraries);

}  // namespace datamux::reports
