#pragma once
// The sweep report: the study's Table 1 and Figures 2-4, throughput and speedups, the 10%
// headline and the critical retrieval losses, as report.json (schema:
// reports/schema/sweep-report.schema.json), report.md and report.html in the sweep directory,
// from sweep.json and each run directory's records.
#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "datamux/reports/report_document.h"
#include "datamux/reports/sweep_records.h"

namespace datamux::reports {

inline constexpr int kSweepReportSchemaVersion = 1;

struct SweepReportOptions {
  // The N whose loss curves Figure 3 shows; default: analysis.h's default_loss_curve_n.
  std::optional<std::int64_t> loss_curve_n;
  // The study the report compares with and whose claims it checks (study_reference.h);
  // default: default_study_reference_file(), and no such sections when that is not installed.
  std::optional<std::filesystem::path> study_file;
};

struct SweepReport {
  rapidjson::Document json;
  Document document;
};

// An N for Figure 3 that the sweep has no runs for, a study_file that is missing and a study
// file that does not validate are one-line datamux::Errors.
SweepReport build_sweep_report(const SweepRecords& records, const SweepReportOptions& options,
                               const std::string& generated_at);

// Reads sweep.json and the runs' records and writes the report; returns the files written.
std::vector<std::filesystem::path> write_sweep_report(const std::filesystem::path& sweep_dir,
                                                      const SweepReportOptions& options = {});

}  // namespace datamux::reports
