#pragma once
// One process at a time in a run directory: an flock on `<dir>/.lock` held for the run's life.
// The kernel drops it when the holder dies in any way (kill -9 included), so there is never a
// stale lock to clean up; the file keeps the holder's pid so the refusal can name it.
#include <filesystem>
#include <memory>
#include <string>

#include "datamux/sdk/error.h"

namespace datamux {

// Another process holds the directory.
class RunLocked : public Error {
 public:
  RunLocked(const std::string& message, std::string holder) : Error(message), holder_(std::move(holder)) {}
  const std::string& holder() const { return holder_; }  // its pid, or "unknown"

 private:
  std::string holder_;
};

class RunLock {
 public:
  static constexpr const char* kFileName = ".lock";

  // Locks `directory`, which must exist, or throws RunLocked. Within one process a lock is
  // shared: the sweep holds a run's lock around train_experiment, which takes it again.
  explicit RunLock(const std::filesystem::path& directory);

 private:
  struct Held;
  std::shared_ptr<Held> held_;
};

}  // namespace datamux
