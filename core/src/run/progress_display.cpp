#include "progress_display.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace datamux {
namespace {

std::string clock_text(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const auto total = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%02lld:%02lld", total / 60, total % 60);
  return buffer;
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::ostream& out, bool terminal, std::int64_t total_steps,
                                 std::int64_t log_every, std::int64_t first_step)
    : out_(out), terminal_(terminal), total_(total_steps), log_every_(log_every),
      first_step_(first_step) {}

void ProgressDisplay::step(const StepRecord& record) {
  if (first_seconds_ < 0) first_seconds_ = record.elapsed_seconds;
  // The rate counts only this process's steps: a resumed run's earlier time would skew it.
  const double seconds = record.elapsed_seconds - first_seconds_;
  const std::int64_t counted = record.step - first_step_ - 1;
  const double rate = counted > 0 && seconds > 0 ? counted / seconds : 0;
  const double eta = rate > 0 ? (total_ - record.step) / rate : -1;
  std::string losses;
  char buffer[160];
  if (record.losses.size() > 1)
    for (const auto& [name, value] : record.losses) {
      std::snprintf(buffer, sizeof buffer, "  %s %.4f", name.c_str(), value);
      losses += buffer;
    }

  if (terminal_) {
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(kWidth * record.step / std::max<std::int64_t>(1, total_));
    const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
    std::snprintf(buffer, sizeof buffer, "\r[%s] %lld/%lld  loss %.4f", bar.c_str(),
                  static_cast<long long>(record.step), static_cast<long long>(total_), record.loss);
    out_ << buffer << losses;
    std::snprintf(buffer, sizeof buffer, "  %.1f steps/s  ETA %s\x1b[K", rate, clock_text(eta).c_str());
    out_ << buffer << std::flush;
    bar_shown_ = true;
    return;
  }
  if (record.step % log_every_ != 0 && record.step != total_) return;
  std::snprintf(buffer, sizeof buffer, "step %lld/%lld  loss %.4f", static_cast<long long>(record.step),
                static_cast<long long>(total_), record.loss);
  out_ << buffer << losses;
  std::snprintf(buffer, sizeof buffer, "  lr %.2e  %.1f steps/s  eta %s", record.learning_rate, rate,
                clock_text(eta).c_str());
  out_ << buffer << std::endl;
}

void ProgressDisplay::evaluation(const EvaluationRecord& record) {
  std::string text = "eval at step " + std::to_string(record.step) + ":";
  char buffer[96];
  for (const auto& [name, value] : record.metrics) {
    if (is_count(record, name))
      std::snprintf(buffer, sizeof buffer, " %s %.0f", name.c_str(), value);
    else
      std::snprintf(buffer, sizeof buffer, " %s %.4f", name.c_str(), value);
    text += buffer;
  }
  std::snprintf(buffer, sizeof buffer, "  loss %.4f", record.loss);
  message(text + buffer);
}

void ProgressDisplay::message(const std::string& text) {
  clear_bar();
  out_ << text << std::endl;
}

void ProgressDisplay::finish() {
  if (bar_shown_) out_ << std::endl;  // the final bar stays on screen
  bar_shown_ = false;
}

void ProgressDisplay::clear_bar() {
  if (!bar_shown_) return;
  out_ << "\r\x1b[K" << std::flush;  // the next line starts where the bar was
  bar_shown_ = false;
}

}  // namespace datamux
