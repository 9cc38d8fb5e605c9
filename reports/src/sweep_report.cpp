#include "datamux/reports/sweep_report.h"

#include <algorithm>

#include "datamux/reports/analysis.h"
#include "datamux/reports/report_files.h"
#include "datamux/reports/study_claims.h"
#include "datamux/reports/study_reference.h"
#include "datamux/reports/sweep_tables.h"
#include "datamux/reports/text_format.h"
#include "datamux/reports/vega_specs.h"
#include "datamux/sdk/error.h"
#include "json_values.h"
#include "report_parts.h"
#include "datamux/sdk/join.h"

namespace datamux::reports {
namespace {

std::optional<std::int64_t> loss_curve_n(const SweepRecords& records, const SweepGrid& grid,
                                         const SweepReportOptions& options) {
  if (!options.loss_curve_n) return default_loss_curve_n(grid.num_instances);
  const auto n = *options.loss_curve_n;
  if (std::find(grid.num_instances.begin(), grid.num_instances.end(), n) ==
      grid.num_instances.end())
    throw Error((records.dir / "sweep.json").string() + ": no runs with N = " + std::to_string(n) +
                " for the loss curves (the sweep has N = " + join(grid.num_instances) +
                ")");
  return n;
}

std::string percent(double fraction) { return format_fixed(fraction * 100, 0) + "%"; }

// The name a table shows for a task's metric ("" until one of its runs has started).
std::string metric_label(const std::string& primary_metric) {
  return primary_metric.empty() ? "primary metric" : primary_metric;
}

// "accuracy for sst2, f1 for ner"
std::string metrics_by_task(const SweepGrid& grid) {
  return join(grid.tasks, ", ", [](const auto& task) {
    return metric_label(task.primary_metric) + " for " + task.name;
  });
}

// ---- report.json ----

rapidjson::Value run_id_or_null(const SweepRun* run, JsonAllocator& a) {
  return run ? json_string(run->entry.id, a) : rapidjson::Value();
}

rapidjson::Value finetune_results_json(const SweepTables& tables, JsonAllocator& a) {
  return json_object_array(
      tables.finetunes, a, [&](rapidjson::Value& item, const FinetuneResult& result) {
        add_member(item, "task", json_string(result.task, a), a);
        item.AddMember("num_instances", static_cast<int64_t>(result.num_instances), a);
        add_member(item, "backbone", json_string(result.backbone, a), a);
        add_member(item, "run", run_id_or_null(result.run, a), a);
        add_member(item, "status", json_string(result.run->entry.status, a), a);
        add_member(item, "metric", json_string(result.metric_name, a), a);
        add_member(item, "value", json_number_or_null(result.metric), a);
        add_member(item, "step", json_integer_or_null(result.metric_step), a);
        add_member(item, "instances_per_s", json_number_or_null(result.instances_per_s), a);
        add_member(item, "speedup", json_number_or_null(result.speedup), a);
      });
}

rapidjson::Value headlines_json(const SweepTables& tables, JsonAllocator& a) {
  return json_object_array(
      tables.headlines, a, [&](rapidjson::Value& item, const HeadlineResult& result) {
        add_member(item, "task", json_string(result.task, a), a);
        add_member(item, "backbone", json_string(result.backbone, a), a);
        add_member(item, "metric", json_string(result.metric_name, a), a);
        add_member(item, "baseline", json_number_or_null(result.headline.baseline), a);
        add_member(item, "largest_n", json_integer_or_null(result.headline.largest_n), a);
        add_member(item, "value", json_number_or_null(result.headline.metric), a);
        add_member(item, "speedup", json_number_or_null(result.headline.speedup), a);
      });
}

rapidjson::Value warmups_json(const SweepTables& tables, JsonAllocator& a) {
  return json_object_array(
      tables.warmups, a, [&](rapidjson::Value& item, const WarmupResult& result) {
        add_member(item, "backbone", json_string(result.backbone, a), a);
        item.AddMember("num_instances", static_cast<int64_t>(result.num_instances), a);
        add_member(item, "run", run_id_or_null(result.run, a), a);
        add_member(item, "retrieval_loss", json_number_or_null(result.retrieval_loss), a);
        add_member(item, "source", json_text_or_null(result.source, a), a);
      });
}

rapidjson::Value critical_losses_json(const SweepTables& tables, JsonAllocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& result : tables.finetunes) {
    if (!result.critical) continue;
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "task", json_string(result.task, a), a);
    add_member(item, "backbone", json_string(result.backbone, a), a);
    item.AddMember("num_instances", static_cast<int64_t>(result.num_instances), a);
    add_member(item, "run", run_id_or_null(result.run, a), a);
    add_critical_members(item, *result.critical, a);
    list.PushBack(item, a);
  }
  return list;
}

