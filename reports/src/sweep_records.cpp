#include "datamux/reports/sweep_records.h"

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"
#include "record_fields.h"

namespace datamux::reports {
namespace {

SweepRunEntry read_run_entry(const RecordFields& fields) {
  SweepRunEntry entry;
  entry.id = fields.string("id");
  entry.dir = fields.string("dir");
  entry.backbone = fields.string("backbone");
  entry.num_instances = fields.integer("num_instances");
  entry.task = fields.string("task");
  entry.role = fields.string("role");
  if (entry.role != "warmup" && entry.role != "finetune")
    fields.fail("role", "must be \"warmup\" or \"finetune\", not \"" + entry.role + "\"");
  entry.from = fields.optional_string("from");
  entry.status = fields.string("status");
  if (std::filesystem::path(entry.dir).is_absolute())
    fields.fail("dir", "must be relative to the sweep directory");
  return entry;
}

}  // namespace

SweepRecord read_sweep_json(const std::filesystem::path& file) {
  const rapidjson::Document document = read_json_file(file);
  const RecordFields fields(document, file.string());
  SweepRecord record;
  record.schema_version = read_schema_version(fields);
  record.name = fields.string("name");
  record.config_source = fields.optional_string("config_source");
  record.status = fields.string("status");
  fields.for_each_element("backbones",
                          [&](const rapidjson::Value& backbone, const std::string& key) {
                            if (!backbone.IsString()) fields.fail(key, "must be a string");
                            record.backbones.emplace_back(backbone.GetString());
                          });
  fields.for_each_element("num_instances", [&](const rapidjson::Value& n, const std::string& key) {
    if (!n.IsInt64() || n.GetInt64() < 1) fields.fail(key, "must be a positive integer");
    record.num_instances.push_back(n.GetInt64());
  });
  fields.for_each_object("tasks", [&](const RecordFields& task) {
    // The sweep learns a task's primary metric from its first run, so it may be absent yet.
    record.tasks.push_back(SweepTask{task.string("name"), task.optional_string("primary_metric")});
  });
  fields.for_each_object(
      "runs", [&](const RecordFields& run) { record.runs.push_back(read_run_entry(run)); });
  return record;
}

SweepRecords read_sweep_records(const std::filesystem::path& sweep_dir) {
  if (!std::filesystem::is_directory(sweep_dir))
    throw Error(sweep_dir.string() + ": no such sweep directory");
  SweepRecords records;
  records.dir = sweep_dir;
  records.sweep = read_sweep_json(sweep_dir / "sweep.json");
  for (const auto& entry : records.sweep.runs) {
    SweepRun run{entry, std::nullopt};
    const auto run_dir = sweep_dir / entry.dir;
    // A run that has not started has no records yet; one that says it completed must have them.
    const bool started = entry.status != "pending" && std::filesystem::exists(run_dir / "run.json");
    if (started || entry.status == "complete") run.records = read_run_records(run_dir);
    records.runs.push_back(std::move(run));
  }
  return records;
}

}  // namespace datamux::reports
