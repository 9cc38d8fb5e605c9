#include "datamux/reports/compare_report.h"

#include <algorithm>

#include "config_differences.h"
#include "datamux/core/json_file.h"
#include "datamux/reports/report_files.h"
#include "datamux/reports/sweep_tables.h"
#include "datamux/reports/text_format.h"
#include "datamux/reports/vega_specs.h"
#include "datamux/sdk/error.h"
#include "json_values.h"
#include "report_parts.h"
#include "datamux/sdk/join.h"

namespace datamux::reports {
namespace {

constexpr const char* kCommand = "datamux report --compare";

// A, B, ..., Z, then #27, #28, ...
std::string label(std::size_t index) {
  return index < 26 ? std::string(1, static_cast<char>('A' + index))
                    : "#" + std::to_string(index + 1);
}

std::string minus_a(std::size_t index) { return label(index) + " − A"; }

std::string shown_path(const std::filesystem::path& dir) {
  return dir.lexically_normal().string();
}

// A link from the compare report to a compared directory's own report.html, when it has one.
Text report_link(const std::filesystem::path& dir, const std::filesystem::path& out_dir) {
  const auto page = dir / kReportHtmlName;
  if (!std::filesystem::exists(page)) return Text(kNoValue);
  const auto relative = std::filesystem::relative(std::filesystem::absolute(page),
                                                  std::filesystem::absolute(out_dir));
  return Text(kReportHtmlName, relative.generic_string());
}

// A config value (compact JSON text) as a table shows it: a string without its quotes.
std::string config_value_text(const std::optional<std::string>& json_text) {
  if (!json_text) return kNoValue;
  return json_value_text(parse_json(*json_text, "config value"));
}

rapidjson::Value config_value_json(const std::optional<std::string>& json_text, JsonAllocator& a) {
  if (!json_text) return rapidjson::Value();
  return rapidjson::Value(parse_json(*json_text, "config value"), a);
}

rapidjson::Value numbers_json(const std::vector<std::optional<double>>& values, JsonAllocator& a) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& value : values) array.PushBack(json_number_or_null(value), a);
  return array;
}

// Each value minus the first (A); absent for A itself and where either is absent.
std::vector<std::optional<double>> differences_from_first(
    const std::vector<std::optional<double>>& values) {
  std::vector<std::optional<double>> out = {std::nullopt};
  for (std::size_t i = 1; i < values.size(); ++i)
    out.push_back(values.front() && values[i] ? std::optional<double>(*values[i] - *values.front())
                                              : std::nullopt);
  return out;
}

// Each value over the first (A); absent for A itself and where either is absent or A is 0.
std::vector<std::optional<double>> ratios_to_first(const std::vector<std::optional<double>>& values) {
  std::vector<std::optional<double>> out = {std::nullopt};
  for (std::size_t i = 1; i < values.size(); ++i)
    out.push_back(values.front() && values[i] && *values.front() > 0
                      ? std::optional<double>(*values[i] / *values.front())
                      : std::nullopt);
  return out;
}

// Header columns "A", "B", "B − A", "C", "C − A", ... after `leading`.
std::vector<std::string> side_by_side_header(std::vector<std::string> leading, std::size_t count,
                                             const std::string& later_suffix = "") {
  for (std::size_t i = 0; i < count; ++i) {
    leading.push_back(label(i));
    if (i > 0) leading.push_back(later_suffix.empty() ? minus_a(i) : label(i) + later_suffix);
  }
  return leading;
}

// Cells for `values` laid out as side_by_side_header: each value, then (after A) its
// difference from A.
void add_side_by_side_cells(std::vector<Text>& row, const std::vector<std::optional<double>>& values,
                            bool count) {
  const auto differences = differences_from_first(values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    row.emplace_back(format_optional_metric(values[i], count));
    if (i > 0)
      row.emplace_back(differences[i] ? format_difference(*differences[i], count) : kNoValue);
  }
}

void add_config_section(Document& document, const std::vector<ConfigDifference>& differences,
                        std::size_t count, const std::string& caption,
                        const std::vector<std::size_t>* runs_differing = nullptr) {
  Section section{"Config differences", {}};
  if (differences.empty()) {
    section.blocks.push_back(Paragraph{{"The configs are the same in every key."}});
    document.sections.push_back(std::move(section));
    return;
  }
  Table table;
  table.caption = caption;
  table.header = {"key"};
  for (std::size_t i = 0; i < count; ++i) table.header.push_back(label(i));
  if (runs_differing) table.header.push_back("runs where it differs");
  table.first_numeric_column = table.header.size();
  for (std::size_t d = 0; d < differences.size(); ++d) {
    std::vector<Text> row = {differences[d].key};
    for (const auto& value : differences[d].values) row.emplace_back(config_value_text(value));
    if (runs_differing)
      row.emplace_back((*runs_differing)[d] ? std::to_string((*runs_differing)[d]) : kNoValue);
    table.rows.push_back(std::move(row));
  }
  section.blocks.push_back(std::move(table));
  document.sections.push_back(std::move(section));
}

