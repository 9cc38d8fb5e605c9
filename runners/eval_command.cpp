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
      ("logits", "also save the task logits to FILE (libtorch archive, key \"logits\")",
       cxxopts::value<std::string>(), "FILE")
      ("predictions", "also write predictions to FILE in the formats `datamux score` reads",
       cxxopts::value<std::string>(), "FILE")
      ("plugin-path", "extra plugin directories, searched first; repeatable",
       cxxopts::value<std::vector<std::string>>(), "DIR[:DIR...]")
      ("h,help", "show this help");
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  EvalRequest request;
  request.run = required(result, "run", "datamux eval");
  if (result.count("set")) request.overrides = result["set"].as<std::vector<std::string>>();
  if (result.count("plugin-path"))
    request.plugin_paths = result["plugin-path"].as<std::vector<std::string>>();
  if (result.count("logits")) request.logits_out = result["logits"].as<std::string>();
  if (result.count("predictions"))
    request.predictions_out = result["predictions"].as<std::string>();
  const EvaluationRecord record = evaluate_run(request);
  for (const auto& [name, value] : record.metrics) std::cout << name << " " << value << "\n";
  std::cout << "loss " << record.loss << std::endl;
  return 0;
}

}  // namespace datamux::cli
