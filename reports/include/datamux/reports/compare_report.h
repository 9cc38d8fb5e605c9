#pragma once
// The compare report: two or more runs, or two or more sweeps, side by side. report.json
// (schema: reports/schema/compare-report.schema.json), report.md and report.html in a
// directory of its own, from the records alone. Each compared directory gets a letter (A, B,
// C, ... in the order given); differences are each later one minus A.
#include <rapidjson/document.h>

#include <filesystem>
#include <string>
#include <vector>

#include "datamux/reports/report_document.h"
#include "datamux/reports/run_records.h"
#include "datamux/reports/sweep_records.h"

namespace datamux::reports {

inline constexpr int kCompareReportSchemaVersion = 1;

struct CompareReport {
  rapidjson::Document json;
  Document document;
};

// Runs of different tasks (task plugin, data format or primary metric) are a one-line
// datamux::Error naming two of them. `out_dir` is where the report goes (its links to each
// run's own report are relative to it).
CompareReport build_run_comparison(const std::vector<RunRecords>& runs,
                                   const std::filesystem::path& out_dir,
                                   const std::string& generated_at);

// Sweeps that share no task, or name one task with two primary metrics, are a one-line
// datamux::Error.
CompareReport build_sweep_comparison(const std::vector<SweepRecords>& sweeps,
                                     const std::filesystem::path& out_dir,
                                     const std::string& generated_at);

// Reads each directory's records (all run directories or all sweep directories) and writes
// the report into `out_dir`, creating it; returns the files written. Fewer than two
// directories, a mix of runs and sweeps, an `out_dir` that is one of them, and the refusals
// above are one-line datamux::Errors.
std::vector<std::filesystem::path> write_compare_report(
    const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out_dir);

}  // namespace datamux::reports
