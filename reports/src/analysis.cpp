#include "datamux/reports/analysis.h"

namespace datamux::reports {

bool within_relative_drop(double metric, double baseline, double max_drop) {
  return metric >= (1.0 - max_drop) * baseline - 1e-9;
}

bool within_headline_drop(double metric, double baseline) {
  return within_relative_drop(metric, baseline, kHeadlineAllowedRelativeDrop);
}

std::optional<double> speedup_over_baseline(const std::optional<double>& instances_per_s,
                                            const std::optional<double>& baseline_instances_per_s) {
  if (!instances_per_s || !baseline_instances_per_s || *baseline_instances_per_s <= 0)
    return std::nullopt;
  return *instances_per_s / *baseline_instances_per_s;
}

Headline find_headline(const std::vector<ResultAtN>& results) {
  Headline headline;
  std::optional<double> baseline_throughput;
  for (const auto& result : results)
    if (result.num_instances == 1) {
      headline.baseline = result.metric;
      baseline_throughput = result.instances_per_s;
    }
  // A baseline of 0 (an untrained model's F1) makes every N "within 10%" of it: no bar.
  if (!headline.baseline || *headline.baseline <= 0) return headline;
  for (const auto& result : results) {
    if (result.num_instances <= 1 || !result.metric) continue;
    if (!within_headline_drop(*result.metric, *headline.baseline)) continue;
    if (headline.largest_n && *headline.largest_n >= result.num_instances) continue;
    headline.largest_n = result.num_instances;
    headline.metric = result.metric;
    headline.speedup = speedup_over_baseline(result.instances_per_s, baseline_throughput);
  }
  return headline;
}

std::optional<CriticalRetrievalLoss> find_critical_retrieval_loss(
    const std::vector<LossMean>& means, double fall_fraction) {
  if (means.empty() || !means.front().retrieval_loss) return std::nullopt;
  CriticalRetrievalLoss critical;
  critical.reference_step = means.front().step;
  critical.reference_task_loss = means.front().task_loss;
  const double threshold = (1.0 - fall_fraction) * critical.reference_task_loss;
  for (std::size_t i = 1; i < means.size(); ++i) {
    if (means[i].task_loss >= threshold) continue;
    critical.step = means[i].step;
    critical.task_loss = means[i].task_loss;
    critical.retrieval_loss = means[i].retrieval_loss;
    break;
  }
  return critical;
}

std::optional<std::int64_t> default_loss_curve_n(const std::vector<std::int64_t>& num_instances) {
  std::optional<std::int64_t> at_most_five, smallest_above_one;
  for (const auto n : num_instances) {
    if (n <= 1) continue;
    if (n <= 5 && (!at_most_five || n > *at_most_five)) at_most_five = n;
    if (!smallest_above_one || n < *smallest_above_one) smallest_above_one = n;
  }
  return at_most_five ? at_most_five : smallest_above_one;
}

}  // namespace datamux::reports
