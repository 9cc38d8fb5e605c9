// libFuzzer target: the GLUE TSV reader. The first input byte picks the task (its value
// modulo 4: '0' SST-2, '1' QNLI, '2' MNLI, '3' QQP); the rest is the file.
#include <cstddef>
#include <cstdint>

#include "datamux/core/readers/glue_reader.h"
#include "datamux/sdk/error.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamux;
  if (size == 0) return 0;
  static const GlueTask kTasks[] = {GlueTask::kSst2, GlueTask::kQnli, GlueTask::kMnli,
                                    GlueTask::kQqp};
  const GlueTask task = kTasks[data[0] % 4];
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string source = "fuzz.tsv";
  ReadReport report;
  try {
    const auto examples = parse_glue_tsv(content, source, task, report);
    if (examples.empty()) fuzz::broken("no examples and no error");
    std::size_t previous_line = 1;  // the header
    for (const auto& example : examples) {
      fuzz::check_text(example.text_a, "text_a");
      if (task == GlueTask::kSst2) {
        if (!example.text_b.empty()) fuzz::broken("text_b for a single-sentence task");
      } else {
        fuzz::check_text(example.text_b, "text_b");
      }
      if (!example.label.empty()) fuzz::check_text(example.label, "label");
      if (example.line <= previous_line || example.line > report.lines_read)
        fuzz::broken("line numbers out of order");
      previous_line = example.line;
    }
    if (task != GlueTask::kQqp && report.skipped != 0) fuzz::broken("skipped outside QQP");
    fuzz::check_report(report);
  } catch (const Error& error) {
    fuzz::check_error_message(error.what(), source);
  }
  return 0;
}
