#include "datamux/reports/run_report.h"

#include <algorithm>

#include "datamux/core/json_file.h"
#include "datamux/reports/analysis.h"
#include "datamux/reports/report_files.h"
#include "datamux/reports/text_format.h"
#include "datamux/reports/vega_specs.h"
#include "json_values.h"
#include "report_parts.h"

namespace datamux::reports {
namespace {

// ---- report.json ----

rapidjson::Value evaluation_json(const std::optional<Evaluation>& evaluation,
                                 const RunRecords& records, JsonAllocator& allocator) {
  if (!evaluation) return rapidjson::Value();
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("step", static_cast<int64_t>(evaluation->step), allocator);
  add_member(object, "values", json_metric_values(evaluation->values, records, allocator),
             allocator);
  return object;
}

rapidjson::Value throughput_json(const std::optional<Throughput>& throughput,
                                 JsonAllocator& allocator) {
  if (!throughput) return rapidjson::Value();
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("instances_per_s", throughput->instances_per_s, allocator);
  object.AddMember("passes_per_s", throughput->passes_per_s, allocator);
  object.AddMember("eval_instances", static_cast<int64_t>(throughput->eval_instances), allocator);
  object.AddMember("repeats", static_cast<int64_t>(throughput->repeats), allocator);
  object.AddMember("median_s", throughput->median_s, allocator);
  add_member(object, "device", json_string(throughput->device, allocator), allocator);
  return object;
}

rapidjson::Value critical_json(const std::optional<CriticalRetrievalLoss>& critical,
                               JsonAllocator& allocator) {
  if (!critical) return rapidjson::Value();
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("fall_fraction", kTaskLossFallFraction, allocator);
  add_critical_members(object, *critical, allocator);
  return object;
}

rapidjson::Document run_report_json(const RunRecords& records, const std::string& generated_at) {
  const RunRecord& run = records.run;
  rapidjson::Document json = report_json(kRunReportSchemaVersion, "run", generated_at);
  auto& a = json.GetAllocator();

  rapidjson::Value summary(rapidjson::kObjectType);
  add_member(summary, "name", json_string(directory_name(records.dir), a), a);
  add_member(summary, "status", json_string(run.status, a), a);
  add_member(summary, "command", json_string(run.command, a), a);
  add_member(summary, "config_source", json_text_or_null(run.config_source, a), a);
  add_member(summary, "init_from", json_text_or_null(run.init_from, a), a);
  add_member(summary, "primary_metric", json_string(run.primary_metric, a), a);
  summary.AddMember("steps", static_cast<int64_t>(run.steps), a);
  summary.AddMember("steps_done", static_cast<int64_t>(run.steps_done), a);
  add_member(summary, "wall_s", json_number_or_null(run.wall_s), a);
  add_member(summary, "dropped_examples", json_integer_or_null(run.dropped_examples), a);
  add_member(summary, "error", json_text_or_null(run.error, a), a);
  add_member(json, "run", std::move(summary), a);

  add_member(json, "config", rapidjson::Value(records.config, a), a);

  const auto plugin_json = [&](rapidjson::Value& item, const PluginUse& plugin) {
    add_member(item, "name", json_string(plugin.name, a), a);
    add_member(item, "version", json_string(plugin.version, a), a);
    add_member(item, "path", json_string(plugin.path, a), a);
    add_member(item, "sha256", json_string(plugin.sha256, a), a);
    add_member(item, "build_key", json_string(plugin.build_key, a), a);
  };
  add_member(json, "plugins", json_object_array(run.plugins, a, plugin_json), a);

  const rapidjson::Document environment = parse_json(run.environment_json, "run.json environment");
  add_member(json, "environment", rapidjson::Value(environment, a), a);

  rapidjson::Value metrics(rapidjson::kObjectType);
  add_member(metrics, "primary", json_string(run.primary_metric, a), a);
  rapidjson::Value counts(rapidjson::kArrayType);
  for (const auto& name : records.counts) counts.PushBack(json_string(name, a), a);
  add_member(metrics, "counts", std::move(counts), a);
  add_member(metrics, "final", evaluation_json(run.final_eval, records, a), a);
  add_member(metrics, "best", evaluation_json(run.best_eval, records, a), a);
  add_member(json, "metrics", std::move(metrics), a);
  add_member(json, "throughput", throughput_json(run.throughput, a), a);

  const auto loss_json = [&](rapidjson::Value& item, const LossMean& mean) {
    item.AddMember("step", static_cast<int64_t>(mean.step), a);
    item.AddMember("window", static_cast<int64_t>(mean.window), a);
    item.AddMember("loss", mean.loss, a);
    item.AddMember("task_loss", mean.task_loss, a);
    add_member(item, "retrieval_loss", json_number_or_null(mean.retrieval_loss), a);
  };
  add_member(json, "losses", json_object_array(records.metrics.means, a, loss_json), a);

  rapidjson::Value evaluations(rapidjson::kArrayType);
  for (const auto& evaluation : records.metrics.evaluations)
    evaluations.PushBack(evaluation_json(evaluation, records, a), a);
  add_member(json, "evaluations", std::move(evaluations), a);

  add_member(json, "critical_retrieval_loss",
             critical_json(find_critical_retrieval_loss(records.metrics.means), a), a);
  return json;
}

// ---- report.md / report.html ----

Section summary_section(const RunRecords& records) {
  const RunRecord& run = records.run;
  std::vector<std::vector<Text>> rows = {
      {"status", run.status},
      {"command", run.command},
      {"steps", std::to_string(run.steps_done) + " of " + std::to_string(run.steps)},
      {"wall time", run.wall_s ? format_fixed(*run.wall_s, 1) + " s" : kNoValue},
      {"primary metric", run.primary_metric},
      {"config source", run.config_source.empty() ? kNoValue : run.config_source},
      {"started from", run.init_from.empty() ? kNoValue : run.init_from},
      {"dropped examples", run.dropped_examples ? std::to_string(*run.dropped_examples) : kNoValue},
  };
  if (!run.error.empty()) rows.push_back({"error", run.error});
  return Section{"Summary", {key_value_table(std::move(rows))}};
}

Section metrics_section(const RunRecords& records) {
  const RunRecord& run = records.run;
  Section section{"Final and best metrics", {}};
  if (!run.final_eval && !run.best_eval) {
    section.blocks.push_back(Paragraph{{"No evaluation has been recorded yet."}});
    return section;
  }
  const auto step_label = [](const std::optional<Evaluation>& evaluation) {
    return evaluation ? " (step " + std::to_string(evaluation->step) + ")" : std::string();
  };
  Table table;
  table.caption = "Best: the evaluation with the highest " + run.primary_metric +
                  " (the primary metric, which picks best.pt).";
  table.header = {"metric", "final" + step_label(run.final_eval),
                  "best" + step_label(run.best_eval)};
  for (const auto& name : metric_names({run.final_eval ? &*run.final_eval : nullptr,
                                        run.best_eval ? &*run.best_eval : nullptr},
                                       run.primary_metric, records.counts)) {
    const auto value_of = [&](const std::optional<Evaluation>& evaluation) {
      return format_optional_metric(evaluation ? evaluation->value(name) : std::nullopt,
                                    records.is_count(name));
    };
    table.rows.push_back({name == run.primary_metric ? name + " (primary)" : name,
                          value_of(run.final_eval), value_of(run.best_eval)});
  }
  section.blocks.push_back(std::move(table));
  return section;
}

Section throughput_section(const RunRecord& run) {
  Section section{"Throughput", {}};
  if (!run.throughput) {
    section.blocks.push_back(
        Paragraph{{"Not measured yet (it is measured after each evaluation)."}});
    return section;
  }
  const Throughput& t = *run.throughput;
  section.blocks.push_back(Paragraph{
      {"Inference on the evaluation set, measured after the last evaluation: the median of " +
       std::to_string(t.repeats) + " timed passes over " + std::to_string(t.eval_instances) +
       " instances."}});
  Table table = key_value_table({
      {"instances per second", format_fixed(t.instances_per_s, kThroughputDecimals)},
      {"backbone passes per second", format_fixed(t.passes_per_s, 2)},
      {"median time", format_fixed(t.median_s, 4) + " s"},
      {"device", t.device},
  });
  section.blocks.push_back(std::move(table));
  return section;
}

Section losses_section(const MetricsLog& metrics) {
  Section section{"Training losses", {}};
  if (metrics.steps.empty() && metrics.means.empty()) {
    section.blocks.push_back(Paragraph{{"No training step has been recorded yet."}});
    return section;
  }
  std::vector<std::string> series = {"task_loss"};
  const bool with_retrieval =
      std::any_of(metrics.steps.begin(), metrics.steps.end(),
                  [](const StepLoss& step) { return step.retrieval_loss.has_value(); }) ||
      std::any_of(metrics.means.begin(), metrics.means.end(),
                  [](const LossMean& mean) { return mean.retrieval_loss.has_value(); });
  if (with_retrieval) series.push_back("retrieval_loss");
  std::vector<ChartRow> steps, means;
  for (const auto& name : series) add_step_loss_rows(steps, means, metrics, name, name);
  section.blocks.push_back(
      Chart{"Training losses per step", kStepLossCaption, step_losses_spec(series, series, steps, means)});
  if (metrics.means.empty()) return section;
  Table table;
  table.caption = "Mean losses per window (metrics.jsonl mean lines)";
  table.header = {"step", "window", "loss", "task loss", "retrieval loss"};
  table.first_numeric_column = 0;
  table.collapsed = true;
  for (const auto& mean : metrics.means)
    table.rows.push_back({std::to_string(mean.step), std::to_string(mean.window),
                          format_fixed(mean.loss, kMetricDecimals),
                          format_fixed(mean.task_loss, kMetricDecimals),
                          format_optional(mean.retrieval_loss, kMetricDecimals)});
  section.blocks.push_back(std::move(table));
  return section;
}

Section evaluations_section(const RunRecords& records) {
  const MetricsLog& metrics = records.metrics;
  Section section{"Evaluation metrics over steps", {}};
  if (metrics.evaluations.empty()) {
    section.blocks.push_back(Paragraph{{"No evaluation has been recorded yet."}});
    return section;
  }
  std::vector<const Evaluation*> evaluations;
  std::vector<ChartRow> rows;
  for (const auto& evaluation : metrics.evaluations) {
    evaluations.push_back(&evaluation);
    for (const auto& [name, value] : evaluation.values)
      if (!records.is_count(name))
        rows.push_back({{"step", evaluation.step}, {"metric", name}, {"value", value}});
  }
  const auto names = metric_names(evaluations, records.run.primary_metric, records.counts);
  std::vector<std::string> scores;
  for (const auto& name : names)
    if (!records.is_count(name)) scores.push_back(name);
  if (!scores.empty())
    section.blocks.push_back(Chart{"Evaluation metrics over steps",
                                   "one panel per score; counts are in the table only",
                                   evaluation_metrics_spec(rows, scores)});
  Table table;
  table.caption = "Every evaluation (metrics.jsonl eval lines)";
  table.header = {"step"};
  table.header.insert(table.header.end(), names.begin(), names.end());
  table.first_numeric_column = 0;
  table.collapsed = metrics.evaluations.size() > 20;
  for (const auto& evaluation : metrics.evaluations) {
    std::vector<Text> row = {std::to_string(evaluation.step)};
    for (const auto& name : names)
      row.emplace_back(format_optional_metric(evaluation.value(name), records.is_count(name)));
    table.rows.push_back(std::move(row));
  }
  section.blocks.push_back(std::move(table));
  return section;
}

Section critical_section(const MetricsLog& metrics) {
  Section section{"Critical retrieval loss", {}};
  const auto critical = find_critical_retrieval_loss(metrics.means);
  if (!critical) {
    section.blocks.push_back(
        Paragraph{{"Not applicable: this run records no retrieval loss "
                   "beside its task loss (a warm-up, or a baseline trained on the task alone)."}});
    return section;
  }
  const std::string rule =
      "The task loss starts to fall at the first 100-step window whose mean task loss is more "
      "than " +
      format_fixed(kTaskLossFallFraction * 100, 0) + "% below the first window's (" +
      format_fixed(critical->reference_task_loss, kMetricDecimals) + " at step " +
      std::to_string(critical->reference_step) + "). ";
  if (!critical->step) {
    section.blocks.push_back(Paragraph{{rule + "In this run it never does."}});
    return section;
  }
  section.blocks.push_back(
      Paragraph{{rule + "Here: the window ending at step " + std::to_string(*critical->step) +
                 " (task loss " + format_fixed(*critical->task_loss, kMetricDecimals) +
                 "), where the mean retrieval loss was " +
                 format_fixed(*critical->retrieval_loss, kMetricDecimals) + "."}});
  return section;
}

Section plugins_section(const RunRecord& run) {
  Table table;
  table.header = {"plugin", "version", "path", "sha256", "build key"};
  table.first_numeric_column = table.header.size();
  for (const auto& plugin : run.plugins)
    table.rows.push_back(
        {plugin.name, plugin.version, plugin.path, plugin.sha256, plugin.build_key});
  return Section{"Plugins", {std::move(table)}};
}

Section environment_section(const RunRecord& run) {
  std::vector<std::vector<Text>> rows;
  for (const auto& [key, value] : run.environment) rows.push_back({key, value});
  return Section{"Environment", {key_value_table(std::move(rows))}};
}

Section config_section(const rapidjson::Value& config) {
  Table table;
  table.caption = "The resolved config (config.json): every value the run used";
  table.header = {"section", "key", "value"};
  table.first_numeric_column = table.header.size();
  for (const auto& section : config.GetObject()) {
    const std::string name = section.name.GetString();
    if (!section.value.IsObject()) {
      table.rows.push_back({name, "", json_value_text(section.value)});
      continue;
    }
    for (const auto& entry : section.value.GetObject())
      table.rows.push_back({name, entry.name.GetString(), json_value_text(entry.value)});
  }
  return Section{"Config", {std::move(table)}};
}

}  // namespace

RunReport build_run_report(const RunRecords& records, const std::string& generated_at) {
  RunReport report;
  report.json = run_report_json(records, generated_at);
  report.document = report_document("Run report: " + directory_name(records.dir), generated_at);
  report.document.sections = {summary_section(records),
                              metrics_section(records),
                              throughput_section(records.run),
                              losses_section(records.metrics),
                              evaluations_section(records),
                              critical_section(records.metrics),
                              plugins_section(records.run),
                              environment_section(records.run),
                              config_section(records.config)};
  return report;
}

std::vector<std::filesystem::path> write_run_report(const std::filesystem::path& run_dir) {
  const RunRecords records = read_run_records(run_dir);
  const RunReport report = build_run_report(records, utc_timestamp_now());
  return write_report_files(run_dir, report.json, report.document);
}

}  // namespace datamux::reports