rapidjson::Value config_differences_json(const std::vector<ConfigDifference>& differences,
                                         const std::vector<std::size_t>* runs_differing,
                                         JsonAllocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (std::size_t d = 0; d < differences.size(); ++d) {
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "key", json_string(differences[d].key, a), a);
    rapidjson::Value values(rapidjson::kArrayType);
    for (const auto& value : differences[d].values) values.PushBack(config_value_json(value, a), a);
    add_member(item, "values", std::move(values), a);
    if (runs_differing)
      add_member(item, "runs_differing",
                 (*runs_differing)[d] ? rapidjson::Value(static_cast<uint64_t>((*runs_differing)[d]))
                                      : rapidjson::Value(),
                 a);
    list.PushBack(item, a);
  }
  return list;
}

// ---- runs ----

// What makes two runs comparable: the task plugin, the data format and the primary metric.
struct RunTask {
  std::string plugin, format, primary_metric;
  bool operator==(const RunTask& other) const {
    return plugin == other.plugin && format == other.format &&
           primary_metric == other.primary_metric;
  }
  // "sst2 (sequence_classification)"
  std::string name() const {
    if (format.empty() && plugin.empty()) return "unnamed task";
    if (format.empty() || plugin.empty()) return format + plugin;
    return format + " (" + plugin + ")";
  }
  std::string describe() const { return name() + " run (primary metric " + primary_metric + ")"; }
};

std::string config_string(const rapidjson::Value& config, const char* section, const char* key) {
  if (!config.HasMember(section) || !config[section].IsObject()) return "";
  const auto& object = config[section];
  if (!object.HasMember(key) || !object[key].IsString()) return "";
  return object[key].GetString();
}

RunTask task_of(const RunRecords& records) {
  return RunTask{config_string(records.config, "task", "plugin"),
                 config_string(records.config, "data", "format"), records.run.primary_metric};
}

void refuse_different_tasks(const std::vector<RunRecords>& runs) {
  const RunTask first = task_of(runs.front());
  for (const auto& run : runs)
    if (!(task_of(run) == first))
      throw Error(std::string(kCommand) + ": " + shown_path(runs.front().dir) + " is a " +
                  first.describe() + ", " + shown_path(run.dir) + " a " + task_of(run).describe() +
                  "; compare runs of one task");
}

// Metric names of the runs' final (or best) evaluations, in the order tables show them.
std::vector<std::string> evaluation_names(const std::vector<RunRecords>& runs, bool best) {
  std::vector<const Evaluation*> evaluations;
  std::vector<std::string> counts;
  for (const auto& run : runs) {
    const auto& evaluation = best ? run.run.best_eval : run.run.final_eval;
    evaluations.push_back(evaluation ? &*evaluation : nullptr);
    counts.insert(counts.end(), run.counts.begin(), run.counts.end());
  }
  return metric_names(evaluations, runs.front().run.primary_metric, counts);
}

bool any_count(const std::vector<RunRecords>& runs, const std::string& name) {
  return std::any_of(runs.begin(), runs.end(),
                     [&](const RunRecords& run) { return run.is_count(name); });
}

std::vector<std::optional<double>> evaluation_values(const std::vector<RunRecords>& runs,
                                                     bool best, const std::string& name) {
  std::vector<std::optional<double>> values;
  for (const auto& run : runs) {
    const auto& evaluation = best ? run.run.best_eval : run.run.final_eval;
    values.push_back(evaluation ? evaluation->value(name) : std::nullopt);
  }
  return values;
}

Table run_metrics_table(const std::vector<RunRecords>& runs, bool best) {
  Table table;
  table.caption = best ? "Best evaluation (best_eval: the highest " +
                             runs.front().run.primary_metric + ", which picks best.pt)"
                       : "Final evaluation (final_eval)";
  table.header = {"metric"};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& evaluation = best ? runs[i].run.best_eval : runs[i].run.final_eval;
    table.header.push_back(label(i) + (evaluation ? " (step " + std::to_string(evaluation->step) + ")"
                                                  : std::string()));
    if (i > 0) table.header.push_back(minus_a(i));
  }
  for (const auto& name : evaluation_names(runs, best)) {
    const bool count = any_count(runs, name);
    std::vector<Text> row = {name == runs.front().run.primary_metric ? name + " (primary)"
                             : count                                 ? name + " (count)"
                                                                     : name};
    add_side_by_side_cells(row, evaluation_values(runs, best, name), count);
    table.rows.push_back(std::move(row));
  }
  return table;
}

