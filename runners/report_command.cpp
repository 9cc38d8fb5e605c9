#include <filesystem>
#include <iostream>

#include "cli_parse.h"
#include "datamux/reports/report.h"

namespace datamux::cli {

int report_command(const Arguments& args) {
  cxxopts::Options options(
      "datamux report",
      "Write the report of a run or sweep directory again from its records: report.json,\n"
      "report.md and report.html (docs/reports.md says what they show).");
  options.positional_help("DIR");
  options.add_options()
      ("loss-n", "sweeps: the N whose loss curves Figure 3 shows (default: the largest N <= 5 "
       "other than 1)", cxxopts::value<std::int64_t>(), "N")
      ("h,help", "show this help");
  options.add_options("positional")("dir", "run or sweep directory", cxxopts::value<std::string>());
  options.parse_positional({"dir"});
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help({""}) << std::endl;
    return 0;
  }
  if (!result.count("dir")) throw UsageError("datamux report: expected DIR (see --help)");
  const std::filesystem::path dir = result["dir"].as<std::string>();
  reports::SweepReportOptions report_options;
  if (result.count("loss-n")) {
    if (!std::filesystem::exists(dir / "sweep.json"))
      throw UsageError("datamux report: --loss-n applies to sweep directories only, and " +
                       dir.string() + " has no sweep.json");
    report_options.loss_curve_n = result["loss-n"].as<std::int64_t>();
  }
  for (const auto& file : reports::write_report(dir, report_options))
    std::cout << file.string() << "\n";
  std::cout.flush();
  return 0;
}

}  // namespace datamux::cli
