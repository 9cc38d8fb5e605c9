#pragma once
// What the run and the sweep report are both built from: report.json's opening members, the
// Document's title lines, key/value tables, the critical retrieval loss in report.json and
// loss curves as chart rows.
#include <rapidjson/document.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "datamux/reports/analysis.h"
#include "datamux/reports/report_document.h"
#include "datamux/reports/run_records.h"
#include "datamux/reports/vega_specs.h"
#include "json_values.h"

namespace datamux::reports {

// report.json with its opening members: schema_version, kind ("run", "sweep"), generated_at
// and generator.
rapidjson::Document report_json(int schema_version, const std::string& kind,
                                const std::string& generated_at);

// The last component of `dir`'s canonical path ("sst2" for runs/sst2/), a report's name for it.
std::string directory_name(const std::filesystem::path& dir);

// A Document with its title, generated_at and generator set and no sections yet.
Document report_document(std::string title, const std::string& generated_at);

// A two-column table of names and values, all left-aligned and without a header row.
Table key_value_table(std::vector<std::vector<Text>> rows);

// Adds `critical`'s reference_step, reference_task_loss, step, task_loss and retrieval_loss
// to `object`.
void add_critical_members(rapidjson::Value& object, const CriticalRetrievalLoss& critical,
                          JsonAllocator& allocator);

// Appends `mean`'s task_loss and (when recorded) retrieval_loss as rows {key..., step, series,
// value}: `key` are the columns that come first (e.g. the backbone).
void add_loss_rows(std::vector<ChartRow>& rows, const LossMean& mean, const ChartRow& key = {});

// A per-step chart plots every step line of a run up to this many; a longer run is thinned
// to every k-th step line (and its last), k the smallest that keeps it within the limit, as
// TensorBoard samples long scalar series, so report.html stays a few megabytes at most.
inline constexpr std::size_t kMaxChartSteps = 10000;
std::vector<const StepLoss*> chart_steps(const std::vector<StepLoss>& steps);

// The loss named `series` ("loss", "task_loss", "retrieval_loss") of a step or mean line;
// absent when the line has no retrieval loss.
std::optional<double> step_loss(const StepLoss& step, const std::string& series);
std::optional<double> mean_loss(const LossMean& mean, const std::string& series);

// A run's evaluation values in report.json, {"name": value, ...}: counts as integers.
rapidjson::Value json_metric_values(const NamedValues& values, const RunRecords& records,
                                    JsonAllocator& allocator);

}  // namespace datamux::reports
