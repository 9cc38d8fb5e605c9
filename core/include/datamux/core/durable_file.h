#pragma once
// Writes that either land whole or fail as one line naming the file and the cause
// ("<file>: cannot write: No space left on device"). Every record, checkpoint and report the
// toolkit writes goes through here, so no write error is lost in a stream's state and no
// half-written file ever carries a finished file's name.
#include <filesystem>
#include <string>

namespace datamux {

// Writes `content` to a temporary file beside `path` (fsynced), then renames it over `path`:
// a reader sees the old file or the new one, never a mixture. On any error the temporary file
// is removed, `path` is left as it was, and an Error names `path` and the cause.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// What an interrupted write leaves: "<name>.tmp.<pid>" (write_file_atomically) or "<name>.tmp".
bool is_temporary_file(const std::filesystem::path& file);

// A file written by appending lines (metrics.jsonl). Each append is one write() whose result is
// checked, so a full disk is reported at the line it hit.
class AppendOnlyFile {
 public:
  explicit AppendOnlyFile(std::filesystem::path path);
  ~AppendOnlyFile();
  AppendOnlyFile(const AppendOnlyFile&) = delete;
  AppendOnlyFile& operator=(const AppendOnlyFile&) = delete;

  void append(const std::string& text);
  void sync();  // fsync: what was appended survives a power loss

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Fault injection for the test suite (docs/reliability.md): DATAMUX_INJECT_ENOSPC=NAME[@K[+]]
// makes the K-th write (default the first; with "+", that one and all later) to a file named
// NAME (a temporary counts as its file) fail as a full disk (ENOSPC) would. Unset, it costs
// one getenv per write.
bool injected_disk_full(const std::filesystem::path& target);

}  // namespace datamux
