#include <unistd.h>

#include <iostream>

#include "cli_parse.h"
#include "datamux/core/interruption.h"
#include "datamux/core/sweep.h"
#include "run_reports.h"

namespace datamux::cli {

int sweep_command(const Arguments& args) {
  cxxopts::Options options("datamux sweep",
                           "Run the study's grid: for each backbone and N, the warm-up and each "
                           "task finetuned from it. Rerun the same command to continue.");
  options.add_options()
      ("config", "sweep config (JSON), e.g. configs/demo/sweep.json", cxxopts::value<std::string>(), "FILE")
      ("out", "sweep directory; complete runs in it are skipped, unfinished ones resumed",
       cxxopts::value<std::string>(), "DIR")
      ("set", "override one value in every run not yet started; repeatable",
       cxxopts::value<std::vector<std::string>>(), "SECTION.KEY=VALUE");
  add_plugin_path_and_help(options);
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  SweepRequest request;
  request.config = required(result, "config", "datamux sweep");
  request.out = required(result, "out", "datamux sweep");
  request.overrides = assignments(result);
  request.plugin_paths = repeated(result, "plugin-path");
  request.progress_bar = ::isatty(STDERR_FILENO) != 0;
  request.after_run = [](const std::filesystem::path& run) { write_report_after_run(run, std::cerr); };
  SweepSummary summary;
  try {
    summary = run_sweep(request, std::cerr);
  } catch (const Interrupted&) {
    write_report_after_run(request.out, std::cerr, false);
    throw;
  }
  write_report_after_run(request.out, std::cerr);
  std::cerr << "sweep " << request.out.string() << ": " << summary.complete << " complete, "
            << summary.failed << " failed, " << summary.skipped << " skipped" << std::endl;
  if (summary.failed + summary.skipped > 0) {
    std::cerr << "datamux: error: " << summary.failed + summary.skipped
              << " runs did not complete (see their run.json); rerun the command to retry them"
              << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace datamux::cli
