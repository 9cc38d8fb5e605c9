#pragma once
// Writes a report's three files into a directory: report.json, report.md, report.html (each
// atomically). The HTML comes last: when the chart libraries are missing, the JSON and
// Markdown are still written before the error.
#include <rapidjson/document.h>

#include <filesystem>
#include <vector>

#include "datamux/reports/report_document.h"

namespace datamux::reports {

// Returns the paths written, in the order above.
std::vector<std::filesystem::path> write_report_files(const std::filesystem::path& dir,
                                                      const rapidjson::Value& json,
                                                      const Document& document);

// "datamux <version>", as reports name their generator.
std::string generator_name();

}  // namespace datamux::reports
