#include "datamux/reports/vega_specs.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <stdexcept>

#include "datamux/core/json_file.h"
#include "datamux/reports/text_format.h"

namespace datamux::reports {
namespace {

// The specs are written as readable templates; @NAME@ marks where JSON values go.
using Substitutions = std::vector<std::pair<std::string, std::string>>;

std::string fill_template(const std::string& spec_template, const Substitutions& substitutions) {
  // One pass over the template, so text substituted earlier is never searched again (a title
  // that happens to contain "@ROWS@" stays a title).
  std::string spec;
  for (std::size_t at = 0; at < spec_template.size();) {
    bool substituted = false;
    for (const auto& [marker, json] : substitutions) {
      if (spec_template.compare(at, marker.size(), marker) != 0) continue;
      spec += json;
      at += marker.size();
      substituted = true;
      break;
    }
    if (!substituted) spec += spec_template[at++];
  }
  // Parsing checks the template (a broken one is a programming error, which tests catch)
  // and makes the text compact.
  rapidjson::Document document;
  document.Parse(spec.c_str(), spec.size());
  if (document.HasParseError())
    throw std::logic_error("datamux reports: a chart spec template is not valid JSON");
  return to_json_text(document, false);
}

std::string string_list_json(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? "," : "") + json_string_literal(items[i]);
  return out + "]";
}

constexpr const char* kSchema = R"("$schema": "https://vega.github.io/schema/vega-lite/v6.json")";

// The x encoding of the charts over N: numeric on a log scale (the study's N = 1, 2, 5, 10,
// 20 spread as multiplicative steps), a tick at each N of the chart, the domain padded a
// little so no point sits on the frame.
std::string n_axis_json(std::vector<std::int64_t> num_instances) {
  std::sort(num_instances.begin(), num_instances.end());
  num_instances.erase(std::unique(num_instances.begin(), num_instances.end()), num_instances.end());
  std::string ticks = "[";
  for (std::size_t i = 0; i < num_instances.size(); ++i)
    ticks += (i ? "," : "") + std::to_string(num_instances[i]);
  ticks += "]";
  const double low = num_instances.empty() ? 1 : double(num_instances.front());
  const double high = num_instances.empty() ? 2 : double(num_instances.back());
  return R"json({"field": "n", "type": "quantitative", "title": "N (inputs multiplexed, log scale)",
    "scale": {"type": "log", "domain": [)json" +
         format_fixed(low / 1.15, 4) + "," + format_fixed(high * 1.15, 4) +
         R"json(], "nice": false},
    "axis": {"values": )json" + ticks + R"json(, "format": "d", "grid": false}})json";
}

}  // namespace

std::string chart_rows_json(const std::vector<ChartRow>& rows) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  for (const auto& row : rows) {
    writer.StartObject();
    for (const auto& [field, value] : row) {
      writer.Key(field.c_str(), static_cast<rapidjson::SizeType>(field.size()));
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        writer.Int64(*integer);
      } else if (const auto* number = std::get_if<double>(&value)) {
        writer.Double(*number);
      } else {
        const auto& text = std::get<std::string>(value);
        writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
      }
    }
    writer.EndObject();
  }
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// The per-step loss chart's controls and smoothing, shared by the run and compare reports.
//
// Smoothing is TensorBoard's debiased exponential moving average, s_t = sum_j w^(t-j) x_j /
// sum_j w^(t-j) over the points j <= t of a line, computed by the browser so the slider
// (w = "smoothing") redraws it. Vega-Lite has running sums but no recursion, so each point's
// weights are taken relative to the start of a block of `block` points, small enough that
// w^-block stays far from overflow (w^-block = e^80), and of two block grids half a block
// apart the one whose block started earlier is used: the history it leaves out weighs at most
// w^(block/2) = e^-40 of the total, far below what a chart can show.
//
// The log-scale toggle plots log10 of every value and labels the axis with 10^tick, since a
// Vega-Lite scale type cannot follow a parameter.
constexpr const char* kStepLossControls = R"json(
    "params": [
      {"name": "smoothing", "value": 0.6,
       "bind": {"input": "range", "min": 0, "max": 0.99, "step": 0.01, "name": "smoothing "}},
      {"name": "log_scale", "value": false,
       "bind": {"input": "checkbox", "name": "log scale "}}
    ])json";

