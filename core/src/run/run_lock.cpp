#include "datamux/core/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace datamux {
namespace {

std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<void>> held_here;  // canonical directory -> its lock

std::string holder_pid(int fd) {
  char buffer[32] = {0};
  const ssize_t size = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid(buffer, size > 0 ? static_cast<std::size_t>(size) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

struct RunLock::Held {
  explicit Held(std::string directory) : directory(std::move(directory)) {}
  ~Held() {
    if (fd >= 0) ::close(fd);  // closing the last descriptor releases the flock
  }
  std::string directory;
  int fd = -1;
};

RunLock::RunLock(const std::filesystem::path& directory) {
  std::error_code ignored;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(directory, ignored);
  const std::string key = canonical.empty() ? directory.string() : canonical.string();
  std::lock_guard<std::mutex> guard(registry_mutex);
  if (auto existing = std::static_pointer_cast<Held>(held_here[key].lock())) {
    held_ = std::move(existing);
    return;
  }
  const auto file = directory / kFileName;
  auto held = std::make_shared<Held>(key);
  held->fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (held->fd < 0)
    throw Error(file.string() + ": cannot create the run directory's lock: " + std::strerror(errno));
  if (::flock(held->fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) {
      const std::string pid = holder_pid(held->fd);
      throw RunLocked(directory.string() + ": in use by another datamux process (pid " + pid +
                          "); wait for it to finish or stop it first",
                      pid);
    }
    throw Error(file.string() + ": cannot lock the run directory: " + std::strerror(error));
  }
  // Best effort: the pid only words another process's refusal (a full disk leaves it
  // "unknown"); the flock is what counts.
  const std::string pid = std::to_string(static_cast<long>(::getpid())) + "\n";
  if (::ftruncate(held->fd, 0) == 0) {
    const ssize_t written = ::pwrite(held->fd, pid.data(), pid.size(), 0);
    (void)written;
  }
  held_here[key] = held;
  held_ = std::move(held);
}

}  // namespace datamux
