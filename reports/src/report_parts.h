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

// Appends the loss `series` ("task_loss", "retrieval_loss") of `metrics`' step lines (as
// chart_steps keeps them) and mean lines as step_losses_spec's rows, on the line `line`.
// Returns whether there was any.
bool add_step_loss_rows(std::vector<ChartRow>& steps, std::vector<ChartRow>& means,
                        const MetricsLog& metrics, const std::string& series,
                        const std::string& line);

inline constexpr const char* kStepLossCaption =
    "faint: the loss of each step; solid: smoothed (exponential moving average, as "
    "TensorBoard's; the slider sets its weight); dashed: the mean of each 100-step window";

// The metric names of `evaluations` (null ones skipped) in the order tables show them: the
// primary metric, the other scores, then the counts, each in order of first appearance.
std::vector<std::string> metric_names(const std::vector<const Evaluation*>& evaluations,
                                      const std::string& primary,
                                      const std::vector<std::string>& counts);

// A run's evaluation values in report.json, {"name": value, ...}: counts as integers.
rapidjson::Value json_metric_values(const NamedValues& values, const RunRecords& records,
                                    JsonAllocator& allocator);

}  // namespace datamux::reports