std::string step_loss_transforms(const std::string& series) {
  return R"json([
      {"filter": {"field": "series", "equal": )json" + json_string_literal(series) + R"json(}},
      {"window": [{"op": "row_number", "as": "i"}], "groupby": ["line"], "sort": [{"field": "step"}]},
      {"calculate": "log(max(smoothing, 1e-6))", "as": "ln_w"},
      {"calculate": "max(2, ceil(80 / -datum.ln_w))", "as": "block"},
      {"calculate": "floor(datum.block / 2)", "as": "half"},
      {"calculate": "floor(datum.i / datum.block)", "as": "b1"},
      {"calculate": "floor((datum.i + datum.half) / datum.block)", "as": "b2"},
      {"calculate": "exp(-(datum.i - datum.b1 * datum.block) * datum.ln_w)", "as": "w1"},
      {"calculate": "exp(-(datum.i + datum.half - datum.b2 * datum.block) * datum.ln_w)",
       "as": "w2"},
      {"calculate": "datum.w1 * datum.value", "as": "wx1"},
      {"calculate": "datum.w2 * datum.value", "as": "wx2"},
      {"window": [{"op": "sum", "field": "wx1", "as": "n1"}, {"op": "sum", "field": "w1", "as": "d1"}],
       "groupby": ["line", "b1"], "sort": [{"field": "i"}], "frame": [null, 0]},
      {"window": [{"op": "sum", "field": "wx2", "as": "n2"}, {"op": "sum", "field": "w2", "as": "d2"}],
       "groupby": ["line", "b2"], "sort": [{"field": "i"}], "frame": [null, 0]},
      {"calculate": "datum.b1 * datum.block <= max(0, datum.b2 * datum.block - datum.half) ? datum.n1 / datum.d1 : datum.n2 / datum.d2",
       "as": "smoothed"},
      {"calculate": "log_scale ? log(datum.value) / LN10 : datum.value", "as": "y_raw"},
      {"calculate": "log_scale ? log(datum.smoothed) / LN10 : datum.smoothed", "as": "y_smoothed"}
    ])json";
}

constexpr const char* kLossAxis = R"json({"labelExpr":
    "log_scale ? format(pow(10, datum.value), '.2~g') : format(datum.value, '.3~g')"})json";

// One panel of the per-step loss chart: the lines of `series`, raw and smoothed, and its
// window means as dashed segments over their windows.
std::string step_loss_panel(const std::string& series, const std::vector<std::string>& lines,
                            bool wide) {
  return fill_template(R"json({
    "title": @SERIES@,
    "width": @WIDTH@, "height": 260,
    "encoding": {
      "x": {"field": "step", "type": "quantitative", "title": "step"},
      "color": {"field": "line", "type": "nominal", "title": null,
                "scale": {"domain": @LINES@},
                "legend": {"symbolType": "stroke", "symbolOpacity": 1, "symbolStrokeWidth": 2,
                           "labelLimit": 400, "orient": "bottom", "direction": "vertical"}}
    },
    "layer": [
      {"data": {"name": "steps"},
       "transform": @TRANSFORMS@,
       "layer": [
         {"mark": {"type": "line", "opacity": 0.25, "strokeWidth": 1},
          "encoding": {"y": {"field": "y_raw", "type": "quantitative", "title": "loss",
                             "scale": {"zero": false}, "axis": @AXIS@}}},
         {"mark": {"type": "line", "strokeWidth": 2},
          "encoding": {
            "y": {"field": "y_smoothed", "type": "quantitative", "title": "loss", "axis": @AXIS@},
            "tooltip": [{"field": "line", "title": "line"}, {"field": "step"},
                        {"field": "value", "type": "quantitative", "format": ".4f", "title": "loss"},
                        {"field": "smoothed", "type": "quantitative", "format": ".4f"}]}}
       ]},
      {"data": {"name": "means"},
       "transform": [{"filter": {"field": "series", "equal": @SERIES@}},
                     {"calculate": "log_scale ? log(datum.value) / LN10 : datum.value", "as": "y_mean"}],
       "mark": {"type": "rule", "strokeWidth": 2, "strokeDash": [5, 3], "opacity": 0.9},
       "encoding": {
         "x": {"field": "start", "type": "quantitative"},
         "x2": {"field": "step"},
         "y": {"field": "y_mean", "type": "quantitative", "title": "loss", "axis": @AXIS@},
         "tooltip": [{"field": "line", "title": "line"}, {"field": "start", "title": "from step"},
                     {"field": "step", "title": "to step"},
                     {"field": "value", "type": "quantitative", "format": ".4f",
                      "title": "mean over the window"}]}}
    ]})json",
                       {{"@SERIES@", json_string_literal(series)},
                        {"@LINES@", string_list_json(lines)},
                        {"@WIDTH@", wide ? "640" : "430"},
                        {"@TRANSFORMS@", step_loss_transforms(series)},
                        {"@AXIS@", kLossAxis}});
}

}  // namespace