rapidjson::Value loss_curves_json(const SweepTables& tables, std::optional<std::int64_t> n,
                                  JsonAllocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  add_member(object, "num_instances", json_integer_or_null(n), a);
  rapidjson::Value curves(rapidjson::kArrayType);
  for (const auto& result : tables.finetunes) {
    if (!n || result.num_instances != *n || !result.run->records) continue;
    rapidjson::Value curve(rapidjson::kObjectType);
    add_member(curve, "task", json_string(result.task, a), a);
    add_member(curve, "backbone", json_string(result.backbone, a), a);
    add_member(curve, "run", json_string(result.run->entry.id, a), a);
    const auto mean_json = [&](rapidjson::Value& point, const LossMean& mean) {
      point.AddMember("step", static_cast<int64_t>(mean.step), a);
      point.AddMember("task_loss", mean.task_loss, a);
      add_member(point, "retrieval_loss", json_number_or_null(mean.retrieval_loss), a);
    };
    add_member(curve, "means", json_object_array(result.run->records->metrics.means, a, mean_json),
               a);
    curves.PushBack(curve, a);
  }
  add_member(object, "curves", std::move(curves), a);
  return object;
}

rapidjson::Value runs_json(const SweepRecords& records, JsonAllocator& a) {
  return json_object_array(records.runs, a, [&](rapidjson::Value& item, const SweepRun& run) {
    const auto& entry = run.entry;
    add_member(item, "id", json_string(entry.id, a), a);
    add_member(item, "dir", json_string(entry.dir, a), a);
    add_member(item, "backbone", json_string(entry.backbone, a), a);
    item.AddMember("num_instances", static_cast<int64_t>(entry.num_instances), a);
    add_member(item, "task", json_string(entry.task, a), a);
    add_member(item, "role", json_string(entry.role, a), a);
    add_member(item, "from", json_text_or_null(entry.from, a), a);
    add_member(item, "status", json_string(entry.status, a), a);
  });
}

rapidjson::Document sweep_report_json(const SweepRecords& records, const SweepTables& tables,
                                      std::optional<std::int64_t> curve_n,
                                      const std::string& generated_at) {
  rapidjson::Document json = report_json(kSweepReportSchemaVersion, "sweep", generated_at);
  auto& a = json.GetAllocator();

  rapidjson::Value sweep(rapidjson::kObjectType);
  add_member(sweep, "name", json_string(records.sweep.name, a), a);
  add_member(sweep, "status", json_string(records.sweep.status, a), a);
  add_member(sweep, "config_source", json_text_or_null(records.sweep.config_source, a), a);
  rapidjson::Value backbones(rapidjson::kArrayType);
  for (const auto& backbone : tables.grid.backbones) backbones.PushBack(json_string(backbone, a), a);
  add_member(sweep, "backbones", std::move(backbones), a);
  rapidjson::Value num_instances(rapidjson::kArrayType);
  for (const auto n : tables.grid.num_instances) num_instances.PushBack(static_cast<int64_t>(n), a);
  add_member(sweep, "num_instances", std::move(num_instances), a);
  const auto task_json = [&](rapidjson::Value& item, const SweepTask& task) {
    add_member(item, "name", json_string(task.name, a), a);
    add_member(item, "primary_metric", json_string(task.primary_metric, a), a);
  };
  add_member(sweep, "tasks", json_object_array(tables.grid.tasks, a, task_json), a);
  add_member(json, "sweep", std::move(sweep), a);

  add_member(json, "metric_source", json_string("best_eval", a), a);
  json.AddMember("headline_allowed_relative_drop", kHeadlineAllowedRelativeDrop, a);
  json.AddMember("task_loss_fall_fraction", kTaskLossFallFraction, a);
  add_member(json, "finetune_results", finetune_results_json(tables, a), a);
  add_member(json, "headlines", headlines_json(tables, a), a);
  add_member(json, "warmup_retrieval_losses", warmups_json(tables, a), a);
  add_member(json, "critical_retrieval_losses", critical_losses_json(tables, a), a);
  add_member(json, "loss_curves", loss_curves_json(tables, curve_n, a), a);
  add_member(json, "runs", runs_json(records, a), a);
  return json;
}

