// Slices of a sweep for a cluster's job array, and the lock its shards share.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "datamux/core/sweep.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

bool parse_int(const std::string& text, long& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtol(text.c_str(), &end, 10);
  return *end == '\0' && errno == 0;
}

// Every run's position among the runs of its role: warm-ups and finetunes are dealt apart.
std::vector<std::size_t> role_positions(const std::vector<SweepRun>& runs) {
  std::vector<std::size_t> positions;
  std::size_t warmups = 0, finetunes = 0;
  for (const auto& run : runs) positions.push_back(run.role == "warmup" ? warmups++ : finetunes++);
  return positions;
}

}  // namespace

SweepShard parse_sweep_shard(const std::string& text) {
  const auto slash = text.find('/');
  long index = -1, count = 0;
  if (slash == std::string::npos || !parse_int(text.substr(0, slash), index) ||
      !parse_int(text.substr(slash + 1), count) || count < 1 || index < 0 || index >= count ||
      count > 1000000)
    throw Error("--shard " + text + ": expected I/K with 0 <= I < K (e.g. 0/4)");
  return {static_cast<int>(index), static_cast<int>(count)};
}

std::optional<SweepShard> sweep_shard_from_environment() {
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (id == nullptr || count == nullptr || id[0] == '\0' || count[0] == '\0') return std::nullopt;
  long task = 0, tasks = 0, first = 0;
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  if (!parse_int(id, task) || !parse_int(count, tasks) ||
      (min != nullptr && min[0] != '\0' && !parse_int(min, first)))
    throw Error(std::string("SLURM_ARRAY_TASK_ID=") + id + ", SLURM_ARRAY_TASK_COUNT=" + count +
                ": expected integers");
  const std::string text = std::to_string(task - first) + "/" + std::to_string(tasks);
  try {
    return parse_sweep_shard(text);
  } catch (const Error&) {
    throw Error("the job array's task " + std::string(id) + " (of " + count +
                ", from SLURM_ARRAY_TASK_MIN " + std::to_string(first) +
                ") is no shard of it; give --shard I/K, or an array of consecutive tasks");
  }
}

int shard_of_run(const std::vector<SweepRun>& runs, std::size_t index, int count) {
  return static_cast<int>(role_positions(runs)[index] % static_cast<std::size_t>(count));
}

std::vector<SweepRun> shard_runs(const std::vector<SweepRun>& runs, const SweepShard& shard) {
  const auto positions = role_positions(runs);
  std::vector<SweepRun> warmups, finetunes;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (positions[i] % static_cast<std::size_t>(shard.count) != static_cast<std::size_t>(shard.index)) continue;
    (runs[i].role == "warmup" ? warmups : finetunes).push_back(runs[i]);
  }
  warmups.insert(warmups.end(), finetunes.begin(), finetunes.end());
  return warmups;
}

SweepDirectoryLock::SweepDirectoryLock(const std::filesystem::path& directory) {
  const auto file = directory / ".sweep.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(file.string() + ": cannot create the sweep's lock: " + std::strerror(errno));
  // Held only while sweep.json or the report is rewritten: a short wait at most.
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd_);
    throw Error(file.string() + ": cannot lock the sweep directory: " + std::strerror(error));
  }
}

SweepDirectoryLock::~SweepDirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace datamux
