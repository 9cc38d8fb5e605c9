#include "report_parts.h"

#include <cmath>

#include "datamux/reports/report_files.h"

namespace datamux::reports {

rapidjson::Document report_json(int schema_version, const std::string& kind,
                                const std::string& generated_at) {
  rapidjson::Document json(rapidjson::kObjectType);
  auto& a = json.GetAllocator();
  json.AddMember("schema_version", schema_version, a);
  add_member(json, "kind", json_text(kind, a), a);
  add_member(json, "generated_at", json_text(generated_at, a), a);
  add_member(json, "generator", json_text(generator_name(), a), a);
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

std::optional<double> step_loss(const StepLoss& step, const std::string& series) {
  if (series == "loss") return step.loss;
  if (series == "task_loss") return step.task_loss;
  return step.retrieval_loss;
}

std::optional<double> mean_loss(const LossMean& mean, const std::string& series) {
  if (series == "loss") return mean.loss;
  if (series == "task_loss") return mean.task_loss;
  return mean.retrieval_loss;
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
