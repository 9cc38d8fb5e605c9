#pragma once
// Every run and sweep ends with its report. A report that cannot be written is a warning, not
// a failure: the training it describes is done and its records are intact, and
// `datamux report DIR` can write it later.
#include <filesystem>
#include <ostream>

namespace datamux::cli {

// `announce`: name report.html in `log`, or warn when it cannot be written; false after a
// failure, whose own message stays the one line shown.
void write_report_after_run(const std::filesystem::path& dir, std::ostream& log,
                            bool announce = true);

}  // namespace datamux::cli
