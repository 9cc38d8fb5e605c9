// `datamux train`, `pretrain` and `finetune`: one implementation, since they differ only in
// what they check the config for (core/experiment.h).
#include <unistd.h>

#include <iostream>

#include "cli_parse.h"
#include "datamux/core/distributed.h"
#include "datamux/core/experiment.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/run_lock.h"
#include "run_reports.h"

namespace datamux::cli {
namespace {

const char* description(RunCommand command) {
  switch (command) {
    case RunCommand::kPretrain: return "Run a warm-up (task.plugin must be an objective, e.g. retrieval).";
    case RunCommand::kFinetune: return "Finetune a task from a warm-up run or checkpoint (--from).";
    case RunCommand::kTrain: break;
  }
  return "Train a model as a JSON config describes it.";
}

}  // namespace

int run_training_command(RunCommand command, const Arguments& args) {
  const std::string name = std::string("datamux ") + command_name(command);
  cxxopts::Options options(name, description(command));
  options.add_options()
      ("config", "experiment config (JSON)", cxxopts::value<std::string>(), "FILE")
      ("set", "override one config value; repeatable", cxxopts::value<std::vector<std::string>>(),
       "SECTION.KEY=VALUE")
      ("out", "run directory to create (must not exist or be empty)", cxxopts::value<std::string>(),
       "DIR")
      ("resume", "continue the run in --out from its newest checkpoint (with its own config); "
                 "start it if --out holds no run yet")
      ("allow-changed-data", "with --resume: continue even if a data file changed since the run "
                             "started (warned about and recorded in run.json)");
  add_plugin_path_and_help(options);
  if (command == RunCommand::kFinetune)
    options.add_options()("from", "the warm-up: a run directory, or a weights file or checkpoint in one",
                          cxxopts::value<std::string>(), "CHECKPOINT");
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  TrainRequest request;
  request.command = command;
  request.resume = result.count("resume") > 0;
  request.allow_changed_data = result.count("allow-changed-data") > 0;
  request.out = required(result, "out", name);
  if (result.count("config")) request.config = result["config"].as<std::string>();
  else if (!request.resume) required(result, "config", name);
  if (command == RunCommand::kFinetune && !request.resume)
    request.from = required(result, "from", name);
  else if (result.count("from"))
    request.from = result["from"].as<std::string>();
  request.overrides = assignments(result);
  request.plugin_paths = repeated(result, "plugin-path");
  request.progress_bar = ::isatty(STDERR_FILENO) != 0;
  // In data-parallel training rank 0 alone writes; the other ranks' reports would be its.
  const bool writer = launch_environment().rank == 0;
  try {
    train_experiment(request, std::cerr);
  } catch (const RunLocked&) {
    throw;  // the directory is another process's: nothing of it is ours to write
  } catch (const std::exception&) {
    if (!writer) throw;
    // A failed or interrupted run gets its report too: what it reached is worth reading.
    if (is_run_directory(request.out)) write_report_after_run(request.out, std::cerr, false);
    throw;
  }
  if (writer) write_report_after_run(request.out, std::cerr);
  return 0;
}

}  // namespace datamux::cli
