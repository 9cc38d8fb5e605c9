#include <iostream>

#include "cli_parse.h"
#include "datamux/core/experiment.h"

namespace datamux::cli {

int eval_command(const Arguments& args) {
  cxxopts::Options options("datamux eval", "Evaluate a trained run's model again.");
  options.add_options()
      ("run", "run directory written by `datamux train`", cxxopts::value<std::string>(), "DIR")
      ("set", "override one value of the run's config (e.g. run.device=cpu); repeatable",
       cxxopts::value<std::vector<std::string>>(), "SECTION.KEY=VALUE")
      ("data", "evaluate on this file instead (the run's data format; sets data.eval_file)",
       cxxopts::value<std::string>(), "FILE")
      ("weights", "evaluate these weights instead of model.pt (best.pt, checkpoints/step-K.pt)",
       cxxopts::value<std::string>(), "FILE")
      ("logits", "also save the task logits to FILE (libtorch archive, key \"logits\"; row i is "
                 "example i, token tasks NaN-padded: docs/run-records.md)",
       cxxopts::value<std::string>(), "FILE")
      ("predictions", "also write predictions to FILE in the formats `datamux score` reads",
       cxxopts::value<std::string>(), "FILE");
  add_plugin_path_and_help(options);
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  EvalRequest request;
  request.run = required(result, "run", "datamux eval");
  request.overrides = assignments(result);
  request.plugin_paths = repeated(result, "plugin-path");
  if (result.count("data")) request.data = result["data"].as<std::string>();
  if (result.count("weights")) request.weights = result["weights"].as<std::string>();
  if (result.count("logits")) request.logits_out = result["logits"].as<std::string>();
  if (result.count("predictions"))
    request.predictions_out = result["predictions"].as<std::string>();
  const EvaluationRecord record = evaluate_run(request);
  for (const auto& [name, value] : record.metrics) std::cout << name << " " << value << "\n";
  std::cout << "loss " << record.loss << std::endl;
  return 0;
}

}  // namespace datamux::cli
