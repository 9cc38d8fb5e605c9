#pragma once
// The Vega-Lite specs of the report charts, with their data inlined. Each takes long-format
// rows (one row per plotted value) and returns compact JSON text.
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

// Rows {step, series, value}: one line per series (task_loss, retrieval_loss) over steps.
std::string training_losses_spec(const std::vector<ChartRow>& rows);

// Rows {step, metric, value}: one small panel per metric, each with its own y scale.
std::string evaluation_metrics_spec(const std::vector<ChartRow>& rows);

// Figure 2. Rows {backbone, n, value} for N > 1 and baselines {backbone, value} (N = 1),
// drawn as dashed horizontal lines in the backbone's colour.
std::string metric_vs_n_spec(const std::string& title, const std::string& metric_name,
                             const std::vector<std::string>& backbones,
                             const std::vector<ChartRow>& points,
                             const std::vector<ChartRow>& baselines);

// Figure 3. Rows {backbone, step, series, value}: a panel per series, a line per backbone.
std::string loss_curves_by_backbone_spec(const std::string& title,
                                         const std::vector<std::string>& backbones,
                                         const std::vector<ChartRow>& rows);

// Figure 4 and throughput. Rows {backbone, n, value}: a line per backbone over N.
std::string value_vs_n_spec(const std::string& title, const std::string& value_name,
                            const std::vector<std::string>& backbones,
                            const std::vector<ChartRow>& points);

}  // namespace datamux::reports