rapidjson::Value run_metrics_json(const std::vector<RunRecords>& runs, bool best, JsonAllocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  rapidjson::Value steps(rapidjson::kArrayType);
  for (const auto& run : runs) {
    const auto& evaluation = best ? run.run.best_eval : run.run.final_eval;
    steps.PushBack(evaluation ? rapidjson::Value(static_cast<int64_t>(evaluation->step))
                              : rapidjson::Value(),
                   a);
  }
  add_member(object, "steps", std::move(steps), a);
  rapidjson::Value metrics(rapidjson::kArrayType);
  for (const auto& name : evaluation_names(runs, best)) {
    const auto values = evaluation_values(runs, best, name);
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "name", json_string(name, a), a);
    add_member(item, "kind", json_string(any_count(runs, name) ? "count" : "score", a), a);
    add_member(item, "values", numbers_json(values, a), a);
    add_member(item, "differences", numbers_json(differences_from_first(values), a), a);
    metrics.PushBack(item, a);
  }
  add_member(object, "metrics", std::move(metrics), a);
  return object;
}

std::vector<std::optional<double>> throughput_values(const std::vector<RunRecords>& runs,
                                                     double Throughput::*field) {
  std::vector<std::optional<double>> values;
  for (const auto& run : runs)
    values.push_back(run.run.throughput ? std::optional<double>((*run.run.throughput).*field)
                                        : std::nullopt);
  return values;
}

Section run_throughput_section(const std::vector<RunRecords>& runs) {
  Section section{"Throughput", {}};
  section.blocks.push_back(Paragraph{
      {"Inference on each run's evaluation set, measured after its last evaluation; "
       "\"B / A\" is the ratio to run A."}});
  Table table;
  table.header = side_by_side_header({""}, runs.size(), " / A");
  const auto add_row = [&](const std::string& name, double Throughput::*field, int decimals) {
    const auto values = throughput_values(runs, field);
    const auto ratios = ratios_to_first(values);
    std::vector<Text> row = {name};
    for (std::size_t i = 0; i < runs.size(); ++i) {
      row.emplace_back(format_optional(values[i], decimals));
      if (i > 0) row.emplace_back(format_speedup(ratios[i]));
    }
    table.rows.push_back(std::move(row));
  };
  add_row("instances per second", &Throughput::instances_per_s, kThroughputDecimals);
  add_row("backbone passes per second", &Throughput::passes_per_s, 2);
  add_row("median time (s)", &Throughput::median_s, 4);
  std::vector<Text> devices = {"device"};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    devices.emplace_back(runs[i].run.throughput ? runs[i].run.throughput->device : kNoValue);
    if (i > 0) devices.emplace_back("");
  }
  table.rows.push_back(std::move(devices));
  section.blocks.push_back(std::move(table));
  return section;
}

rapidjson::Value run_throughput_json(const std::vector<RunRecords>& runs, JsonAllocator& a) {
  const auto instances = throughput_values(runs, &Throughput::instances_per_s);
  const auto ratios = ratios_to_first(instances);
  rapidjson::Value list(rapidjson::kArrayType);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "label", json_string(label(i), a), a);
    const auto& throughput = runs[i].run.throughput;
    add_member(item, "instances_per_s", json_number_or_null(instances[i]), a);
    add_member(item, "passes_per_s",
               json_number_or_null(throughput ? std::optional<double>(throughput->passes_per_s)
                                              : std::nullopt),
               a);
    add_member(item, "device", throughput ? json_string(throughput->device, a) : rapidjson::Value(), a);
    add_member(item, "ratio_to_a", json_number_or_null(ratios[i]), a);
    list.PushBack(item, a);
  }
  return list;
}

std::string run_line_name(const std::vector<RunRecords>& runs, std::size_t i) {
  return label(i) + ": " + shown_path(runs[i].dir);
}

