#pragma once
// One function per `datamux` subcommand; each takes the arguments after its name and returns
// the exit status. Usage errors throw UsageError (exit 2), other failures datamux::Error (exit 1).
#include <string>
#include <vector>

#include "datamux/core/experiment.h"
#include "datamux/sdk/error.h"

namespace datamux::cli {

class UsageError : public Error {
 public:
  using Error::Error;
};

using Arguments = std::vector<std::string>;

int plugins_command(const Arguments& args);
int run_training_command(RunCommand command, const Arguments& args);  // train, pretrain, finetune
int sweep_command(const Arguments& args);
int eval_command(const Arguments& args);
int demo_data_command(const Arguments& args);
int score_command(const Arguments& args);
int report_command(const Arguments& args);
int bench_command(const Arguments& args);

}  // namespace datamux::cli
