#include "datamux/reports/report.h"

#include "datamux/sdk/error.h"

namespace datamux::reports {

std::vector<std::filesystem::path> write_report(const std::filesystem::path& dir,
                                                const SweepReportOptions& options) {
  if (!std::filesystem::is_directory(dir)) throw Error(dir.string() + ": no such directory");
  if (std::filesystem::exists(dir / "sweep.json")) return write_sweep_report(dir, options);
  if (std::filesystem::exists(dir / "run.json")) {
    if (options.loss_curve_n)
      throw Error(dir.string() +
                  ": a run directory; the loss-curve N applies to sweep reports only");
    return write_run_report(dir);
  }
  throw Error(dir.string() +
              ": neither sweep.json nor run.json is there (not a sweep or run directory)");
}

}  // namespace datamux::reports