Section run_losses_section(const std::vector<RunRecords>& runs) {
  Section section{"Training losses", {}};
  std::vector<std::string> series, lines;
  std::vector<ChartRow> steps, means;
  for (const std::string name : {"task_loss", "retrieval_loss"}) {
    bool any = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const std::string line = run_line_name(runs, i);
      if (!add_step_loss_rows(steps, means, runs[i].metrics, name, line)) continue;
      any = true;
      if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
    }
    if (any) series.push_back(name);
  }
  if (series.empty()) {
    section.blocks.push_back(Paragraph{{"No run has recorded a training step yet."}});
    return section;
  }
  // Lines in the runs' order, whichever loss they first appeared in.
  std::vector<std::string> ordered;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (std::find(lines.begin(), lines.end(), run_line_name(runs, i)) != lines.end())
      ordered.push_back(run_line_name(runs, i));
  section.blocks.push_back(Chart{"Training losses per step, every run", kStepLossCaption,
                                 step_losses_spec(series, ordered, steps, means)});
  return section;
}

rapidjson::Value run_losses_json(const std::vector<RunRecords>& runs, JsonAllocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "label", json_string(label(i), a), a);
    item.AddMember("step_lines", static_cast<uint64_t>(runs[i].metrics.step_lines), a);
    const auto mean_json = [&](rapidjson::Value& point, const LossMean& mean) {
      point.AddMember("step", static_cast<int64_t>(mean.step), a);
      point.AddMember("task_loss", mean.task_loss, a);
      add_member(point, "retrieval_loss", json_number_or_null(mean.retrieval_loss), a);
    };
    add_member(item, "means", json_object_array(runs[i].metrics.means, a, mean_json), a);
    list.PushBack(item, a);
  }
  return list;
}

Section runs_section(const std::vector<RunRecords>& runs, const std::filesystem::path& out_dir) {
  Table table;
  table.header = {"", "run", "status", "command", "steps", "wall time", "report"};
  table.first_numeric_column = table.header.size();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& run = runs[i].run;
    table.rows.push_back({label(i), shown_path(runs[i].dir), run.status, run.command,
                          std::to_string(run.steps_done) + " of " + std::to_string(run.steps),
                          run.wall_s ? format_fixed(*run.wall_s, 1) + " s" : kNoValue,
                          report_link(runs[i].dir, out_dir)});
  }
  Section section{"Runs", {}};
  section.blocks.push_back(Paragraph{
      {"Task: " + task_of(runs.front()).name() + ", primary metric " +
       runs.front().run.primary_metric + ". Differences are each run minus run A."}});
  section.blocks.push_back(std::move(table));
  return section;
}

rapidjson::Value items_json(const std::vector<std::filesystem::path>& dirs,
                            const std::vector<std::string>& statuses, JsonAllocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "label", json_string(label(i), a), a);
    add_member(item, "dir", json_string(shown_path(dirs[i]), a), a);
    add_member(item, "status", json_string(statuses[i], a), a);
    list.PushBack(item, a);
  }
  return list;
}

// ---- sweeps ----

// A sweep's run configs mention the sweep's own directory (a finetuning run's init_from is
// its warm-up there); written as "{sweep}" those paths compare equal across sweeps.
std::string without_sweep_dir(std::string text, const std::filesystem::path& sweep_dir) {
  std::vector<std::string> spellings = {
      std::filesystem::absolute(sweep_dir).lexically_normal().string(),
      sweep_dir.lexically_normal().string()};
  for (auto& spelling : spellings) {
    while (spelling.size() > 1 && spelling.back() == '/') spelling.pop_back();
    if (spelling.empty() || spelling == ".") continue;
    for (auto at = text.find(spelling); at != std::string::npos; at = text.find(spelling, at)) {
      const char after = at + spelling.size() < text.size() ? text[at + spelling.size()] : '\0';
      const char before = at > 0 ? text[at - 1] : '\0';
      if ((after == '/' || after == '"') && (before == '"' || before == '/' || at == 0)) {
        // Only a whole path, or a whole leading part of one (never inside a longer name).
        if (before == '/' && spelling.front() != '/') {
          at += spelling.size();
          continue;
        }
        text.replace(at, spelling.size(), "{sweep}");
        at += 7;
      } else {
        at += spelling.size();
      }
    }
  }
  return text;
}

const SweepRun* run_with_id(const SweepRecords& sweep, const std::string& id) {
  for (const auto& run : sweep.runs)
    if (run.entry.id == id) return &run;
  return nullptr;
}

struct SweepConfigDifferences {
  std::vector<ConfigDifference> differences;
  std::vector<std::size_t> runs_differing;  // 0 for the sweep-level keys
};