// ---- report.md / report.html ----

// A grid table: one row per (task, N) or N, one column per backbone in sweep order.
Table backbone_columns_table(const SweepGrid& grid, std::vector<std::string> row_header) {
  Table table;
  table.first_numeric_column = row_header.size();
  table.header = std::move(row_header);
  table.header.insert(table.header.end(), grid.backbones.begin(), grid.backbones.end());
  return table;
}

std::string status_note(const FinetuneResult& result) {
  const auto& status = result.run->entry.status;
  return status == "complete" ? "" : " (" + status + ")";
}

Section summary_section(const SweepRecords& records, const SweepTables& tables) {
  std::size_t complete = 0;
  for (const auto& run : records.runs) complete += run.entry.status == "complete";
  const std::string tasks = join(tables.grid.tasks, ", ", [](const auto& task) {
    return task.name + " (" + metric_label(task.primary_metric) + ")";
  });
  const std::string backbones = join(tables.grid.backbones);
  Table table = key_value_table({
      {"status", records.sweep.status},
      {"runs complete", std::to_string(complete) + " of " + std::to_string(records.runs.size())},
      {"backbones", backbones},
      {"N", join(tables.grid.num_instances)},
      {"tasks (primary metric)", tasks},
      {"config source",
       records.sweep.config_source.empty() ? kNoValue : records.sweep.config_source},
  });
  return Section{"Summary", {std::move(table)}};
}

Section table1_section(const SweepTables& tables) {
  Table table = backbone_columns_table(tables.grid, {"task", "N"});
  table.caption =
      "Table 1. The best evaluation (best_eval) of each finetuning run's primary metric (" +
      metrics_by_task(tables.grid) +
      ") by task, number of multiplexed inputs N and backbone. "
      "N = 1 is the backbone's baseline. A status in parentheses marks a run that did not "
      "complete.";
  for (const auto& task : tables.grid.tasks)
    for (const auto n : tables.grid.num_instances) {
      std::vector<Text> row = {task.name, std::to_string(n)};
      bool any = false;
      for (const auto& backbone : tables.grid.backbones) {
        const FinetuneResult* result = tables.finetune(task.name, backbone, n);
        any = any || result != nullptr;
        row.emplace_back(result ? format_optional(result->metric, kMetricDecimals) +
                                      status_note(*result)
                                : kNoValue);
      }
      if (any) table.rows.push_back(std::move(row));
    }
  return Section{"Table 1: primary metric by task, N and backbone", {std::move(table)}};
}

Section figure2_section(const SweepTables& tables) {
  Section section{"Figure 2: metric vs N", {}};
  for (const auto& task : tables.grid.tasks) {
    std::vector<ChartRow> points, baselines;
    for (const auto& result : tables.finetunes) {
      if (result.task != task.name || !result.metric) continue;
      if (result.num_instances == 1)
        baselines.push_back({{"backbone", result.backbone}, {"value", *result.metric}});
      else
        points.push_back({{"backbone", result.backbone},
                          {"n", result.num_instances},
                          {"value", *result.metric}});
    }
    if (points.empty() && baselines.empty()) continue;
    const std::string metric = metric_label(task.primary_metric);
    const std::string title = task.name + ": " + metric + " vs N";
    section.blocks.push_back(
        Chart{"Figure 2 (" + task.name + "): " + metric + " vs N per backbone",
              "dashed lines: each backbone's N = 1 baseline",
              metric_vs_n_spec(title, metric, tables.grid.backbones, tables.grid.num_instances,
                               points, baselines)});
  }
  if (section.blocks.empty())
    section.blocks.push_back(Paragraph{{"No finetuning run has been evaluated yet."}});
  return section;
}

