#include "datamux/reports/vega_specs.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

std::string training_losses_spec(const std::vector<ChartRow>& rows) {
  return fill_template(std::string("{") + kSchema + R"json(,
    "width": 640, "height": 280,
    "data": {"values": @ROWS@},
    "mark": {"type": "line", "point": {"size": 12}},
    "encoding": {
      "x": {"field": "step", "type": "quantitative", "title": "step"},
      "y": {"field": "value", "type": "quantitative", "title": "mean loss over the window"},
      "color": {"field": "series", "type": "nominal", "title": null,
                "sort": ["task_loss", "retrieval_loss"]},
      "tooltip": [{"field": "series"}, {"field": "step"},
                  {"field": "value", "type": "quantitative", "format": ".4f"}]
    }})json",
                       {{"@ROWS@", chart_rows_json(rows)}});
}

std::string evaluation_metrics_spec(const std::vector<ChartRow>& rows) {
  return fill_template(std::string("{") + kSchema + R"json(,
    "data": {"values": @ROWS@},
    "facet": {"field": "metric", "type": "nominal", "title": null, "sort": null},
    "columns": 3,
    "resolve": {"scale": {"y": "independent"}},
    "spec": {
      "width": 260, "height": 160,
      "mark": {"type": "line", "point": true},
      "encoding": {
        "x": {"field": "step", "type": "quantitative", "title": "step"},
        "y": {"field": "value", "type": "quantitative", "title": null, "scale": {"zero": false}},
        "tooltip": [{"field": "metric"}, {"field": "step"},
                    {"field": "value", "type": "quantitative", "format": ".4f"}]
      }
    }})json",
                       {{"@ROWS@", chart_rows_json(rows)}});
}

std::string metric_vs_n_spec(const std::string& title, const std::string& metric_name,
                             const std::vector<std::string>& backbones,
                             const std::vector<ChartRow>& points,
                             const std::vector<ChartRow>& baselines) {
  return fill_template(std::string("{") + kSchema + R"json(,
    "title": @TITLE@,
    "width": 420, "height": 260,
    "layer": [
      {"data": {"values": @POINTS@},
       "mark": {"type": "line", "point": true},
       "encoding": {
         "x": {"field": "n", "type": "ordinal", "title": "N (inputs multiplexed)",
               "axis": {"labelAngle": 0}},
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

std::string value_vs_n_spec(const std::string& title, const std::string& value_name,
                            const std::vector<std::string>& backbones,
                            const std::vector<ChartRow>& points) {
  return fill_template(std::string("{") + kSchema + R"json(,
    "title": @TITLE@,
    "width": 420, "height": 260,
    "data": {"values": @POINTS@},
    "mark": {"type": "line", "point": true},
    "encoding": {
      "x": {"field": "n", "type": "ordinal", "title": "N (inputs multiplexed)",
            "axis": {"labelAngle": 0}},
      "y": {"field": "value", "type": "quantitative", "title": @VALUE@},
      "color": {"field": "backbone", "type": "nominal", "title": "backbone",
                "scale": {"domain": @BACKBONES@}},
      "tooltip": [{"field": "backbone"}, {"field": "n", "title": "N"},
                  {"field": "value", "type": "quantitative", "format": ".4f"}]
    }})json",
                       {{"@TITLE@", json_string_literal(title)},
                        {"@VALUE@", json_string_literal(value_name)},
                        {"@BACKBONES@", string_list_json(backbones)},
                        {"@POINTS@", chart_rows_json(points)}});
}

}  // namespace datamux::reports