// The sweep-level keys (backbones, N, tasks) that differ, then every run-config key that
// differs in at least one run present in all sweeps, with the values of the first such run.
SweepConfigDifferences sweep_config_differences(const std::vector<SweepRecords>& sweeps) {
  SweepConfigDifferences out;
  const auto add_sweep_key = [&](const std::string& key, const auto& text_of) {
    std::vector<FlatConfig> configs;
    for (const auto& sweep : sweeps) configs.push_back({{key, text_of(sweep.sweep)}});
    for (auto& difference : config_differences(configs)) {
      out.differences.push_back(std::move(difference));
      out.runs_differing.push_back(0);
    }
  };
  add_sweep_key("sweep.backbones", [](const SweepRecord& sweep) {
    std::string text = "[";
    for (const auto& backbone : sweep.backbones)
      text += (text.size() > 1 ? "," : "") + json_string_literal(backbone);
    return text + "]";
  });
  add_sweep_key("sweep.num_instances", [](const SweepRecord& sweep) {
    std::string text = "[";
    for (const auto n : sweep.num_instances) text += (text.size() > 1 ? "," : "") + std::to_string(n);
    return text + "]";
  });
  add_sweep_key("sweep.tasks", [](const SweepRecord& sweep) {
    std::string text = "[";
    for (const auto& task : sweep.tasks)
      text += (text.size() > 1 ? "," : "") + json_string_literal(task.name);
    return text + "]";
  });

  const std::size_t sweep_keys = out.differences.size();
  for (const auto& run : sweeps.front().runs) {
    std::vector<FlatConfig> configs;
    for (const auto& sweep : sweeps) {
      const SweepRun* same = run_with_id(sweep, run.entry.id);
      if (same == nullptr || !same->records) break;
      FlatConfig config = flatten_config(same->records->config);
      for (auto& entry : config) entry.second = without_sweep_dir(entry.second, sweep.dir);
      configs.push_back(std::move(config));
    }
    if (configs.size() != sweeps.size()) continue;
    for (auto& difference : config_differences(configs)) {
      const auto known = std::find_if(out.differences.begin() + sweep_keys, out.differences.end(),
                                      [&](const ConfigDifference& d) { return d.key == difference.key; });
      if (known != out.differences.end()) {
        ++out.runs_differing[known - out.differences.begin()];
        continue;
      }
      out.differences.push_back(std::move(difference));
      out.runs_differing.push_back(1);
    }
  }
  return out;
}

void refuse_unrelated_sweeps(const std::vector<SweepRecords>& sweeps,
                             const std::vector<SweepTables>& tables) {
  for (std::size_t i = 1; i < sweeps.size(); ++i) {
    bool shared = false;
    for (const auto& task : tables.front().grid.tasks)
      for (const auto& other : tables[i].grid.tasks) {
        if (task.name != other.name) continue;
        shared = true;
        if (!task.primary_metric.empty() && !other.primary_metric.empty() &&
            task.primary_metric != other.primary_metric)
          throw Error(std::string(kCommand) + ": task '" + task.name + "' has primary metric " +
                      task.primary_metric + " in " + shown_path(sweeps.front().dir) + " but " +
                      other.primary_metric + " in " + shown_path(sweeps[i].dir) +
                      "; compare sweeps of the same tasks");
      }
    if (!shared) {
      const auto names = [](const SweepTables& t) {
        const std::string text = join(t.grid.tasks, ", ", [](const auto& task) { return task.name; });
        return text.empty() ? std::string("none") : text;
      };
      throw Error(std::string(kCommand) + ": " + shown_path(sweeps.front().dir) + " (tasks " +
                  names(tables.front()) + ") and " + shown_path(sweeps[i].dir) + " (tasks " +
                  names(tables[i]) + ") share no task; compare sweeps of the same tasks");
    }
  }
}

template <typename T>
void append_unique(std::vector<T>& items, const T& item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
}

// One (task, N, backbone) cell that at least one sweep has a finetuning run for.
struct Cell {
  std::string task;
  std::int64_t n;
  std::string backbone;
  std::string metric;
  std::vector<const FinetuneResult*> results;  // per sweep; null where it has none
};

