#include <iostream>

#include "cli_parse.h"
#include "datamux/core/experiment.h"

namespace datamux::cli {

int train_command(const Arguments& args) {
  cxxopts::Options options("datamux train", "Train a model as a JSON config describes it.");
  options.add_options()
      ("config", "experiment config (JSON)", cxxopts::value<std::string>(), "FILE")
      ("set", "override one config value; repeatable", cxxopts::value<std::vector<std::string>>(),
       "SECTION.KEY=VALUE")
      ("out", "run directory to create (must not exist or be empty)", cxxopts::value<std::string>(),
       "DIR")
      ("plugin-path", "extra plugin directories, searched first; repeatable",
       cxxopts::value<std::vector<std::string>>(), "DIR[:DIR...]")
      ("h,help", "show this help");
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  TrainRequest request;
  request.config = required(result, "config", "datamux train");
  request.out = required(result, "out", "datamux train");
  if (result.count("set")) request.overrides = result["set"].as<std::vector<std::string>>();
  if (result.count("plugin-path"))
    request.plugin_paths = result["plugin-path"].as<std::vector<std::string>>();
  train_experiment(request, std::cerr);
  return 0;
}

}  // namespace datamux::cli