Section headline_section(const SweepTables& tables) {
  Section section{"Headline: how many inputs each backbone multiplexes", {}};
  section.blocks.push_back(Paragraph{
      {"For each backbone and task: the largest N > 1 whose metric stays within " +
       percent(kHeadlineAllowedRelativeDrop) + " of the same backbone's N = 1 baseline (metric ≥ " +
       format_fixed(1 - kHeadlineAllowedRelativeDrop, 2) +
       " × baseline; each N is judged on its own), and the inference speedup there over N = 1. "
       "\"none\": no N > 1 qualifies; \"baseline is 0\": the N = 1 run scored 0, which sets no "
       "bar."}});
  Table table;
  table.header = {"task",
                  "backbone",
                  "metric",
                  "N = 1 baseline",
                  "largest N within " + percent(kHeadlineAllowedRelativeDrop),
                  "metric there",
                  "speedup there"};
  table.first_numeric_column = 3;
  for (const auto& result : tables.headlines) {
    const Headline& headline = result.headline;
    std::string largest = headline.largest_n ? std::to_string(*headline.largest_n) : "none";
    if (!headline.baseline) largest = "no baseline";
    else if (*headline.baseline <= 0) largest = "baseline is 0";
    table.rows.push_back({result.task, result.backbone, result.metric_name,
                          format_optional(headline.baseline, kMetricDecimals), largest,
                          format_optional(headline.metric, kMetricDecimals),
                          format_speedup(headline.speedup)});
  }
  section.blocks.push_back(std::move(table));
  return section;
}

Section throughput_section(const SweepTables& tables) {
  Section section{"Throughput vs N", {}};
  section.blocks.push_back(Paragraph{
      {"Inference instances per second on each finetuning run's evaluation set (its last "
       "measurement), and in parentheses the speedup over the same backbone and task at N = 1."}});
  Table table = backbone_columns_table(tables.grid, {"task", "N"});
  for (const auto& task : tables.grid.tasks) {
    std::vector<ChartRow> points;
    for (const auto n : tables.grid.num_instances) {
      std::vector<Text> row = {task.name, std::to_string(n)};
      bool any = false;
      for (const auto& backbone : tables.grid.backbones) {
        const FinetuneResult* result = tables.finetune(task.name, backbone, n);
        if (result && result->instances_per_s) {
          any = true;
          row.emplace_back(format_fixed(*result->instances_per_s, kThroughputDecimals) + " (" +
                           format_speedup(result->speedup) + ")");
          points.push_back({{"backbone", backbone}, {"n", n}, {"value", *result->instances_per_s}});
        } else {
          row.emplace_back(kNoValue);
        }
      }
      if (any) table.rows.push_back(std::move(row));
    }
    if (!points.empty())
      section.blocks.push_back(
          Chart{"Throughput (" + task.name + "): instances per second vs N", "",
                value_vs_n_spec("Throughput: " + task.name, "instances per second",
                                tables.grid.backbones, tables.grid.num_instances, points)});
  }
  section.blocks.push_back(std::move(table));
  return section;
}

Section figure3_section(const SweepTables& tables, std::optional<std::int64_t> n) {
  Section section{"Figure 3: retrieval and task loss during finetuning", {}};
  if (!n) {
    section.blocks.push_back(Paragraph{{"The sweep has no N > 1, so there are no such curves."}});
    return section;
  }
  section.blocks.push_back(
      Paragraph{{"Mean retrieval and task loss of each 100-step window while finetuning at N = " +
                 std::to_string(*n) +
                 ", all backbones together (another N: datamux report DIR --loss-n N)."}});
  for (const auto& task : tables.grid.tasks) {
    std::vector<ChartRow> rows;
    for (const auto& result : tables.finetunes) {
      if (result.task != task.name || result.num_instances != *n || !result.run->records) continue;
      for (const auto& mean : result.run->records->metrics.means)
        add_loss_rows(rows, mean, {{"backbone", result.backbone}});
    }
    if (rows.empty()) {
      section.blocks.push_back(Paragraph{{"No loss curves recorded for " + task.name +
                                          " at N = " + std::to_string(*n) + " yet."}});
      continue;
    }
    const std::string title = task.name + ", N = " + std::to_string(*n);
    section.blocks.push_back(
        Chart{"Figure 3 (" + title + "): mean loss per 100 steps",
              "left: retrieval loss, right: task loss",
              loss_curves_by_backbone_spec(title, tables.grid.backbones, rows)});
  }
  return section;
}

