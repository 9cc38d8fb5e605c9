#pragma once
// The run report: report.json (schema: reports/schema/run-report.schema.json), report.md and
// report.html in the run directory, from the run's records alone.
#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

#include "datamux/reports/report_document.h"
#include "datamux/reports/run_records.h"

namespace datamux::reports {

// report.json's schema_version for a run report.
inline constexpr int kRunReportSchemaVersion = 1;

struct RunReport {
  rapidjson::Document json;
  Document document;
};

RunReport build_run_report(const RunRecords& records, const std::string& generated_at);

// Reads the records of `run_dir` and writes its report; returns the files written. Bad
// records are a one-line datamux::Error naming the file, line and key.
std::vector<std::filesystem::path> write_run_report(const std::filesystem::path& run_dir);

}  // namespace datamux::reports
