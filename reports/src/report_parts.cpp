#include "report_parts.h"

#include <algorithm>
#include <cmath>

#include "datamux/reports/report_files.h"

namespace datamux::reports {

rapidjson::Document report_json(int schema_version, const std::string& kind,
                                const std::string& generated_at) {
  rapidjson::Document json(rapidjson::kObjectType);
  auto& a = json.GetAllocator();
  json.AddMember("schema_version", schema_version, a);
  add_member(json, "kind", json_string(kind, a), a);
  add_member(json, "generated_at", json_string(generated_at, a), a);
  add_member(json, "generator", json_string(generator_name(), a), a);
  return json;
}

std::string directory_name(const std::filesystem::path& dir) {
  auto normal = std::filesystem::weakly_canonical(dir);
  if (normal.filename().empty()) normal = normal.parent_path();
  return normal.filename().string();
}

Document report_document(std::string title, const std::string& generated_at) {
  Document document;
  document.title = std::move(title);
  document.generated_at = generated_at;
  document.generator = generator_name();
  return document;
}

Table key_value_table(std::vector<std::vector<Text>> rows) {
  Table table;
  table.header = {"", ""};
  table.rows = std::move(rows);
  table.first_numeric_column = 2;  // values are mixed text: keep them left-aligned
  return table;
}

void add_critical_members(rapidjson::Value& object, const CriticalRetrievalLoss& critical,
                          JsonAllocator& a) {
  object.AddMember("reference_step", static_cast<int64_t>(critical.reference_step), a);
  object.AddMember("reference_task_loss", critical.reference_task_loss, a);
  add_member(object, "step", json_integer_or_null(critical.step), a);
  add_member(object, "task_loss", json_number_or_null(critical.task_loss), a);
  add_member(object, "retrieval_loss", json_number_or_null(critical.retrieval_loss), a);
}

void add_loss_rows(std::vector<ChartRow>& rows, const LossMean& mean, const ChartRow& key) {
  const auto add = [&](const char* series, double value) {
    ChartRow row = key;
    row.insert(row.end(), {{"step", mean.step}, {"series", std::string(series)}, {"value", value}});
    rows.push_back(std::move(row));
  };
  add("task_loss", mean.task_loss);
  if (mean.retrieval_loss) add("retrieval_loss", *mean.retrieval_loss);
}

std::vector<const StepLoss*> chart_steps(const std::vector<StepLoss>& steps) {
  const std::size_t stride = (steps.size() + kMaxChartSteps - 1) / kMaxChartSteps;
  std::vector<const StepLoss*> kept;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (stride <= 1 || i % stride == 0 || i + 1 == steps.size()) kept.push_back(&steps[i]);
  return kept;
}

bool add_step_loss_rows(std::vector<ChartRow>& steps, std::vector<ChartRow>& means,
                        const MetricsLog& metrics, const std::string& series,
                        const std::string& line) {
  const bool task = series == "task_loss";
  bool any = false;
  for (const StepLoss* step : chart_steps(metrics.steps)) {
    const std::optional<double> value = task ? step->task_loss : step->retrieval_loss;
    if (!value) continue;
    steps.push_back({{"series", series}, {"line", line}, {"step", step->step}, {"value", *value}});
    any = true;
  }
  for (const auto& mean : metrics.means) {
    const std::optional<double> value = task ? mean.task_loss : mean.retrieval_loss;
    if (!value) continue;
    means.push_back({{"series", series},
                     {"line", line},
                     {"start", mean.step - mean.window + 1},
                     {"step", mean.step},
                     {"value", *value}});
    any = true;
  }
  return any;
}

std::vector<std::string> metric_names(const std::vector<const Evaluation*>& evaluations,
                                      const std::string& primary,
                                      const std::vector<std::string>& counts) {
  std::vector<std::string> names;
  for (const auto* evaluation : evaluations) {
    if (evaluation == nullptr) continue;
    for (const auto& [name, value] : evaluation->values)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  const auto rank = [&](const std::string& name) {
    if (name == primary) return 0;
    return std::find(counts.begin(), counts.end(), name) == counts.end() ? 1 : 2;
  };
  std::stable_sort(names.begin(), names.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  return names;
}

rapidjson::Value json_metric_values(const NamedValues& values, const RunRecords& records,
                                    JsonAllocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  for (const auto& [name, value] : values)
    add_member(object, name,
               records.is_count(name) ? rapidjson::Value(static_cast<int64_t>(std::llround(value)))
                                      : rapidjson::Value(value),
               a);
  return object;
}

}  // namespace datamux::reports