std::vector<Cell> cells_of(const std::vector<SweepTables>& tables) {
  std::vector<SweepTask> tasks;
  std::vector<std::int64_t> ns;
  std::vector<std::string> backbones;
  for (const auto& t : tables) {
    for (const auto& task : t.grid.tasks)
      if (std::none_of(tasks.begin(), tasks.end(),
                       [&](const SweepTask& known) { return known.name == task.name; }))
        tasks.push_back(task);
    for (const auto n : t.grid.num_instances) append_unique(ns, n);
    for (const auto& backbone : t.grid.backbones) append_unique(backbones, backbone);
  }
  std::sort(ns.begin(), ns.end());
  std::vector<Cell> cells;
  for (const auto& task : tasks)
    for (const auto n : ns)
      for (const auto& backbone : backbones) {
        Cell cell{task.name, n, backbone, task.primary_metric, {}};
        bool any = false;
        for (const auto& t : tables) {
          const FinetuneResult* result = t.finetune(task.name, backbone, n);
          if (result && cell.metric.empty()) cell.metric = result->metric_name;
          cell.results.push_back(result);
          any = any || result != nullptr;
        }
        if (any) cells.push_back(std::move(cell));
      }
  return cells;
}

std::vector<std::optional<double>> cell_values(const Cell& cell, bool throughput) {
  std::vector<std::optional<double>> values;
  for (const auto* result : cell.results)
    values.push_back(result == nullptr ? std::nullopt
                     : throughput      ? result->instances_per_s
                                       : result->metric);
  return values;
}

std::string status_note(const FinetuneResult* result) {
  if (result == nullptr || result->run->entry.status == "complete") return "";
  return " (" + result->run->entry.status + ")";
}

Section sweep_table1_section(const std::vector<Cell>& cells, std::size_t count) {
  Table table;
  table.caption =
      "Table 1 of each sweep side by side: each finetuning run's best evaluation (best_eval) of "
      "its task's primary metric; differences are each sweep minus sweep A. A status in "
      "parentheses marks a run that did not complete.";
  table.header = side_by_side_header({"task", "N", "backbone", "metric"}, count);
  table.first_numeric_column = 4;
  for (const auto& cell : cells) {
    std::vector<Text> row = {cell.task, std::to_string(cell.n), cell.backbone, cell.metric};
    const auto values = cell_values(cell, false);
    const auto differences = differences_from_first(values);
    for (std::size_t i = 0; i < count; ++i) {
      row.emplace_back(format_optional_metric(values[i], false) + status_note(cell.results[i]));
      if (i > 0)
        row.emplace_back(differences[i] ? format_difference(*differences[i], false) : kNoValue);
    }
    table.rows.push_back(std::move(row));
  }
  return Section{"Table 1 side by side", {std::move(table)}};
}

// Figure 2 of every sweep on one chart per task.
void add_sweep_figure2(Section& section, const std::vector<Cell>& cells,
                       const std::vector<SweepTables>& tables) {
  std::vector<std::string> tasks, backbones, sweeps;
  std::vector<std::int64_t> ns;
  for (const auto& cell : cells) {
    append_unique(tasks, cell.task);
    append_unique(backbones, cell.backbone);
  }
  for (std::size_t i = 0; i < tables.size(); ++i) sweeps.push_back(label(i));
  for (const auto& task : tasks) {
    std::vector<ChartRow> points;
    std::string metric;
    for (const auto& cell : cells) {
      if (cell.task != task) continue;
      metric = cell.metric;
      const auto values = cell_values(cell, false);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i]) continue;
        points.push_back({{"backbone", cell.backbone}, {"sweep", label(i)}, {"n", cell.n},
                          {"value", *values[i]}});
        append_unique(ns, cell.n);
      }
    }
    if (points.empty()) continue;
    section.blocks.push_back(
        Chart{"Figure 2 (" + task + ") of each sweep: " + metric + " vs N",
              "a colour per backbone, a dash pattern per sweep; N = 1 is the baseline",
              metric_vs_n_by_sweep_spec(task + ": " + metric + " vs N", metric, backbones, sweeps,
                                        ns, points)});
  }
}

Section sweep_throughput_section(const std::vector<Cell>& cells, std::size_t count) {
  Table table;
  table.caption =
      "Inference instances per second of each finetuning run (its last measurement); "
      "\"B / A\" is the ratio to sweep A.";
  table.header = side_by_side_header({"task", "N", "backbone"}, count, " / A");
  table.first_numeric_column = 3;
  for (const auto& cell : cells) {
    std::vector<Text> row = {cell.task, std::to_string(cell.n), cell.backbone};
    const auto values = cell_values(cell, true);
    const auto ratios = ratios_to_first(values);
    for (std::size_t i = 0; i < count; ++i) {
      row.emplace_back(format_optional(values[i], kThroughputDecimals));
      if (i > 0) row.emplace_back(format_speedup(ratios[i]));
    }
    table.rows.push_back(std::move(row));
  }
  return Section{"Throughput side by side", {std::move(table)}};
}

