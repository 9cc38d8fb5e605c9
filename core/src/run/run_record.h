#pragma once
// run.json (docs/run-records.md): what a run is and how it stands, rewritten atomically at
// every change so that a reader (a report, a sweep deciding what to resume) always finds a
// whole record. Private to the core.
#include <string>

#include <rapidjson/document.h>

#include "datamux/core/plugin_host.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/throughput.h"
#include "datamux/core/trainer.h"

namespace datamux {

class RunRecord {
 public:
  static constexpr int kSchemaVersion = 1;

  RunRecord(const RunDirectory& directory, const std::string& command);

  // Takes over an earlier run.json (a resumed run keeps its history); absent, nothing changes.
  void adopt(const std::filesystem::path& file);

  rapidjson::Document& document() { return doc_; }
  rapidjson::Document::AllocatorType& allocator() { return doc_.GetAllocator(); }

  // Sets (replacing) one top-level member.
  void set(const char* key, rapidjson::Value value);
  void set_text(const char* key, const std::string& value);
  void set_evaluation(const char* key, const EvaluationRecord& evaluation);
  void set_throughput(const Throughput& throughput);
  // steps_done, and no evaluation from a later step: a record never contradicts itself (a
  // resume that falls back, or fails, reports the state it actually has).
  void set_steps_done(std::int64_t step);
  // Appends `item` to the array member `key` (created when absent): the run's history.
  void append(const char* key, rapidjson::Value item);
  void write() const;

 private:
  const RunDirectory& directory_;
  rapidjson::Document doc_;
};

rapidjson::Value plugins_json(const PluginHost& plugins, rapidjson::Document::AllocatorType& a);
rapidjson::Value environment_json(const torch::Device& device, rapidjson::Document::AllocatorType& a);

// The BLAS library this process actually loaded (Debian's libtorch takes whichever the
// system's alternatives point at, and the reference BLAS is ~25x slower than OpenBLAS).
std::string loaded_blas();

// A run's status from its run.json: "running", "complete", ...; "" when there is none.
std::string run_status(const std::filesystem::path& run);

}  // namespace datamux
