#pragma once
// metrics.jsonl (docs/run-records.md): a line per step, a mean line per 100-step window, a
// line per evaluation. Private to the core.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "datamux/core/durable_file.h"
#include "datamux/core/throughput.h"
#include "datamux/core/trainer.h"

namespace datamux {

class MetricsLog {
 public:
  static constexpr std::int64_t kWindow = 100;

  // Opens `path` for appending after dropping every line past `keep_through_step` (what a run
  // logged after the checkpoint it resumes from) and a line cut short by a crash.
  MetricsLog(std::filesystem::path path, std::int64_t keep_through_step);

  void append_step(const StepRecord& step);          // and the mean line when a window fills
  void append_evaluation(const EvaluationRecord& evaluation, const Throughput& throughput);
  void finish_window(std::int64_t step);             // the last, shorter window of a run
  void sync() { out_->sync(); }                      // before a checkpoint that follows it

  // The open window's sums, for a checkpoint, and back.
  rapidjson::Value window_state(rapidjson::Document::AllocatorType& allocator) const;
  void restore_window(const rapidjson::Value& state);

 private:
  void write_line(const rapidjson::Value& line);
  void write_mean(std::int64_t step);

  std::filesystem::path path_;
  std::optional<AppendOnlyFile> out_;
  std::map<std::string, double> sums_;  // loss name -> sum over the open window
  std::int64_t count_ = 0;
};

rapidjson::Value metrics_object(const MetricValues& values,
                                rapidjson::Document::AllocatorType& allocator);
// The names of an evaluation's counts, as the "counts" member of its record.
rapidjson::Value counts_array(const std::vector<std::string>& counts,
                              rapidjson::Document::AllocatorType& allocator);
rapidjson::Value throughput_object(const Throughput& throughput,
                                   rapidjson::Document::AllocatorType& allocator);

}  // namespace datamux
