#include <filesystem>
#include <iostream>

#include "cli_parse.h"
#include "datamux/reports/compare_report.h"
#include "datamux/reports/report.h"

namespace datamux::cli {

int report_command(const Arguments& args) {
  cxxopts::Options options(
      "datamux report",
      "Write the report of a run or sweep directory again from its records: report.json,\n"
      "report.md and report.html (docs/reports.md says what they show).\n"
      "With --compare, put two or more runs (or sweeps) side by side in one report in --out.");
  options.positional_help("DIR | --compare A B [C ...] --out DIR");
  options.add_options()
      ("loss-n", "sweeps: the N whose loss curves Figure 3 shows (default: the largest N <= 5 "
       "other than 1)", cxxopts::value<std::int64_t>(), "N")
      ("compare", "compare the run (or sweep) directories given: config differences, metrics "
       "and their differences, loss curves, throughput")
      ("out", "with --compare: the directory the comparison is written to",
       cxxopts::value<std::string>(), "DIR")
      ("h,help", "show this help");
  options.add_options("positional")("dirs", "run or sweep directories",
                                    cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"dirs"});
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help({""}) << std::endl;
    return 0;
  }
  const std::vector<std::string> dirs = repeated(result, "dirs");
  std::vector<std::filesystem::path> written;
  if (result.count("compare")) {
    if (result.count("loss-n"))
      throw UsageError("datamux report: --loss-n applies to one sweep's report, not to --compare");
    const std::string out = required(result, "out", "datamux report --compare");
    if (dirs.size() < 2)
      throw UsageError("datamux report --compare: expected two or more run or sweep directories "
                       "(see --help)");
    written = reports::write_compare_report({dirs.begin(), dirs.end()}, out);
  } else {
    if (result.count("out"))
      throw UsageError("datamux report: --out goes with --compare (a run's or sweep's own report "
                       "is written into its directory)");
    if (dirs.empty()) throw UsageError("datamux report: expected DIR (see --help)");
    if (dirs.size() > 1)
      throw UsageError("datamux report: expected one DIR (to put several side by side: "
                       "--compare A B --out DIR)");
    const std::filesystem::path dir = dirs.front();
    reports::SweepReportOptions report_options;
    if (result.count("loss-n")) {
      if (!std::filesystem::exists(dir / "sweep.json"))
        throw UsageError("datamux report: --loss-n applies to sweep directories only, and " +
                         dir.string() + " has no sweep.json");
      report_options.loss_curve_n = result["loss-n"].as<std::int64_t>();
    }
    written = reports::write_report(dir, report_options);
  }
  for (const auto& file : written) std::cout << file.string() << "\n";
  std::cout.flush();
  return 0;
}

}  // namespace datamux::cli
