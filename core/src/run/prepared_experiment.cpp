#include "prepared_experiment.h"

#include <thread>

#include <torch/torch.h>

#include "datamux/core/device.h"
#include "datamux/core/model_builder.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/precision.h"
#include "datamux/core/data_source.h"

namespace datamux {

PreparedExperiment prepare_experiment(const ExperimentConfig& raw,
                                      const std::vector<std::string>& plugin_paths) {
  auto plugins = std::make_unique<PluginHost>(plugin_search_path(plugin_paths));
  ResolvedConfig config = resolve_config(raw, *plugins);

  const auto& run = config.run.options;
  const torch::Device device = select_device(run.get_string("device"));
  check_precision(run.get_string("precision"), device);
  // libtorch's own default can be a single thread (it was here), so 0 means every core.
  const auto threads = run.get_int("threads");
  torch::set_num_threads(threads > 0 ? static_cast<int>(threads)
                                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));

  DataSplits splits = load_splits(config);
  const DataShape shape{splits.train.vocab_size, splits.train.num_labels(), splits.train.tokens};
  std::shared_ptr<MuxModel> model = build_model(config, *plugins, shape);
  model->to(device);
  return PreparedExperiment{std::move(plugins), std::move(config), device,
                            std::move(splits.train), std::move(splits.eval), std::move(model)};
}

}  // namespace datamux
