// The derived numbers on constructed inputs: the 10% headline (with its boundary), speedups,
// the critical retrieval loss, and the default N of the loss-curve figure.
#include "datamux/reports/analysis.h"

#include <gtest/gtest.h>

namespace datamux::reports {
namespace {

TEST(ReportAnalysis, HeadlineBarIsNinetyPercentOfTheBaselineInclusive) {
  EXPECT_TRUE(within_headline_drop(0.72, 0.80));  // exactly 0.9 x 0.80, despite rounding
  EXPECT_FALSE(within_headline_drop(0.7199, 0.80));
  EXPECT_TRUE(within_headline_drop(0.85, 0.80));  // better than the baseline
}

TEST(ReportAnalysis, HeadlineIsTheLargestQualifyingNWithItsSpeedup) {
  const Headline headline =
      find_headline({{1, 0.80, 1000.0}, {2, 0.79, 1800.0}, {5, 0.75, 4000.0}, {10, 0.60, 7000.0}});
  ASSERT_TRUE(headline.baseline);
  EXPECT_DOUBLE_EQ(*headline.baseline, 0.80);
  ASSERT_TRUE(headline.largest_n);
  EXPECT_EQ(*headline.largest_n, 5);
  EXPECT_DOUBLE_EQ(*headline.metric, 0.75);
  EXPECT_DOUBLE_EQ(*headline.speedup, 4.0);
}

TEST(ReportAnalysis, HeadlineJudgesEachNOnItsOwn) {
  // N = 2 misses the bar, N = 5 meets it: the headline is 5.
  const Headline headline =
      find_headline({{5, 0.75, 2000.0}, {1, 0.80, 500.0}, {2, 0.7199, 900.0}});
  ASSERT_TRUE(headline.largest_n);
  EXPECT_EQ(*headline.largest_n, 5);
}

TEST(ReportAnalysis, HeadlineSaysNoneOrNoBaseline) {
  const Headline none = find_headline({{1, 0.80, 100.0}, {2, 0.60, 180.0}});
  EXPECT_TRUE(none.baseline);
  EXPECT_FALSE(none.largest_n);
  EXPECT_FALSE(none.speedup);
  const Headline no_baseline = find_headline({{2, 0.60, 180.0}, {1, std::nullopt, 100.0}});
  EXPECT_FALSE(no_baseline.baseline);
  EXPECT_FALSE(no_baseline.largest_n);
  // An untrained baseline (F1 0) sets no bar: 0 >= 0.9 x 0 would let every N qualify.
  const Headline zero = find_headline({{1, 0.0, 100.0}, {2, 0.0, 180.0}, {5, 0.1, 400.0}});
  EXPECT_TRUE(zero.baseline);
  EXPECT_FALSE(zero.largest_n);
  EXPECT_FALSE(zero.speedup);
}

TEST(ReportAnalysis, SpeedupNeedsBothThroughputs) {
  EXPECT_DOUBLE_EQ(*speedup_over_baseline(300.0, 100.0), 3.0);
  EXPECT_FALSE(speedup_over_baseline(std::nullopt, 100.0));
  EXPECT_FALSE(speedup_over_baseline(300.0, std::nullopt));
  EXPECT_FALSE(speedup_over_baseline(300.0, 0.0));
}

std::vector<LossMean> curve(const std::vector<double>& task, const std::vector<double>& retrieval) {
  std::vector<LossMean> means;
  for (std::size_t i = 0; i < task.size(); ++i) {
    LossMean mean;
    mean.step = static_cast<std::int64_t>(100 * (i + 1));
    mean.window = 100;
    mean.task_loss = task[i];
    mean.loss = task[i];
    if (i < retrieval.size()) mean.retrieval_loss = retrieval[i];
    means.push_back(mean);
  }
  return means;
}

TEST(ReportAnalysis, CriticalRetrievalLossIsAtTheFirstWindowMoreThanFivePercentDown) {
  // A plateau (0.99, 0.97, within 5% of 1.00) until the retrieval loss reaches 1.1, then a fall.
  const auto critical = find_critical_retrieval_loss(
      curve({1.00, 0.99, 0.97, 0.94, 0.80}, {3.0, 2.0, 1.5, 1.1, 0.9}));
  ASSERT_TRUE(critical);
  EXPECT_EQ(critical->reference_step, 100);
  EXPECT_DOUBLE_EQ(critical->reference_task_loss, 1.00);
  ASSERT_TRUE(critical->step);
  EXPECT_EQ(*critical->step, 400);
  EXPECT_DOUBLE_EQ(*critical->task_loss, 0.94);
  EXPECT_DOUBLE_EQ(*critical->retrieval_loss, 1.1);
}

TEST(ReportAnalysis, CriticalRetrievalLossNeverWhenTheTaskLossStaysUp) {
  const auto critical =
      find_critical_retrieval_loss(curve({1.00, 0.99, 0.96, 1.02}, {3.0, 2.9, 2.8, 2.7}));
  ASSERT_TRUE(critical);
  EXPECT_FALSE(critical->step);
  EXPECT_FALSE(critical->retrieval_loss);
}

TEST(ReportAnalysis, CriticalRetrievalLossNeedsARetrievalCurve) {
  EXPECT_FALSE(find_critical_retrieval_loss({}));
  EXPECT_FALSE(find_critical_retrieval_loss(curve({1.0, 0.5}, {})));  // a baseline
}

TEST(ReportAnalysis, LossCurveNDefaultsToTheLargestUpToFive) {
  EXPECT_EQ(default_loss_curve_n({1, 2, 5, 10, 20}), 5);
  EXPECT_EQ(default_loss_curve_n({20, 3, 1, 2}), 3);
  EXPECT_EQ(default_loss_curve_n({1, 10, 20}), 10);  // nothing <= 5: the smallest N > 1
  EXPECT_FALSE(default_loss_curve_n({1}));
}

}  // namespace
}  // namespace datamux::reports
