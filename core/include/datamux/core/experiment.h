#pragma once
// `datamux train` as a library call: config -> plugins -> data -> model -> training -> records.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace datamux {

struct TrainRequest {
  std::filesystem::path config;
  std::vector<std::string> overrides;     // section.key=value
  std::filesystem::path out;
  std::vector<std::string> plugin_paths;  // --plugin-path entries
};

// Trains and writes the run directory. Progress lines go to `progress`. Everything that can
// be checked before training (config, plugins, options, device) is checked before `out` is
// created; a failure after that marks run.json "failed" and rethrows.
void train_experiment(const TrainRequest& request, std::ostream& progress);

}  // namespace datamux
