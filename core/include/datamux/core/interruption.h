#pragma once
// SIGINT, SIGTERM and SIGHUP (a closed terminal) during a run: the first asks the run to stop
// after its current step (it writes a checkpoint, records "interrupted" and exits 128 + the
// signal); a second ends the process at once, as the user then clearly wants.
#include <string>

#include "datamux/sdk/error.h"

namespace datamux {

// Thrown when a run stopped on a signal; its message says how to continue.
class Interrupted : public Error {
 public:
  Interrupted(const std::string& message, int signal) : Error(message), signal_(signal) {}
  int signal() const { return signal_; }
  int exit_code() const { return 128 + signal_; }  // the shell's convention

 private:
  int signal_;
};

// Installs the handlers for its lifetime and restores the previous ones after.
class InterruptionGuard {
 public:
  InterruptionGuard();
  ~InterruptionGuard();
  InterruptionGuard(const InterruptionGuard&) = delete;
  InterruptionGuard& operator=(const InterruptionGuard&) = delete;

  // The signal received since the guard was installed, or 0.
  static int received();
  static std::string signal_name(int signal);
};

}  // namespace datamux
