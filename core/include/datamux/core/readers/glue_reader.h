#pragma once
// GLUE TSV files: SST-2, QNLI, MNLI (matched dev) and QQP in their GLUE column layouts,
// each with a header line. Errors name file and line: a missing file, an empty file, invalid
// UTF-8, a wrong column count, an empty sentence, a label outside the task's fixed label set
// (SST-2 and QQP: 0, 1; QNLI: entailment, not_entailment; MNLI: entailment, neutral,
// contradiction).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datamux/core/readers/examples.h"

namespace datamux {

enum class GlueTask { kSst2, kQnli, kMnli, kQqp };

// "sst2", "qnli", "mnli", "qqp" -> GlueTask; throws Error naming the valid ones otherwise.
GlueTask glue_task_from_name(const std::string& name);

std::vector<SentenceExample> read_glue_tsv(const std::filesystem::path& file, GlueTask task,
                                           ReadReport& report);

// The same on text in memory; `source` names it in messages (used by the fuzz targets).
std::vector<SentenceExample> parse_glue_tsv(std::string_view content, const std::string& source,
                                            GlueTask task, ReadReport& report);

}  // namespace datamux
