#include "datamux/reports/run_records.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"
#include "json_values.h"
#include "record_fields.h"

namespace datamux::reports {
namespace {

// Every number of an evaluation object except its "step" is a metric; "counts" lists the
// metrics that are counts.
Evaluation read_evaluation(const RecordFields& fields, std::int64_t step) {
  Evaluation evaluation;
  evaluation.step = step;
  for (const auto& member : fields.value().GetObject()) {
    const std::string name = member.name.GetString();
    if (name == "step" || name == "counts") continue;
    if (!member.value.IsNumber()) fields.fail(name, "must be a number");
    evaluation.values.emplace_back(name, member.value.GetDouble());
  }
  if (!fields.has("counts")) return evaluation;
  evaluation.counts.emplace();
  fields.for_each_element("counts", [&](const rapidjson::Value& element, const std::string& key) {
    if (!element.IsString()) fields.fail(key, "must be a metric name");
    const std::string name = element.GetString();
    if (!evaluation.value(name)) fields.fail(key, "names '" + name + "', which is not a metric here");
    evaluation.counts->push_back(name);
  });
  return evaluation;
}

bool whole_number(double value) { return std::floor(value) == value; }

Throughput read_throughput(const RecordFields& fields) {
  Throughput throughput;
  throughput.instances_per_s = fields.number("instances_per_s");
  throughput.passes_per_s = fields.number("passes_per_s");
  throughput.eval_instances = fields.integer("eval_instances");
  throughput.repeats = fields.integer("repeats");
  throughput.median_s = fields.number("median_s");
  throughput.device = fields.string("device");
  return throughput;
}

PluginUse read_plugin(const RecordFields& fields) {
  return PluginUse{fields.string("name"), fields.string("version"), fields.string("path"),
                   fields.string("sha256"), fields.string("build_key")};
}

std::vector<std::pair<std::string, std::string>> read_environment(const RecordFields& fields) {
  // The five documented keys must be there; anything else the trainer adds is shown too.
  fields.string("device");
  fields.string("libtorch");
  fields.string("blas");
  fields.integer("threads");
  fields.string("host");
  std::vector<std::pair<std::string, std::string>> environment;
  for (const auto& member : fields.value().GetObject())
    environment.emplace_back(member.name.GetString(), json_value_text(member.value));
  return environment;
}

std::string where_at_line(const std::filesystem::path& file, std::size_t line) {
  return file.string() + ":" + std::to_string(line);
}

}  // namespace

std::optional<double> Evaluation::value(const std::string& name) const {
  for (const auto& [key, number] : values)
    if (key == name) return number;
  return std::nullopt;
}

RunRecord read_run_json(const std::filesystem::path& file) {
  const rapidjson::Document document = read_json_file(file);
  const RecordFields fields(document, file.string());
  RunRecord record;
  record.schema_version = read_schema_version(fields);
  record.status = fields.string("status");
  record.command = fields.string("command");
  record.config_source = fields.optional_string("config_source");
  record.init_from = fields.optional_string("init_from");
  fields.for_each_object("plugins", [&](const RecordFields& plugin) {
    record.plugins.push_back(read_plugin(plugin));
  });
  const RecordFields environment = fields.object("environment");
  record.environment = read_environment(environment);
  record.environment_json = to_json_text(environment.value(), false);
  record.primary_metric = fields.string("primary_metric");
  record.steps = fields.integer("steps");
  record.steps_done = fields.integer("steps_done");
  if (const auto final_eval = fields.optional_object("final_eval"))
    record.final_eval = read_evaluation(*final_eval, final_eval->integer("step"));
  if (const auto best_eval = fields.optional_object("best_eval"))
    record.best_eval = read_evaluation(*best_eval, best_eval->integer("step"));
  if (const auto throughput = fields.optional_object("throughput"))
    record.throughput = read_throughput(*throughput);
  record.dropped_examples = fields.optional_integer("dropped_examples");
  record.wall_s = fields.optional_number("wall_s");
  record.error = fields.optional_string("error");
  return record;
}

MetricsLog read_metrics_log(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot open file");
  MetricsLog log;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // a trailing blank line
    const std::string where = where_at_line(file, line);
    rapidjson::Document document;
    document.Parse(text.c_str(), text.size());
    if (document.HasParseError())
      throw Error(where + ":" + std::to_string(document.GetErrorOffset() + 1) +
                  ": invalid JSON: " + rapidjson::GetParseError_En(document.GetParseError()));
    const RecordFields fields(document, where);
    // The three kinds of line are told apart by their keys (docs/run-records.md).
    if (fields.has("mean")) {
      const auto mean = fields.object("mean");
      LossMean point;
      point.step = fields.integer("step");
      point.window = fields.integer("window");
      point.loss = mean.number("loss");
      point.task_loss = mean.number("task_loss");
      point.retrieval_loss = mean.optional_number("retrieval_loss");
      log.means.push_back(point);
    } else if (fields.has("eval")) {
      log.evaluations.push_back(read_evaluation(fields.object("eval"), fields.integer("step")));
    } else {
      StepLoss step;
      step.step = fields.integer("step");
      step.loss = fields.number("loss");
      step.task_loss = fields.number("task_loss");
      step.retrieval_loss = fields.optional_number("retrieval_loss");
      log.steps.push_back(step);
      ++log.step_lines;
    }
  }
  return log;
}

bool RunRecords::is_count(const std::string& name) const {
  return std::find(counts.begin(), counts.end(), name) != counts.end();
}

std::vector<std::string> metric_counts(const RunRecord& run, const MetricsLog& metrics) {
  std::vector<const Evaluation*> evaluations;
  for (const auto& evaluation : metrics.evaluations) evaluations.push_back(&evaluation);
  if (run.final_eval) evaluations.push_back(&*run.final_eval);
  if (run.best_eval) evaluations.push_back(&*run.best_eval);
  std::vector<std::string> names;
  for (const auto* evaluation : evaluations)
    for (const auto& [name, value] : evaluation->values)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);

  std::vector<std::string> counts;
  for (const auto& name : names) {
    bool declared = false, declared_count = false, whole = true, above_one = false;
    for (const auto* evaluation : evaluations) {
      const auto value = evaluation->value(name);
      if (!value) continue;
      whole = whole && whole_number(*value);
      above_one = above_one || *value > 1;
      if (!evaluation->counts) continue;
      declared = true;
      const auto& listed = *evaluation->counts;
      declared_count = declared_count || std::find(listed.begin(), listed.end(), name) != listed.end();
    }
    if (declared ? declared_count : whole && above_one) counts.push_back(name);
  }
  return counts;
}

RunRecords read_run_records(const std::filesystem::path& run_dir) {
  if (!std::filesystem::is_directory(run_dir))
    throw Error(run_dir.string() + ": no such run directory");
  RunRecords records;
  records.dir = run_dir;
  records.run = read_run_json(run_dir / "run.json");
  records.metrics = read_metrics_log(run_dir / "metrics.jsonl");
  records.config = read_json_file(run_dir / "config.json");
  if (!records.config.IsObject())
    throw Error((run_dir / "config.json").string() + ": the config must be a JSON object");
  records.counts = metric_counts(records.run, records.metrics);
  return records;
}

}  // namespace datamux::reports
