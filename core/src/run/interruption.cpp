#include "datamux/core/interruption.h"

#include <atomic>
#include <csignal>

namespace datamux {
namespace {

std::atomic<int> received_signal{0};
struct sigaction previous_int, previous_term;

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
}

InterruptionGuard::~InterruptionGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

int InterruptionGuard::received() { return received_signal.load(); }

std::string InterruptionGuard::signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal);
}

}  // namespace datamux
