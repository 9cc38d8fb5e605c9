#pragma once
// The Vega-Lite specs of the report charts, with their data inlined. Each takes long-format
// rows (one row per plotted value) and returns compact JSON text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace datamux::reports {

using ChartValue = std::variant<std::int64_t, double, std::string>;
using ChartRow = std::vector<std::pair<std::string, ChartValue>>;

// The rows as a JSON array of objects.
std::string chart_rows_json(const std::vector<ChartRow>& rows);

// Per-step training losses: a panel per loss of `series` ("task_loss", "retrieval_loss"),
// each with its own y scale, and in each a line per value of `lines` (the loss itself in a
// run report, a run in a comparison). `steps` rows {series, line, step, value}, one per step
// line; `means` rows {series, line, start, step, value}, the window means, drawn as dashed
// segments over steps start..step. Each line is drawn raw (faint) and smoothed with
// TensorBoard's exponential moving average; one smoothing slider and one log-scale toggle
// serve every panel.
std::string step_losses_spec(const std::vector<std::string>& series,
                             const std::vector<std::string>& lines,
                             const std::vector<ChartRow>& steps,
                             const std::vector<ChartRow>& means);

// Rows {step, metric, value}: a small panel per metric of `metrics` (scores only), in that
// order, each with its own y scale, at most three to a row.
std::string evaluation_metrics_spec(const std::vector<ChartRow>& rows,
                                    const std::vector<std::string>& metrics);

// Figure 2. Rows {backbone, n, value} for N > 1 and baselines {backbone, value} (N = 1),
// drawn as dashed horizontal lines in the backbone's colour. N is a log-scale axis with a
// tick at each of `num_instances`.
std::string metric_vs_n_spec(const std::string& title, const std::string& metric_name,
                             const std::vector<std::string>& backbones,
                             const std::vector<std::int64_t>& num_instances,
                             const std::vector<ChartRow>& points,
                             const std::vector<ChartRow>& baselines);

// Figure 3. Rows {backbone, step, series, value}: a panel per series, a line per backbone.
std::string loss_curves_by_backbone_spec(const std::string& title,
                                         const std::vector<std::string>& backbones,
                                         const std::vector<ChartRow>& rows);

// Figure 2 of several sweeps on one chart. Rows {backbone, sweep, n, value}, N = 1 included:
// a colour per backbone, a dash pattern per sweep (in the order of `sweeps`).
std::string metric_vs_n_by_sweep_spec(const std::string& title, const std::string& metric_name,
                                      const std::vector<std::string>& backbones,
                                      const std::vector<std::string>& sweeps,
                                      const std::vector<std::int64_t>& num_instances,
                                      const std::vector<ChartRow>& points);

// Figure 4 and throughput. Rows {backbone, n, value}: a line per backbone over N (log scale).
std::string value_vs_n_spec(const std::string& title, const std::string& value_name,
                            const std::vector<std::string>& backbones,
                            const std::vector<std::int64_t>& num_instances,
                            const std::vector<ChartRow>& points);

}  // namespace datamux::reports
