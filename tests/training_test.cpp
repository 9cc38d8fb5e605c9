// A short real training run: the loss must fall clearly on the toy task.
#include <gtest/gtest.h>

#include <iostream>
#include <numeric>

#include "datamux/core/toy_data.h"
#include "datamux/core/trainer.h"
#include "support/test_support.h"

namespace datamux {
namespace {

double mean(const std::vector<double>& values, std::size_t from, std::size_t count) {
  return std::accumulate(values.begin() + from, values.begin() + from + count, 0.0) / count;
}

TEST(Training, FiftyStepsOfTheTinyPresetLowerTheLoss) {
  ToyDataOptions options;
  options.examples = 2000;
  const Dataset data = generate_toy_sentiment(options, 17);
  // N = 1 still runs the whole pipeline (index prefix, Hadamard mixing, demultiplexing);
  // N >= 2 needs the retrieval warm-up or a few hundred steps before the task loss moves.
  auto built = test::build_from_config(test::tiny_config(1), data.vocab_size, data.num_labels());
  MuxModel& model = *built.model;

  TrainSettings settings;
  settings.steps = 50;
  settings.learning_rate = 3e-3;
  settings.warmup_steps = 5;
  TrainBatches batches(data, 16, 1, 24, 5, torch::kCPU);
  std::vector<double> losses;
  TrainingObserver observer;
  observer.on_step = [&](const StepRecord& step) { losses.push_back(step.loss); };
  Trainer(model, settings).run(batches, {}, observer);

  ASSERT_EQ(losses.size(), 50u);
  const double first = mean(losses, 0, 10), last = mean(losses, 40, 10);
  std::cout << "first 10-step mean " << first << ", last " << last << std::endl;
  EXPECT_LT(last, first * 0.8) << "first 10-step mean " << first << ", last " << last;
}

TEST(Training, ScheduleWarmsUpThenDecaysToZero) {
  TrainSettings settings;
  settings.steps = 10;
  settings.learning_rate = 1.0;
  settings.warmup_steps = 2;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(settings, 0), 0.5);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(settings, 1), 1.0);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(settings, 2), 1.0);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(settings, 6), 0.5);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(settings, 10), 0.0);
}

TEST(Batching, GroupsConsecutiveRowsAndEvaluatesEveryExampleOnce) {
  ToyDataOptions options;
  options.examples = 11;
  const Dataset data = generate_toy_sentiment(options, 1);
  const auto batches = evaluation_batches(data, 2, 3, 64, torch::kCPU);  // 6 rows a batch
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].input_ids.size(0), 6);  // 5 real + 1 filler completes the group
  std::int64_t labelled = 0;
  for (const auto& batch : batches) labelled += (batch.labels != kIgnoreLabel).sum().item<std::int64_t>();
  EXPECT_EQ(labelled, 11);
}

TEST(Batching, TrainingCountsTheExamplesAnEpochLeavesOver) {
  ToyDataOptions options;
  options.examples = 10;
  const Dataset data = generate_toy_sentiment(options, 1);
  TrainBatches batches(data, 2, 2, 64, 1, torch::kCPU);  // 4 rows a batch: 2 left over
  for (int i = 0; i < 3; ++i) batches.next();
  EXPECT_EQ(batches.epoch(), 1);
  EXPECT_EQ(batches.skipped_examples(), 2);
}

}  // namespace
}  // namespace datamux