Section figure4_section(const SweepTables& tables) {
  Section section{"Figure 4: warm-up retrieval loss vs N", {}};
  if (tables.warmups.empty()) {
    section.blocks.push_back(Paragraph{{"The sweep has no warm-up runs."}});
    return section;
  }
  section.blocks.push_back(Paragraph{
      {"The retrieval loss each warm-up run ended with: its final evaluation loss, or the last "
       "100-step mean training loss when it was never evaluated."}});
  std::vector<ChartRow> points;
  std::vector<std::int64_t> warmup_ns;
  Table table = backbone_columns_table(tables.grid, {"N"});
  for (const auto n : tables.grid.num_instances) {
    std::vector<Text> row = {std::to_string(n)};
    bool any = false;
    for (const auto& backbone : tables.grid.backbones) {
      const WarmupResult* result = tables.warmup(backbone, n);
      any = any || result != nullptr;
      row.emplace_back(result ? format_optional(result->retrieval_loss, kMetricDecimals)
                              : kNoValue);
      if (result && result->retrieval_loss)
        points.push_back({{"backbone", backbone}, {"n", n}, {"value", *result->retrieval_loss}});
    }
    if (!any) continue;
    table.rows.push_back(std::move(row));
    warmup_ns.push_back(n);
  }
  if (!points.empty())
    section.blocks.push_back(Chart{"Figure 4: retrieval loss at the end of the warm-up vs N", "",
                                   value_vs_n_spec("Warm-up retrieval loss", "retrieval loss",
                                                   tables.grid.backbones, warmup_ns, points)});
  section.blocks.push_back(std::move(table));
  return section;
}

Section critical_section(const SweepTables& tables) {
  Section section{"Critical retrieval loss", {}};
  section.blocks.push_back(Paragraph{
      {"For each finetuning run with a retrieval loss: on its 100-step mean curve, the first "
       "window whose mean task loss is more than " +
       percent(kTaskLossFallFraction) +
       " below the first window's is where the task loss starts to fall; the retrieval loss is "
       "that window's mean. \"never\": the task loss never fell that far."}});
  Table table;
  table.header = {"task",
                  "backbone",
                  "N",
                  "first window's task loss",
                  "falls at step",
                  "task loss there",
                  "retrieval loss there"};
  table.first_numeric_column = 2;
  for (const auto& result : tables.finetunes) {
    if (!result.critical) continue;
    const auto& critical = *result.critical;
    table.rows.push_back({result.task, result.backbone, std::to_string(result.num_instances),
                          format_fixed(critical.reference_task_loss, kMetricDecimals),
                          critical.step ? std::to_string(*critical.step) : "never",
                          format_optional(critical.task_loss, kMetricDecimals),
                          format_optional(critical.retrieval_loss, kMetricDecimals)});
  }
  if (table.rows.empty())
    section.blocks.push_back(Paragraph{{"No finetuning run has recorded a retrieval loss yet."}});
  else
    section.blocks.push_back(std::move(table));
  return section;
}

// The study's data, or none when the default file is not installed (an explicit one must be).
std::optional<StudyReference> study_of(const SweepReportOptions& options) {
  if (options.study_file) {
    if (!std::filesystem::exists(*options.study_file))
      throw Error(options.study_file->string() + ": study data file not found");
    return read_study_reference(*options.study_file);
  }
  const auto file = default_study_reference_file();
  if (!std::filesystem::exists(file)) return std::nullopt;
  return read_study_reference(file);
}

std::string citation_text(const StudyReference& study) {
  const auto& c = study.citation;
  return c.authors + ", \"" + c.title + "\", " + c.venue + (c.code.empty() ? "" : ", " + c.code) +
         "; " + c.source + ". Data file: " + study.file + ".";
}

