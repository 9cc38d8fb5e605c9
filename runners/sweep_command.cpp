#include <unistd.h>

#include <iostream>
#include <optional>

#include "cli_parse.h"
#include "datamux/core/interruption.h"
#include "datamux/core/sweep.h"
#include "run_reports.h"

namespace datamux::cli {
namespace {

// One line a run, tab-separated for scripts: index, id, role, then "after WARMUP" for a
// finetune and "shard I/K" with a shard count. With --shard, only that shard's runs, in the
// order it trains them.
void list_sweep(const std::filesystem::path& config_file, const std::optional<SweepShard>& shard) {
  const SweepConfig config = SweepConfig::from_file(config_file);
  const std::vector<SweepRun> runs = plan_sweep(config);
  std::vector<std::size_t> order;
  if (shard) {
    for (const auto& run : shard_runs(runs, *shard))
      for (std::size_t i = 0; i < runs.size(); ++i)
        if (runs[i].id == run.id) order.push_back(i);
  } else {
    for (std::size_t i = 0; i < runs.size(); ++i) order.push_back(i);
  }
  for (std::size_t i : order) {
    const SweepRun& run = runs[i];
    std::cout << i << '\t' << run.id << '\t' << run.role;
    if (!run.from.empty()) std::cout << "\tafter " << run.from;
    if (shard) std::cout << "\tshard " << shard_of_run(runs, i, shard->count) << "/" << shard->count;
    std::cout << '\n';
  }
  std::cout << std::flush;
}

}  // namespace

int sweep_command(const Arguments& args) {
  cxxopts::Options options("datamux sweep",
                           "Run the study's grid: for each backbone and N, the warm-up and each "
                           "task finetuned from it. Rerun the same command to continue.");
  options.add_options()
      ("config", "sweep config (JSON), e.g. configs/demo/sweep.json", cxxopts::value<std::string>(), "FILE")
      ("out", "sweep directory; complete runs in it are skipped, unfinished ones resumed",
       cxxopts::value<std::string>(), "DIR")
      ("set", "override one value in every run not yet started; repeatable",
       cxxopts::value<std::vector<std::string>>(), "SECTION.KEY=VALUE")
      ("list", "print the grid's runs in order (index, id, role, the warm-up it needs, its shard "
               "with --shard's K) and exit")
      ("shard", "run only the I-th of K disjoint slices (default in a Slurm job array: "
                "SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT); shards may share one --out",
       cxxopts::value<std::string>(), "I/K");
  add_plugin_path_and_help(options);
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  SweepRequest request;
  request.config = required(result, "config", "datamux sweep");
  if (result.count("shard")) request.shard = parse_sweep_shard(result["shard"].as<std::string>());
  else request.shard = sweep_shard_from_environment();
  if (result.count("list")) {
    list_sweep(request.config, request.shard);
    return 0;
  }
  request.out = required(result, "out", "datamux sweep");
  request.overrides = assignments(result);
  request.plugin_paths = repeated(result, "plugin-path");
  request.progress_bar = ::isatty(STDERR_FILENO) != 0;
  request.after_run = [](const std::filesystem::path& run) { write_report_after_run(run, std::cerr); };
  // Shards share the sweep's report: each rewrites it, the last one with every run.
  auto write_report = [&](bool complete) {
    std::optional<SweepDirectoryLock> lock;
    if (request.shard) lock.emplace(request.out);
    write_report_after_run(request.out, std::cerr, complete);
  };
  SweepSummary summary;
  try {
    summary = run_sweep(request, std::cerr);
  } catch (const Interrupted&) {
    write_report(false);
    throw;
  }
  write_report(true);
  std::cerr << "sweep " << request.out.string()
            << (request.shard ? " (shard " + request.shard->text() + ")" : std::string()) << ": "
            << summary.complete << " complete, " << summary.failed << " failed, " << summary.skipped
            << " skipped" << std::endl;
  if (summary.failed + summary.skipped > 0) {
    std::cerr << "datamux: error: " << summary.failed + summary.skipped
              << " runs did not complete (see their run.json); rerun the command to retry them"
              << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace datamux::cli