std::string step_losses_spec(const std::vector<std::string>& series,
                             const std::vector<std::string>& lines,
                             const std::vector<ChartRow>& steps,
                             const std::vector<ChartRow>& means) {
  std::string panels;
  for (const auto& name : series)
    panels += (panels.empty() ? "" : ",") + step_loss_panel(name, lines, series.size() == 1);
  return fill_template(std::string("{") + kSchema + R"json(,)json" + kStepLossControls + R"json(,
    "datasets": {"steps": @STEPS@, "means": @MEANS@},
    "columns": 2,
    "concat": [@PANELS@]})json",
                       {{"@PANELS@", panels},
                        {"@STEPS@", chart_rows_json(steps)},
                        {"@MEANS@", chart_rows_json(means)}});
}

std::string evaluation_metrics_spec(const std::vector<ChartRow>& rows,
                                    const std::vector<std::string>& metrics) {
  // A concatenation rather than a facet: panels keep the record's order, and a last row that
  // is not full leaves no empty frames behind.
  std::string panels;
  for (const auto& metric : metrics) {
    panels += (panels.empty() ? "" : ",") + fill_template(R"json({
      "title": @METRIC@,
      "width": 260, "height": 160,
      "transform": [{"filter": {"field": "metric", "equal": @METRIC@}}],
      "mark": {"type": "line", "point": true},
      "encoding": {
        "x": {"field": "step", "type": "quantitative", "title": "step"},
        "y": {"field": "value", "type": "quantitative", "title": null, "scale": {"zero": false}},
        "tooltip": [{"field": "metric"}, {"field": "step"},
                    {"field": "value", "type": "quantitative", "format": ".4f"}]
      }})json",
                                                         {{"@METRIC@", json_string_literal(metric)}});
  }
  return fill_template(std::string("{") + kSchema + R"json(,
    "data": {"values": @ROWS@},
    "columns": @COLUMNS@,
    "concat": [@PANELS@]})json",
                       {{"@ROWS@", chart_rows_json(rows)},
                        {"@COLUMNS@", std::to_string(std::min<std::size_t>(std::max<std::size_t>(metrics.size(), 1), 3))},
                        {"@PANELS@", panels}});
}

std::string metric_vs_n_spec(const std::string& title, const std::string& metric_name,
                             const std::vector<std::string>& backbones,
                             const std::vector<std::int64_t>& num_instances,
                             const std::vector<ChartRow>& points,
                             const std::vector<ChartRow>& baselines) {
  return fill_template(std::string("{") + kSchema + R"json(,
    "title": @TITLE@,
    "width": 420, "height": 260,
    "layer": [
      {"data": {"values": @POINTS@},
       "mark": {"type": "line", "point": true},
       "encoding": {
         "x": @N_AXIS@,
         "y": {"field": "value", "type": "quantitative", "title": @METRIC@,
               "scale": {"zero": false}},
         "color": {"field": "backbone", "type": "nominal", "title": "backbone",
                   "scale": {"domain": @BACKBONES@}},
         "tooltip": [{"field": "backbone"}, {"field": "n", "title": "N"},
                     {"field": "value", "type": "quantitative", "format": ".4f"}]}},
      {"data": {"values": @BASELINES@},
       "mark": {"type": "rule", "strokeDash": [6, 4]},
       "encoding": {
         "y": {"field": "value", "type": "quantitative"},
         "color": {"field": "backbone", "type": "nominal", "scale": {"domain": @BACKBONES@}},
         "tooltip": [{"field": "backbone"},
                     {"field": "value", "type": "quantitative", "format": ".4f",
                      "title": "N = 1 baseline"}]}}
    ]})json",
                       {{"@TITLE@", json_string_literal(title)},
                        {"@METRIC@", json_string_literal(metric_name)},
                        {"@N_AXIS@", n_axis_json(num_instances)},
                        {"@BACKBONES@", string_list_json(backbones)},
                        {"@POINTS@", chart_rows_json(points)},
                        {"@BASELINES@", chart_rows_json(baselines)}});
}

