#pragma once
// The study's derived numbers, each a pure function of the records so it can be tested on
// constructed data: the 10% headline, speedups, the critical retrieval loss, and which N the
// loss-curve figure shows. docs/reports.md defines each in words.
#include <cstdint>
#include <optional>
#include <vector>

#include "datamux/reports/run_records.h"

namespace datamux::reports {

// The headline keeps an N when its metric is at least (1 - this) x the N = 1 baseline.
inline constexpr double kHeadlineAllowedRelativeDrop = 0.10;
// The task loss "starts to fall" in the first 100-step window whose mean task loss is more
// than this fraction below the first window's.
inline constexpr double kTaskLossFallFraction = 0.05;

// Whether `metric` stays within `max_drop` of `baseline` (metric >= (1 - max_drop) x
// baseline). A 1e-9 slack makes a metric that is exactly at the bar count despite rounding.
bool within_relative_drop(double metric, double baseline, double max_drop);
// within_relative_drop with kHeadlineAllowedRelativeDrop (metric >= 0.9 x baseline).
bool within_headline_drop(double metric, double baseline);

// instances_per_s at N over the same backbone's and task's at N = 1.
std::optional<double> speedup_over_baseline(const std::optional<double>& instances_per_s,
                                            const std::optional<double>& baseline_instances_per_s);

// One finetuning result of a backbone and task at one N.
struct ResultAtN {
  std::int64_t num_instances = 0;
  std::optional<double> metric;
  std::optional<double> instances_per_s;
};

struct Headline {
  std::optional<double> baseline;         // the N = 1 metric; absent: no headline can be given
  std::optional<std::int64_t> largest_n;  // absent: no N > 1 qualifies ("none")
  std::optional<double> metric;           // at largest_n
  std::optional<double> speedup;          // at largest_n, over N = 1
};

// The largest N > 1 whose metric is within the allowed drop of the N = 1 baseline. Each N is
// judged on its own: a smaller N that misses does not stop a larger one from qualifying. A
// baseline of 0 or below sets no bar (every N would meet it): no N qualifies.
Headline find_headline(const std::vector<ResultAtN>& results);

struct CriticalRetrievalLoss {
  std::int64_t reference_step = 0;  // the first window
  double reference_task_loss = 0;
  // The first window whose mean task loss is below (1 - kTaskLossFallFraction) x the
  // reference; all absent when the task loss never falls that far ("never").
  std::optional<std::int64_t> step;
  std::optional<double> task_loss;
  std::optional<double> retrieval_loss;  // that window's mean retrieval loss
};

// On the 100-step mean curve of a run. Absent when there is no curve, or the run has no
// retrieval loss (a warm-up, a baseline trained on the task alone).
std::optional<CriticalRetrievalLoss> find_critical_retrieval_loss(
    const std::vector<LossMean>& means, double fall_fraction = kTaskLossFallFraction);

// The N whose loss curves the figure shows by default: the largest N <= 5 other than 1, else
// the smallest N > 1; absent when there is no N > 1.
std::optional<std::int64_t> default_loss_curve_n(const std::vector<std::int64_t>& num_instances);

}  // namespace datamux::reports
