#include "datamux/core/interruption.h"

#include <atomic>
#include <csignal>

namespace datamux {
namespace {

std::atomic<int> received_signal{0};
struct sigaction previous_int, previous_term, previous_hup, previous_pipe;

extern "C" void on_signal(int signal) { received_signal.store(signal); }

void install(int signal, struct sigaction* previous) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the handler runs once; the next signal has its default effect.
  action.sa_flags = SA_RESETHAND;
  sigaction(signal, &action, previous);
}

}  // namespace

InterruptionGuard::InterruptionGuard() {
  received_signal.store(0);
  install(SIGINT, &previous_int);
  install(SIGTERM, &previous_term);
  // A closed terminal or ssh session: the run stops as on SIGTERM, with its checkpoint.
  install(SIGHUP, &previous_hup);
  // ...and its progress lines then go nowhere: a write to the dead pipe must not kill it.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &previous_pipe);
}

InterruptionGuard::~InterruptionGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  sigaction(SIGHUP, &previous_hup, nullptr);
  sigaction(SIGPIPE, &previous_pipe, nullptr);
}

int InterruptionGuard::received() { return received_signal.load(); }

std::string InterruptionGuard::signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  if (signal == SIGHUP) return "SIGHUP";
  return "signal " + std::to_string(signal);
}

}  // namespace datamux