rapidjson::Value cells_json(const std::vector<Cell>& cells, bool throughput, JsonAllocator& a) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& cell : cells) {
    rapidjson::Value item(rapidjson::kObjectType);
    add_member(item, "task", json_string(cell.task, a), a);
    item.AddMember("num_instances", static_cast<int64_t>(cell.n), a);
    add_member(item, "backbone", json_string(cell.backbone, a), a);
    const auto values = cell_values(cell, throughput);
    if (throughput) {
      add_member(item, "instances_per_s", numbers_json(values, a), a);
      add_member(item, "ratios_to_a", numbers_json(ratios_to_first(values), a), a);
    } else {
      add_member(item, "metric", json_string(cell.metric, a), a);
      add_member(item, "values", numbers_json(values, a), a);
      add_member(item, "differences", numbers_json(differences_from_first(values), a), a);
    }
    list.PushBack(item, a);
  }
  return list;
}

Section sweeps_section(const std::vector<SweepRecords>& sweeps,
                       const std::filesystem::path& out_dir) {
  Table table;
  table.header = {"", "sweep", "name", "status", "runs complete", "report"};
  table.first_numeric_column = table.header.size();
  for (std::size_t i = 0; i < sweeps.size(); ++i) {
    const auto& runs = sweeps[i].runs;
    const auto complete = std::count_if(runs.begin(), runs.end(), [](const SweepRun& run) {
      return run.entry.status == "complete";
    });
    table.rows.push_back({label(i), shown_path(sweeps[i].dir), sweeps[i].sweep.name,
                          sweeps[i].sweep.status,
                          std::to_string(complete) + " of " + std::to_string(runs.size()),
                          report_link(sweeps[i].dir, out_dir)});
  }
  return Section{"Sweeps", {std::move(table)}};
}

CompareReport compare_document(const std::string& title, const std::string& subject,
                               const std::string& generated_at) {
  CompareReport report;
  report.json = report_json(kCompareReportSchemaVersion, "compare", generated_at);
  auto& a = report.json.GetAllocator();
  add_member(report.json, "subject", json_string(subject, a), a);
  report.document = report_document(title, generated_at);
  return report;
}

std::string title_of(const std::string& what, const std::vector<std::filesystem::path>& dirs) {
  std::string names;
  for (std::size_t i = 0; i < dirs.size(); ++i)
    names += (i ? " vs " : "") + directory_name(dirs[i]);
  return "Comparison of " + what + ": " + names;
}

enum class DirectoryKind { kRun, kSweep };

DirectoryKind kind_of(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) throw Error(dir.string() + ": no such directory");
  if (std::filesystem::exists(dir / "sweep.json")) return DirectoryKind::kSweep;
  if (std::filesystem::exists(dir / "run.json")) return DirectoryKind::kRun;
  throw Error(dir.string() +
              ": neither sweep.json nor run.json is there (not a sweep or run directory)");
}

}  // namespace

CompareReport build_run_comparison(const std::vector<RunRecords>& runs,
                                   const std::filesystem::path& out_dir,
                                   const std::string& generated_at) {
  refuse_different_tasks(runs);
  std::vector<std::filesystem::path> dirs;
  std::vector<std::string> statuses;
  std::vector<FlatConfig> configs;
  for (const auto& run : runs) {
    dirs.push_back(run.dir);
    statuses.push_back(run.run.status);
    configs.push_back(flatten_config(run.config));
  }
  const auto differences = config_differences(configs);

  CompareReport report = compare_document(title_of("runs", dirs), "runs", generated_at);
  auto& a = report.json.GetAllocator();
  const RunTask task = task_of(runs.front());
  rapidjson::Value task_json(rapidjson::kObjectType);
  add_member(task_json, "plugin", json_text_or_null(task.plugin, a), a);
  add_member(task_json, "format", json_text_or_null(task.format, a), a);
  add_member(task_json, "primary_metric", json_string(task.primary_metric, a), a);
  add_member(report.json, "task", std::move(task_json), a);
  add_member(report.json, "items", items_json(dirs, statuses, a), a);
  add_member(report.json, "config_differences", config_differences_json(differences, nullptr, a), a);
  rapidjson::Value metrics(rapidjson::kObjectType);
  add_member(metrics, "final", run_metrics_json(runs, false, a), a);
  add_member(metrics, "best", run_metrics_json(runs, true, a), a);
  add_member(report.json, "metrics", std::move(metrics), a);
  add_member(report.json, "throughput", run_throughput_json(runs, a), a);
  add_member(report.json, "losses", run_losses_json(runs, a), a);

  Document& document = report.document;
  document.sections.push_back(runs_section(runs, out_dir));
  add_config_section(document, differences, runs.size(),
                     "Only the keys whose values differ (config.json, the resolved config)");
  Section metrics_section{"Final and best metrics", {}};
  metrics_section.blocks.push_back(run_metrics_table(runs, false));
  metrics_section.blocks.push_back(run_metrics_table(runs, true));
  document.sections.push_back(std::move(metrics_section));
  document.sections.push_back(run_throughput_section(runs));
  document.sections.push_back(run_losses_section(runs));
  return report;
}

