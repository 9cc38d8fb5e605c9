#pragma once
// What `--resume` checks against the run it continues, before touching it: the config it was
// given is the run's own, and the data files are the ones the run started with. Private to
// the core.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "datamux/core/experiment_config.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/resolved_config.h"

namespace datamux {

// One data file a run reads (data.train_file, eval_file, tokenizer, tokenizer_corpus).
struct DataFile {
  std::string key;  // "data.train_file"
  std::string path;
  std::uintmax_t size = 0;
  std::string sha256;
};

// Size and sha256 of every data file the config names (hashed a block at a time).
std::vector<DataFile> fingerprint_data_files(const ResolvedConfig& config);
rapidjson::Value data_files_json(const std::vector<DataFile>& files,
                                 rapidjson::Document::AllocatorType& allocator);

struct DataChange {
  DataFile before, now;
  // "data.train_file /x/train.tsv changed since the run started (sha256 1a2b3c4d... -> ...)"
  std::string describe() const;
};

// The files of run.json's `data_files` (`recorded`) whose content differs from `now`, or
// that the config no longer names or newly names.
std::vector<DataChange> changed_data_files(const rapidjson::Value& recorded,
                                           const std::vector<DataFile>& now);

// Refuses `other` (a --config given with --resume) when, resolved with the same overrides, it
// differs from the run's own config.json: the message names the first differing key.
void check_same_config(const std::filesystem::path& other, const std::filesystem::path& saved,
                       const std::vector<std::string>& overrides, PluginHost& plugins);

}  // namespace datamux
