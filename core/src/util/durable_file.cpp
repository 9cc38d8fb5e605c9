#include "datamux/core/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "datamux/sdk/error.h"

namespace datamux {
namespace {

Error write_error(const std::filesystem::path& path, const char* what, int error_number) {
  return Error(path.string() + ": " + what + ": " + std::strerror(error_number));
}

// Writes all of `data` to `fd`, retrying short writes and EINTR; returns 0 or the errno.
int write_all(int fd, const char* data, std::size_t size, const std::filesystem::path& target) {
  if (injected_disk_full(target)) return ENOSPC;
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}

// The directory entry of a renamed file is durable only once its directory is synced.
void sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the data itself is already synced
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

bool injected_disk_full(const std::filesystem::path& target) {
  const char* spec = std::getenv("DATAMUX_INJECT_ENOSPC");
  if (spec == nullptr || *spec == '\0') return false;
  std::string name = spec;
  long nth = 1;
  bool and_later = false;  // "NAME@K+": the K-th write and every one after it
  if (const auto at = name.find('@'); at != std::string::npos) {
    nth = std::strtol(name.c_str() + at + 1, nullptr, 10);
    and_later = name.back() == '+';
    name.resize(at);
  }
  // A temporary's name is "<file>.tmp.<pid>": it counts as a write to <file>.
  std::string file = target.filename().string();
  if (const auto tmp = file.find(".tmp."); tmp != std::string::npos) file.resize(tmp);
  if (file != name) return false;
  static std::mutex mutex;
  static std::map<std::string, long> writes;
  std::lock_guard<std::mutex> lock(mutex);
  const long count = ++writes[name];
  return and_later ? count >= nth : count == nth;
}

bool is_temporary_file(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  return file.extension() == ".tmp" || name.find(".tmp.") != std::string::npos;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path temporary =
      path.string() + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw write_error(path, "cannot create a file beside it", errno);
  int error = write_all(fd, content.data(), content.size(), temporary);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    throw write_error(path, "cannot write", error);
  }
  sync_directory(path.parent_path());
}

AppendOnlyFile::AppendOnlyFile(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw write_error(path_, "cannot open for appending", errno);
}

AppendOnlyFile::~AppendOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AppendOnlyFile::append(const std::string& text) {
  if (const int error = write_all(fd_, text.data(), text.size(), path_)) {
    throw write_error(path_, "cannot write", error);
  }
}

void AppendOnlyFile::sync() {
  if (::fsync(fd_) != 0) throw write_error(path_, "cannot write", errno);
}

}  // namespace datamux