CompareReport build_sweep_comparison(const std::vector<SweepRecords>& sweeps,
                                     const std::filesystem::path& out_dir,
                                     const std::string& generated_at) {
  std::vector<SweepTables> tables;
  for (const auto& sweep : sweeps) tables.push_back(compute_sweep_tables(sweep));
  refuse_unrelated_sweeps(sweeps, tables);
  std::vector<std::filesystem::path> dirs;
  std::vector<std::string> statuses;
  for (const auto& sweep : sweeps) {
    dirs.push_back(sweep.dir);
    statuses.push_back(sweep.sweep.status);
  }
  const auto differences = sweep_config_differences(sweeps);
  const auto cells = cells_of(tables);

  CompareReport report = compare_document(title_of("sweeps", dirs), "sweeps", generated_at);
  auto& a = report.json.GetAllocator();
  add_member(report.json, "items", items_json(dirs, statuses, a), a);
  add_member(report.json, "config_differences",
             config_differences_json(differences.differences, &differences.runs_differing, a), a);
  add_member(report.json, "table1", cells_json(cells, false, a), a);
  add_member(report.json, "throughput", cells_json(cells, true, a), a);

  Document& document = report.document;
  document.sections.push_back(sweeps_section(sweeps, out_dir));
  add_config_section(document, differences.differences, sweeps.size(),
                     "Only the keys that differ: the sweeps' backbones, N and tasks, then each "
                     "run's resolved config (config.json) for the runs all sweeps have, with the "
                     "values of the first run where the key differs (paths inside a sweep "
                     "directory shown as {sweep})",
                     &differences.runs_differing);
  document.sections.push_back(sweep_table1_section(cells, sweeps.size()));
  add_sweep_figure2(document.sections.back(), cells, tables);
  document.sections.push_back(sweep_throughput_section(cells, sweeps.size()));
  return report;
}

std::vector<std::filesystem::path> write_compare_report(
    const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out_dir) {
  if (dirs.size() < 2)
    throw Error(std::string(kCommand) + ": needs two or more run or sweep directories (got " +
                std::to_string(dirs.size()) + ")");
  std::vector<DirectoryKind> kinds;
  for (const auto& dir : dirs) kinds.push_back(kind_of(dir));
  for (std::size_t i = 1; i < dirs.size(); ++i)
    if (kinds[i] != kinds.front()) {
      const auto what = [](DirectoryKind kind) { return kind == DirectoryKind::kRun ? "run" : "sweep"; };
      throw Error(std::string(kCommand) + ": " + shown_path(dirs.front()) + " is a " +
                  what(kinds.front()) + " directory, " + shown_path(dirs[i]) + " a " +
                  what(kinds[i]) + " directory; compare runs with runs or sweeps with sweeps");
    }
  for (const auto& dir : dirs)
    if (std::filesystem::exists(out_dir) && std::filesystem::equivalent(dir, out_dir))
      throw Error(out_dir.string() + ": is one of the compared directories, whose own report "
                  "would be overwritten; choose another --out");
  if (std::filesystem::exists(out_dir) && !std::filesystem::is_directory(out_dir))
    throw Error(out_dir.string() + ": exists and is not a directory");

  CompareReport report;
  if (kinds.front() == DirectoryKind::kRun) {
    std::vector<RunRecords> runs;
    for (const auto& dir : dirs) runs.push_back(read_run_records(dir));
    report = build_run_comparison(runs, out_dir, utc_timestamp_now());
  } else {
    std::vector<SweepRecords> sweeps;
    for (const auto& dir : dirs) sweeps.push_back(read_sweep_records(dir));
    report = build_sweep_comparison(sweeps, out_dir, utc_timestamp_now());
  }
  std::filesystem::create_directories(out_dir);
  return write_report_files(out_dir, report.json, report.document);
}

}  // namespace datamux::reports
