// `datamux`: the command line. It parses arguments and calls the core; no logic lives here
// that a program embedding the core would also need.
#include <c10/util/Exception.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "datamux/core/first_line.h"
#include "datamux/core/interruption.h"

namespace {

constexpr const char* kUsage =
    "usage: datamux <command> [options]\n"
    "\n"
    "commands:\n"
    "  plugins list                     every backbone, multiplexer, demultiplexer and task found\n"
    "  plugins describe NAME            a component's options, types, defaults and presets\n"
    "  pretrain --config FILE --out DIR a warm-up (the task is an objective)\n"
    "  finetune --config FILE --from RUN --out DIR\n"
    "                                   finetune a task from a warm-up (or any checkpoint)\n"
    "  train --config FILE --out DIR    train whatever the config describes\n"
    "                                   (all three: --set section.key=value, --resume; one process\n"
    "                                   per rank under torchrun or srun: docs/distributed.md)\n"
    "  sweep --config SWEEP --out DIR   the study's grid: backbones x N x tasks, resumable\n"
    "                                   (--list: its runs; --shard I/K: one slice, for job arrays)\n"
    "  eval --run DIR                   evaluate a run again (--data, --weights, --predictions)\n"
    "  demo-data --out DIR              write the generated demo datasets (SST-2/CoNLL/WikiText formats)\n"
    "  score KIND GOLD PRED             score a prediction file (KIND: ner, classification)\n"
    "  report DIR                       write a run's or sweep's report again from its records\n"
    "  report --compare A B --out DIR   put runs (or sweeps) side by side in one report\n"
    "  bench --backbone NAME            throughput at several N against the machine's matrix rate\n"
    "\n"
    "Run `datamux <command> --help` for a command's options.";

// libgomp's workers spin-wait between parallel regions by default; on a machine shared with
// other processes that made runs up to 20x slower (docs/performance.md, "Threads"). libgomp
// reads OMP_WAIT_POLICY once, when it is loaded, before main(), so the only way to change the
// default for this process is to start it again with the variable set. An explicit setting
// (OMP_WAIT_POLICY=active, or GOMP_SPINCOUNT) is left alone.
void restart_with_passive_openmp_waiting(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("GOMP_SPINCOUNT") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  ::execv("/proc/self/exe", argv);  // returns only on failure: then run with the default
}

}  // namespace

int main(int argc, char** argv) {
  restart_with_passive_openmp_waiting(argv);
  using namespace datamux::cli;
  const Arguments args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << kUsage << std::endl;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  const Arguments rest(args.begin() + 1, args.end());
  try {
    if (command == "plugins") return plugins_command(rest);
    if (command == "train") return run_training_command(datamux::RunCommand::kTrain, rest);
    if (command == "pretrain") return run_training_command(datamux::RunCommand::kPretrain, rest);
    if (command == "finetune") return run_training_command(datamux::RunCommand::kFinetune, rest);
    if (command == "sweep") return sweep_command(rest);
    if (command == "eval") return eval_command(rest);
    if (command == "demo-data") return demo_data_command(rest);
    if (command == "score") return score_command(rest);
    if (command == "report") return report_command(rest);
    if (command == "bench") return bench_command(rest);
    if (command == "--version") {
      std::cout << "datamux " DATAMUX_VERSION << std::endl;
      return 0;
    }
    throw UsageError("unknown command '" + command + "' (see datamux --help)");
  } catch (const datamux::Interrupted& error) {
    std::cerr << "datamux: " << error.what() << std::endl;
    return error.exit_code();
  } catch (const UsageError& error) {
    std::cerr << "datamux: error: " << error.what() << std::endl;
    return 2;
  } catch (const c10::Error& error) {
    std::cerr << "datamux: error: libtorch: " << datamux::first_line(error.what_without_backtrace())
              << std::endl;
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "datamux: error: " << datamux::first_line(error.what()) << std::endl;
    return 1;
  }
}
