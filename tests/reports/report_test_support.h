#pragma once
// Helpers for the report tests: run and sweep records constructed by the test itself (never
// real data), schema validation, and running the CLI. Scratch directories are the core's
// TemporaryDirectory.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "datamux/core/temporary_directory.h"

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE((haystack).find(needle), std::string::npos) << "missing: " << (needle)

namespace datamux::reports::test {

std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);
// Replaces the first `from` in `file` by `to`; a `from` that is not there is a test bug.
void replace_in_file(const std::filesystem::path& file, const std::string& from,
                     const std::string& to);

using Metrics = std::vector<std::pair<std::string, double>>;

struct MeanLine {
  std::int64_t step;
  double task_loss;
  std::optional<double> retrieval_loss;
};

struct EvalLine {
  std::int64_t step;
  Metrics values;  // e.g. {{"accuracy", 0.8}, {"loss", 0.4}}
  // Written as the evaluation's "counts"; absent: a record from before metrics declared kinds.
  std::optional<std::vector<std::string>> counts = std::nullopt;
};

// What write_run puts into a run directory's config.json, run.json and metrics.jsonl.
struct RunSpec {
  std::string status = "complete";
  std::string command = "finetune";
  std::string primary_metric = "accuracy";
  std::int64_t steps = 300;
  // Spliced into config.json's "run" section, e.g. R"("note": "x")".
  std::string extra_run_config;
  // Spliced into config.json's top level, e.g. R"("task": {"plugin": "retrieval"})".
  std::string extra_config_sections;
  double learning_rate = 0.001;  // config.json's train.learning_rate
  std::string backbone_plugin = "roberta";  // config.json's backbone.plugin
  // metrics.jsonl's step lines: steps 1 to this; the task loss of step s is 0.7 - 0.0005 s.
  std::int64_t step_lines = 2;
  std::vector<MeanLine> means;
  std::vector<EvalLine> evaluations;  // the last is final_eval; the best primary is best_eval
  std::optional<double> instances_per_s;
};

void write_run(const std::filesystem::path& dir, const RunSpec& spec);

// A finetuning run with one evaluation of `metric_name` = `metric`, measured at
// `instances_per_s`, and a short loss curve (with retrieval loss when `with_retrieval`).
RunSpec finetune_spec(const std::string& metric_name, double metric, double instances_per_s,
                      bool with_retrieval);
// A warm-up whose final evaluation loss is `final_loss`.
RunSpec warmup_spec(double final_loss);

// The sweep the sweep-report tests use (see the .cpp for its numbers): backbones in the order
// roberta, albert, lstm; N listed as 5, 1, 2; tasks sst2 (accuracy) and ner (f1).
void write_study_sweep(const std::filesystem::path& dir);

// "" when `json_text` satisfies the draft-04 schema in reports/schema/`schema_name`, else
// where and why it does not.
std::string schema_violation(const std::string& json_text, const std::string& schema_name);

// Every "YYYY-MM-DDTHH:MM:SSZ" timestamp replaced by a fixed marker; `count` gets how many.
std::string without_timestamps(const std::string& text, int* count = nullptr);

// Writes the report in `dir` again with `write_again` and expects report.json, report.md and
// report.html to be the same bytes as before apart from generated_at, their one timestamp.
void expect_same_bytes_when_regenerated(const std::filesystem::path& dir,
                                        const std::function<void()>& write_again);

struct CommandResult {
  int exit_code;
  std::string out;  // stdout and stderr together
};
CommandResult run_command(const std::string& command_line);
std::filesystem::path datamux_binary();

std::size_t count_of(const std::string& haystack, const std::string& needle);

// The chart specs embedded in a report.html, {"chart-1": spec, ...}, parsed.
rapidjson::Document chart_specs(const std::filesystem::path& html);

// The HTML entities ("&gt;", "&#39;", "&#x3c;") in `text` that no backslash escapes.
std::vector<std::string> html_entities(const std::string& text);

}  // namespace datamux::reports::test
