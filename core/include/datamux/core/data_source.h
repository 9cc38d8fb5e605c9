#pragma once
// The training and evaluation splits a config's `data` section describes: read with the
// readers, tokenised (training a SentencePiece model when none is given), labelled.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "datamux/core/dataset.h"
#include "datamux/core/readers/examples.h"
#include "datamux/core/resolved_config.h"

namespace datamux {

// What a run reuses from elsewhere instead of deriving it from the training file.
struct DataReuse {
  std::filesystem::path tokenizer;                       // e.g. the warm-up run's tokenizer
  std::optional<std::vector<std::string>> label_names;   // e.g. the trained run's labels
};

struct DataSplits {
  Dataset train;
  Dataset eval;
  std::filesystem::path tokenizer;  // the model used; empty for the toy format
  bool tokenizer_trained = false;   // trained here (into `scratch`), to be kept with the run
  ReadReport report;                // everything skipped or truncated, counted
};

// `scratch` is an existing directory where a newly trained tokenizer is written.
DataSplits load_splits(const ResolvedConfig& config, const DataReuse& reuse,
                       const std::filesystem::path& scratch);

}  // namespace datamux
