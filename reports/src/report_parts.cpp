#include "report_parts.h"

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

}  // namespace datamux::reports
