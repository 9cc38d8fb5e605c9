#include "datamux/reports/study_reference.h"

#include <algorithm>
#include <set>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"
#include "record_fields.h"

namespace datamux::reports {
namespace {

// A misspelt key would silently drop a parameter of a claim: refuse every key not listed.
void refuse_unknown_keys(const RecordFields& fields, const std::set<std::string>& known) {
  for (const auto& member : fields.value().GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    if (known.count(key)) continue;
    std::string list;
    for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
    fields.fail(key, "is not a known key here (known: " + list + ")");
  }
}

std::string key_of(const rapidjson::Value& name) {
  return std::string(name.GetString(), name.GetStringLength());
}

StudyCitation read_citation(const RecordFields& fields) {
  refuse_unknown_keys(fields, {"authors", "title", "venue", "code", "source"});
  return {fields.string("authors"), fields.string("title"), fields.string("venue"),
          fields.optional_string("code"), fields.string("source")};
}

std::int64_t positive_n(const RecordFields& fields, const std::string& key) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(key, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != key.size() || n < 1 || n > 64)
    fields.fail(key, "must be a number of instances N from 1 to 64");
  return n;
}

std::vector<StudyCell> read_table1(const RecordFields& table, const StudyReference& study) {
  std::vector<StudyCell> cells;
  for (const auto& task_member : table.value().GetObject()) {
    const std::string task = key_of(task_member.name);
    if (!study.task(task)) table.fail(task, "is not one of the file's tasks");
    const RecordFields by_backbone = table.object(task.c_str());
    for (const auto& backbone_member : by_backbone.value().GetObject()) {
      const std::string backbone = key_of(backbone_member.name);
      if (!study.backbone(backbone))
        by_backbone.fail(backbone, "is not one of the file's backbones");
      const RecordFields by_n = by_backbone.object(backbone.c_str());
      for (const auto& n_member : by_n.value().GetObject()) {
        const std::string n_key = key_of(n_member.name);
        const std::int64_t n = positive_n(by_n, n_key);
        const double value = by_n.number(n_key.c_str());
        if (value < 0 || value > 1) by_n.fail(n_key, "must be a score from 0 to 1");
        cells.push_back({task, backbone, n, value});
      }
    }
  }
  return cells;
}

std::string declared_backbone(const RecordFields& fields, const char* key,
                              const StudyReference& study) {
  const std::string name = fields.string(key);
  if (!study.backbone(name)) fields.fail(key, "'" + name + "' is not one of the file's backbones");
  return name;
}

std::string declared_task(const RecordFields& fields, const char* key,
                          const StudyReference& study) {
  const std::string name = fields.string(key);
  if (!study.task(name)) fields.fail(key, "'" + name + "' is not one of the file's tasks");
  return name;
}

void read_relative_drop(const RecordFields& fields, const StudyReference& study,
                        StudyClaim& claim) {
  refuse_unknown_keys(fields, {"id", "kind", "statement", "source", "max_relative_drop", "checks"});
  claim.max_relative_drop = fields.number("max_relative_drop");
  if (claim.max_relative_drop <= 0 || claim.max_relative_drop >= 1)
    fields.fail("max_relative_drop", "must be a fraction between 0 and 1 (0.10 is 10%)");
  fields.for_each_object("checks", [&](const RecordFields& check_fields) {
    refuse_unknown_keys(check_fields, {"backbone", "task", "within_up_to", "falls_beyond"});
    RelativeDropCheck check;
    check.backbone = declared_backbone(check_fields, "backbone", study);
    check.task = declared_task(check_fields, "task", study);
    check.within_up_to = check_fields.optional_integer("within_up_to");
    if (check.within_up_to && *check.within_up_to < 1)
      check_fields.fail("within_up_to", "must be an N of at least 1, or null for every N");
    if (check_fields.has("falls_beyond")) {
      const auto& value = check_fields.value()["falls_beyond"];
      if (!value.IsBool()) check_fields.fail("falls_beyond", "must be true or false");
      check.falls_beyond = value.GetBool();
    }
    if (check.falls_beyond && !check.within_up_to)
      check_fields.fail("falls_beyond", "needs a within_up_to N to fall beyond");
    claim.checks.push_back(check);
  });
  if (claim.checks.empty()) fields.fail("checks", "must list at least one backbone and task");
}

void read_warmup_claim(const RecordFields& fields, const StudyReference& study, StudyClaim& claim) {
  refuse_unknown_keys(fields, {"id", "kind", "statement", "source", "highest"});
  claim.highest = declared_backbone(fields, "highest", study);
}

void read_critical_claim(const RecordFields& fields, const StudyReference& study,
                         StudyClaim& claim) {
  refuse_unknown_keys(fields, {"id", "kind", "statement", "source", "backbone", "task",
                               "num_instances", "study_value", "min_plateau_windows"});
  claim.backbone = declared_backbone(fields, "backbone", study);
  claim.task = declared_task(fields, "task", study);
  claim.num_instances = fields.integer("num_instances");
  if (claim.num_instances < 2) fields.fail("num_instances", "must be an N of at least 2");
  claim.study_value = fields.number("study_value");
  if (claim.study_value <= 0) fields.fail("study_value", "must be a retrieval loss above 0");
  claim.min_plateau_windows = fields.integer("min_plateau_windows");
  if (claim.min_plateau_windows < 1)
    fields.fail("min_plateau_windows", "must be at least 1 (100-step windows)");
}

StudyClaim read_claim(const RecordFields& fields, const StudyReference& study) {
  StudyClaim claim;
  claim.id = fields.integer("id");
  claim.statement = fields.string("statement");
  claim.source = fields.string("source");
  const std::string kind = fields.string("kind");
  if (kind == "relative_drop") {
    claim.kind = ClaimKind::kRelativeDrop;
    read_relative_drop(fields, study, claim);
  } else if (kind == "warmup_retrieval_loss") {
    claim.kind = ClaimKind::kWarmupRetrievalLoss;
    read_warmup_claim(fields, study, claim);
  } else if (kind == "critical_retrieval_loss") {
    claim.kind = ClaimKind::kCriticalRetrievalLoss;
    read_critical_claim(fields, study, claim);
  } else {
    fields.fail("kind", "'" + kind +
                            "' is not a claim kind (relative_drop, warmup_retrieval_loss, "
                            "critical_retrieval_loss)");
  }
  return claim;
}

}  // namespace

