#pragma once
// The training and evaluation splits a config's `data` section describes.
#include "datamux/core/dataset.h"
#include "datamux/core/resolved_config.h"

namespace datamux {

struct DataSplits {
  Dataset train;
  Dataset eval;
};

DataSplits load_splits(const ResolvedConfig& config);

}  // namespace datamux