// Our cell of a sweep backbone and study task: its metric, "not run" or its status.
std::string our_cell_text(const OurResults& ours, const std::string& backbone,
                          const std::string& task, std::int64_t n) {
  for (const auto& cell : ours.cells)
    if (cell.backbone == backbone && cell.study_task == task && cell.num_instances == n) {
      if (cell.metric)
        return format_fixed(*cell.metric, 3) +
               (cell.status == "complete" ? "" : " (" + cell.status + ")");
      return cell.status == "pending" ? "not run" : "no evaluation (" + cell.status + ")";
    }
  return "not in sweep";
}

Section study_table_section(const StudyReference& study, const OurResults& ours) {
  Section section{"Beside the study's Table 1", {}};
  section.blocks.push_back(Paragraph{
      {"Each backbone of this sweep next to the study backbone its plugin implements, cell by "
       "cell (our best_eval, three decimals; \"not run\": the run has not started; \"not in "
       "sweep\": the sweep has no such N). Study: " +
       citation_text(study)}});
  Table table;
  table.header = {"task", "N"};
  std::vector<const OurBackbone*> shown;
  for (const auto& backbone : ours.backbones) {
    if (backbone.study_backbone.empty()) continue;
    shown.push_back(&backbone);
    const StudyBackbone* theirs = study.backbone(backbone.study_backbone);
    table.header.push_back(backbone.name + " (ours)");
    table.header.push_back(theirs->label + " (study)");
  }
  table.first_numeric_column = 1;
  for (const auto& task : study.tasks) {
    std::vector<std::int64_t> ns = study.num_instances(task.key);
    for (const auto& cell : ours.cells)
      if (cell.study_task == task.key &&
          std::find(ns.begin(), ns.end(), cell.num_instances) == ns.end())
        ns.push_back(cell.num_instances);
    std::sort(ns.begin(), ns.end());
    for (const auto n : ns) {
      std::vector<Text> row = {task.label, std::to_string(n)};
      for (const OurBackbone* backbone : shown) {
        row.emplace_back(our_cell_text(ours, backbone->name, task.key, n));
        row.emplace_back(format_optional(study.cell(task.key, backbone->study_backbone, n), 4));
      }
      table.rows.push_back(std::move(row));
    }
  }
  if (shown.empty())
    section.blocks.push_back(Paragraph{{"No backbone of this sweep uses a plugin the study ran."}});
  else
    section.blocks.push_back(std::move(table));
  return section;
}

Section study_claims_section(const std::vector<ClaimResult>& results) {
  Section section{"The study's claims", {}};
  section.blocks.push_back(Paragraph{
      {"Each claim of the study checked on this sweep's runs, once per backbone of the sweep "
       "that stands for the claim's backbone. A relative drop is metric / N = 1 baseline - 1, "
       "and a metric exactly at the bar counts as within it. \"holds where measured\": no "
       "measured part contradicts the claim but some part was not measured (an N the sweep did "
       "not run). The claims and their parameters are read from the study's data file."}});
  Table table;
  table.header = {"claim", "statement", "backbone", "verdict", "evidence"};
  table.first_numeric_column = table.header.size();
  for (const auto& result : results) {
    std::string evidence;
    for (const auto& check : result.checks) {
      evidence += (evidence.empty() ? "" : " | ");
      if (check.subject != result.subject) evidence += check.subject + ": ";
      evidence += check.evidence + " [" + verdict_text(check.verdict) +
                  (check.decides ? "" : ", not deciding") + "]";
    }
    table.rows.push_back({std::to_string(result.claim->id), result.claim->statement,
                          result.subject, verdict_text(result.verdict), evidence});
  }
  section.blocks.push_back(std::move(table));
  return section;
}

