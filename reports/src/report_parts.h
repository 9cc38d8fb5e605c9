#pragma once
// What the run and the sweep report are both built from: report.json's opening members, the
// Document's title lines, key/value tables, the critical retrieval loss in report.json and
// loss curves as chart rows.
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "datamux/reports/analysis.h"
#include "datamux/reports/report_document.h"
#include "datamux/reports/run_records.h"
#include "datamux/reports/vega_specs.h"
#include "json_values.h"

namespace datamux::reports {

// report.json with its opening members: schema_version, kind ("run", "sweep"), generated_at
// and generator.
rapidjson::Document report_json(int schema_version, const std::string& kind,
                                const std::string& generated_at);

// A Document with its title, generated_at and generator set and no sections yet.
Document report_document(std::string title, const std::string& generated_at);

// A two-column table of names and values, all left-aligned and without a header row.
Table key_value_table(std::vector<std::vector<Text>> rows);

// Adds `critical`'s reference_step, reference_task_loss, step, task_loss and retrieval_loss
// to `object`.
void add_critical_members(rapidjson::Value& object, const CriticalRetrievalLoss& critical,
                          JsonAllocator& allocator);

// Appends `mean`'s task_loss and (when recorded) retrieval_loss as rows {key..., step, series,
// value}: `key` are the columns that come first (e.g. the backbone).
void add_loss_rows(std::vector<ChartRow>& rows, const LossMean& mean, const ChartRow& key = {});

}  // namespace datamux::reports
