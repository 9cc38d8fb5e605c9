#include "run_reports.h"

#include "datamux/reports/report.h"

namespace datamux::cli {

void write_report_after_run(const std::filesystem::path& dir, std::ostream& log, bool announce) {
  // A run that failed before it wrote anything has nothing to report.
  if (!std::filesystem::exists(dir / "run.json") && !std::filesystem::exists(dir / "sweep.json")) return;
  try {
    const auto files = reports::write_report(dir);
    for (const auto& file : files)
      if (announce && file.extension() == ".html") log << "report: " << file.string() << std::endl;
  } catch (const std::exception& error) {
    if (!announce) return;  // after a failure, its own message is the one line to show
    log << "datamux: warning: no report for " << dir.string() << ": " << error.what()
        << " (write it later with `datamux report " << dir.string() << "`)" << std::endl;
  }
}

}  // namespace datamux::cli
