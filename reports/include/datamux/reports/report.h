#pragma once
// The entry points: write the report of a run or sweep directory from its records alone.
// Every run and sweep writes one when it ends; `datamux report DIR` regenerates it.
#include <filesystem>
#include <vector>

#include "datamux/reports/run_report.h"
#include "datamux/reports/sweep_report.h"

namespace datamux::reports {

// A directory with sweep.json gets the sweep report, one with run.json the run report;
// anything else is a one-line datamux::Error. Returns the files written.
std::vector<std::filesystem::path> write_report(const std::filesystem::path& dir,
                                                const SweepReportOptions& options = {});

}  // namespace datamux::reports
