#pragma once
// What a training run shows while it goes: on a terminal one self-updating bar line (step,
// loss, steps/s, ETA); elsewhere (logs, CI) a plain line every `log_every` steps.
#include <cstdint>
#include <ostream>

#include "datamux/core/trainer.h"

namespace datamux {

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& out, bool terminal, std::int64_t total_steps,
                  std::int64_t log_every, std::int64_t first_step);

  void step(const StepRecord& record);
  void evaluation(const EvaluationRecord& record);
  void message(const std::string& text);  // a line of its own, never inside the bar
  void finish();

 private:
  void clear_bar();

  std::ostream& out_;
  bool terminal_;
  std::int64_t total_, log_every_, first_step_;
  double first_seconds_ = -1;  // elapsed time at the first step shown, for the rate
  bool bar_shown_ = false;
};

}  // namespace datamux