std::string loss_curves_by_backbone_spec(const std::string& title,
                                         const std::vector<std::string>& backbones,
                                         const std::vector<ChartRow>& rows) {
  return fill_template(std::string("{") + kSchema + R"json(,
    "title": @TITLE@,
    "data": {"values": @ROWS@},
    "facet": {"field": "series", "type": "nominal", "title": null,
              "sort": ["retrieval_loss", "task_loss"]},
    "columns": 2,
    "resolve": {"scale": {"y": "independent"}},
    "spec": {
      "width": 360, "height": 220,
      "mark": "line",
      "encoding": {
        "x": {"field": "step", "type": "quantitative", "title": "step"},
        "y": {"field": "value", "type": "quantitative", "title": "mean over 100 steps"},
        "color": {"field": "backbone", "type": "nominal", "title": "backbone",
                  "scale": {"domain": @BACKBONES@}},
        "tooltip": [{"field": "backbone"}, {"field": "series"}, {"field": "step"},
                    {"field": "value", "type": "quantitative", "format": ".4f"}]
      }
    }})json",
                       {{"@TITLE@", json_string_literal(title)},
                        {"@BACKBONES@", string_list_json(backbones)},
                        {"@ROWS@", chart_rows_json(rows)}});
}

namespace {

// A line per backbone over a log-scale N; with `sweeps`, a dash pattern per sweep as well.
std::string lines_over_n_spec(const std::string& title, const std::string& value_name,
                              const std::vector<std::string>& backbones,
                              const std::vector<std::string>& sweeps,
                              const std::vector<std::int64_t>& num_instances,
                              const std::vector<ChartRow>& points, bool from_zero) {
  const std::string by_sweep = sweeps.empty() ? "" : R"json(
      "strokeDash": {"field": "sweep", "type": "nominal", "title": "sweep",
                     "scale": {"domain": @SWEEPS@}, "legend": {"symbolType": "stroke"}},
      "detail": [{"field": "backbone"}, {"field": "sweep"}],)json";
  return fill_template(std::string("{") + kSchema + R"json(,
    "title": @TITLE@,
    "width": 420, "height": 260,
    "data": {"values": @POINTS@},
    "mark": {"type": "line", "point": true},
    "encoding": {
      "x": @N_AXIS@,
      "y": {"field": "value", "type": "quantitative", "title": @VALUE@,
            "scale": {"zero": @ZERO@}},
      "color": {"field": "backbone", "type": "nominal", "title": "backbone",
                "scale": {"domain": @BACKBONES@}},)json" + by_sweep + R"json(
      "tooltip": [)json" + (sweeps.empty() ? "" : R"json({"field": "sweep"}, )json") +
                           R"json({"field": "backbone"}, {"field": "n", "title": "N"},
                  {"field": "value", "type": "quantitative", "format": ".4f"}]
    }})json",
                       {{"@TITLE@", json_string_literal(title)},
                        {"@VALUE@", json_string_literal(value_name)},
                        {"@ZERO@", from_zero ? "true" : "false"},
                        {"@N_AXIS@", n_axis_json(num_instances)},
                        {"@BACKBONES@", string_list_json(backbones)},
                        {"@SWEEPS@", string_list_json(sweeps)},
                        {"@POINTS@", chart_rows_json(points)}});
}

}  // namespace

std::string metric_vs_n_by_sweep_spec(const std::string& title, const std::string& metric_name,
                                      const std::vector<std::string>& backbones,
                                      const std::vector<std::string>& sweeps,
                                      const std::vector<std::int64_t>& num_instances,
                                      const std::vector<ChartRow>& points) {
  return lines_over_n_spec(title, metric_name, backbones, sweeps, num_instances, points, false);
}

std::string value_vs_n_spec(const std::string& title, const std::string& value_name,
                            const std::vector<std::string>& backbones,
                            const std::vector<std::int64_t>& num_instances,
                            const std::vector<ChartRow>& points) {
  return lines_over_n_spec(title, value_name, backbones, {}, num_instances, points, true);
}

}  // namespace datamux::reports