const StudyBackbone* StudyReference::backbone(const std::string& key) const {
  for (const auto& entry : backbones)
    if (entry.key == key) return &entry;
  return nullptr;
}

const StudyTask* StudyReference::task(const std::string& key) const {
  for (const auto& entry : tasks)
    if (entry.key == key) return &entry;
  return nullptr;
}

std::optional<double> StudyReference::cell(const std::string& task_key,
                                           const std::string& backbone_key, std::int64_t n) const {
  for (const auto& entry : table1)
    if (entry.task == task_key && entry.backbone == backbone_key && entry.num_instances == n)
      return entry.value;
  return std::nullopt;
}

std::vector<std::int64_t> StudyReference::num_instances(const std::string& task_key) const {
  std::vector<std::int64_t> ns;
  for (const auto& entry : table1)
    if (entry.task == task_key && std::find(ns.begin(), ns.end(), entry.num_instances) == ns.end())
      ns.push_back(entry.num_instances);
  std::sort(ns.begin(), ns.end());
  return ns;
}

StudyReference parse_study_reference(const std::string& json_text, const std::string& source) {
  const rapidjson::Document doc = parse_json(json_text, source);
  const RecordFields top(doc, source);
  refuse_unknown_keys(top,
                      {"schema_version", "citation", "backbones", "tasks", "table1", "claims"});
  const std::int64_t version = top.integer("schema_version");
  if (version != kStudyReferenceSchemaVersion)
    top.fail("schema_version", "is " + std::to_string(version) + "; this datamux reads " +
                                   std::to_string(kStudyReferenceSchemaVersion));
  StudyReference study;
  study.file = source;
  study.citation = read_citation(top.object("citation"));

  const RecordFields backbones = top.object("backbones");
  for (const auto& member : backbones.value().GetObject()) {
    const std::string key = key_of(member.name);
    const RecordFields fields = backbones.object(key.c_str());
    refuse_unknown_keys(fields, {"label", "plugin"});
    study.backbones.push_back({key, fields.string("label"), fields.string("plugin")});
  }
  if (study.backbones.empty()) top.fail("backbones", "must name at least one backbone");

  const RecordFields tasks = top.object("tasks");
  for (const auto& member : tasks.value().GetObject()) {
    const std::string key = key_of(member.name);
    const RecordFields fields = tasks.object(key.c_str());
    refuse_unknown_keys(fields, {"label", "metric", "data_format"});
    study.tasks.push_back(
        {key, fields.string("label"), fields.string("metric"), fields.string("data_format")});
  }
  if (study.tasks.empty()) top.fail("tasks", "must name at least one task");

  study.table1 = read_table1(top.object("table1"), study);
  std::set<std::int64_t> ids;
  top.for_each_object("claims", [&](const RecordFields& fields) {
    study.claims.push_back(read_claim(fields, study));
    if (!ids.insert(study.claims.back().id).second)
      fields.fail("id", std::to_string(study.claims.back().id) + " is used by an earlier claim");
  });
  return study;
}

StudyReference read_study_reference(const std::filesystem::path& file) {
  std::string text;
  if (!read_file(file, text)) throw Error(file.string() + ": cannot read the study's data file");
  return parse_study_reference(text, file.string());
}

std::filesystem::path default_study_reference_file() {
  // Beside the library, as the chart libraries are (chart_libraries.cpp).
  const auto library = std::filesystem::weakly_canonical(boost::dll::this_line_location());
  return library.parent_path().parent_path() / "share" / "datamux" / "studies" /
         "beyond-datamux-table1.json";
}

}  // namespace datamux::reports