rapidjson::Value study_json(const StudyReference& study, const OurResults& ours,
                            const std::vector<ClaimResult>& results, JsonAllocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  add_member(object, "file", json_string(study.file, a), a);
  add_member(object, "title", json_string(study.citation.title, a), a);
  add_member(object, "authors", json_string(study.citation.authors, a), a);
  rapidjson::Value cells(rapidjson::kArrayType);
  for (const auto& cell : ours.cells) {
    std::string study_backbone;
    for (const auto& backbone : ours.backbones)
      if (backbone.name == cell.backbone) study_backbone = backbone.study_backbone;
    if (cell.study_task.empty() || study_backbone.empty()) continue;
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "task", json_string(cell.study_task, a), a);
    add_member(item, "backbone", json_string(cell.backbone, a), a);
    add_member(item, "study_backbone", json_string(study_backbone, a), a);
    item.AddMember("num_instances", static_cast<int64_t>(cell.num_instances), a);
    add_member(item, "ours", json_number_or_null(cell.metric), a);
    add_member(item, "study", json_number_or_null(study.cell(cell.study_task, study_backbone,
                                                             cell.num_instances)), a);
    cells.PushBack(item, a);
  }
  add_member(object, "cells", std::move(cells), a);
  const auto check_json = [&](rapidjson::Value& part, const CheckResult& check) {
    add_member(part, "subject", json_string(check.subject, a), a);
    add_member(part, "verdict", json_string(verdict_text(check.verdict), a), a);
    add_member(part, "evidence", json_string(check.evidence, a), a);
    part.AddMember("decides", check.decides, a);
  };
  const auto claim_json = [&](rapidjson::Value& item, const ClaimResult& result) {
    item.AddMember("id", static_cast<int64_t>(result.claim->id), a);
    add_member(item, "statement", json_string(result.claim->statement, a), a);
    add_member(item, "subject", json_string(result.subject, a), a);
    add_member(item, "verdict", json_string(verdict_text(result.verdict), a), a);
    add_member(item, "checks", json_object_array(result.checks, a, check_json), a);
  };
  add_member(object, "claims", json_object_array(results, a, claim_json), a);
  return object;
}

Section runs_section(const SweepRecords& records) {
  Table table;
  table.header = {"run", "role", "task", "backbone", "N", "status", "report"};
  table.first_numeric_column = table.header.size();
  for (const auto& run : records.runs) {
    const auto& entry = run.entry;
    const std::string report = entry.dir + "/" + kReportHtmlName;
    table.rows.push_back({entry.id, entry.role, entry.task, entry.backbone,
                          std::to_string(entry.num_instances), entry.status,
                          std::filesystem::exists(records.dir / report)
                              ? Text(kReportHtmlName, report)
                              : Text(kNoValue)});
  }
  return Section{"Runs", {std::move(table)}};
}

}  // namespace

SweepReport build_sweep_report(const SweepRecords& records, const SweepReportOptions& options,
                               const std::string& generated_at) {
  const SweepTables tables = compute_sweep_tables(records);
  const auto curve_n = loss_curve_n(records, tables.grid, options);
  SweepReport report;
  report.json = sweep_report_json(records, tables, curve_n, generated_at);
  report.document = report_document("Sweep report: " + records.sweep.name, generated_at);
  const auto study = study_of(options);
  report.document.sections = {summary_section(records, tables),
                              table1_section(tables),
                              figure2_section(tables),
                              headline_section(tables),
                              throughput_section(tables),
                              figure3_section(tables, curve_n),
                              figure4_section(tables),
                              critical_section(tables),
                              runs_section(records)};
  if (study) {
    const OurResults ours = our_results(records, tables, *study);
    const auto claims = check_claims(*study, ours);
    // After Table 1 and Figure 2, before the headline: what the study found beside ours.
    auto at = report.document.sections.begin() + 3;
    at = report.document.sections.insert(at, study_table_section(*study, ours)) + 1;
    report.document.sections.insert(at, study_claims_section(claims));
    auto& a = report.json.GetAllocator();
    add_member(report.json, "study", study_json(*study, ours, claims, a), a);
  }
  return report;
}

std::vector<std::filesystem::path> write_sweep_report(const std::filesystem::path& sweep_dir,
                                                      const SweepReportOptions& options) {
  const SweepRecords records = read_sweep_records(sweep_dir);
  const SweepReport report = build_sweep_report(records, options, utc_timestamp_now());
  return write_report_files(sweep_dir, report.json, report.document);
}

}  // namespace datamux::reports
