// Runs that survive interruption: resumable checkpoints, SIGINT/SIGTERM, a real SIGKILL, a
// NaN stop, and clear errors for checkpoints that cannot be used.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <csignal>
#include <fstream>

#include "datamux/core/json_file.h"
#include "datamux/core/training_checkpoint.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// 40 steps of tiny RoBERTa on the toy task, slow enough per step (32 groups of 2) that a test
// can act between a checkpoint and the end. Dropout stays on: RNG state must survive too.
std::string resumable_config(const std::string& train_extra) {
  return test::tiny_config(2, R"(
    "data": {"train_examples": 600, "eval_examples": 64},
    "train": {"steps": 40, "batch_size": 32, "learning_rate": 0.001, "warmup_steps": 5,
              "eval_every": 15, "log_every": 10, "throughput_repeats": 1)" +
                                     train_extra + "}");
}

std::int64_t steps_logged(const std::filesystem::path& run) {
  std::int64_t steps = 0;
  for (const auto& line : test::read_lines(run / "metrics.jsonl"))
    if (line.find("\"grad_norm\"") != std::string::npos) ++steps;
  return steps;
}

std::string status_of(const std::filesystem::path& run) {
  return read_json_file(run / "run.json")["status"].GetString();
}

// A short run on the toy task: `sections` is the config's data and train sections.
struct ToyRun {
  explicit ToyRun(const std::string& sections, const std::string& extra_arguments = "")
      : config(dir.write("exp.json", test::tiny_config(2, sections))),
        result(test::run_datamux("train --config " + config.string() + " --out " + run.string() +
                                 extra_arguments)) {}

  test::ScratchDir dir;
  std::filesystem::path run = dir.path() / "run";
  std::filesystem::path config;
  test::CommandResult result;
};

TEST(Resume, KillAndResumeGivesIdenticalLossTrace) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", resumable_config(R"(, "checkpoint_every": 20)"));

  const auto straight = dir.path() / "straight";
  auto result = test::run_datamux("train --config " + config.string() + " --out " + straight.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;

  // 20 steps, then a real SIGKILL: no handler runs, whatever was being written stays torn.
  const auto killed = dir.path() / "killed";
  {
    test::BackgroundDatamux process({"train", "--config", config.string(), "--out", killed.string()},
                                    dir.path() / "killed.log");
    ASSERT_TRUE(test::wait_until(
        [&] { return std::filesystem::exists(killed / "checkpoints" / "step-20.pt"); }, 120))
        << test::read_text(dir.path() / "killed.log");
    process.send(SIGKILL);
    EXPECT_EQ(process.wait(), 128 + SIGKILL);
  }
  ASSERT_EQ(status_of(killed), "running");  // what a killed run leaves
  ASSERT_LT(steps_logged(killed), 40) << "the run finished before it was killed";

  result = test::run_datamux("train --resume --out " + killed.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "resuming");
  EXPECT_CONTAINS(result.out, "from step 20");
  EXPECT_EQ(status_of(killed), "complete");

  const auto expected = test::loss_trace(straight), actual = test::loss_trace(killed);
  EXPECT_EQ(steps_logged(killed), 40);
  ASSERT_EQ(expected.size(), actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(expected[i], actual[i]) << "line " << i + 1;

  // The final weights agree too, bit for bit.
  torch::serialize::InputArchive a, b;
  a.load_from((straight / "model.pt").string());
  b.load_from((killed / "model.pt").string());
  torch::serialize::InputArchive a_backbone, b_backbone;
  ASSERT_TRUE(a.try_read("backbone", a_backbone));
  ASSERT_TRUE(b.try_read("backbone", b_backbone));
  for (const auto& key : a_backbone.keys()) {
    torch::Tensor x, y;
    if (!a_backbone.try_read(key, x) || !b_backbone.try_read(key, y)) continue;
    EXPECT_TRUE(torch::equal(x, y)) << key;
  }
}

TEST(Resume, SigintFinishesTheStepWritesACheckpointAndExitsNonZero) {
  for (int signal : {SIGINT, SIGTERM}) {
    test::ScratchDir dir;
    // checkpoint_every 0: the only checkpoint is the one the signal makes.
    const auto config = dir.write("exp.json", resumable_config(R"(, "checkpoint_every": 0)"));
    const auto run = dir.path() / "run";
    int code = 0;
    {
      test::BackgroundDatamux process({"train", "--config", config.string(), "--out", run.string()},
                                      dir.path() / "run.log");
      ASSERT_TRUE(test::wait_until([&] { return steps_logged(run) >= 5; }, 120));
      process.send(signal);
      code = process.wait();
    }
    const std::string log = test::read_text(dir.path() / "run.log");
    EXPECT_EQ(code, 128 + signal) << log;
    EXPECT_CONTAINS(log, signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM");
    EXPECT_CONTAINS(log, "--resume --out " + run.string());
    EXPECT_EQ(status_of(run), "interrupted");
    const auto checkpoints = list_checkpoints(run / "checkpoints");
    ASSERT_EQ(checkpoints.size(), 1u);
    EXPECT_EQ(checkpoints[0].step, steps_logged(run)) << "the step in progress was finished";
    EXPECT_FALSE(std::filesystem::exists(run / "model.pt"));

    const auto result = test::run_datamux("train --resume --out " + run.string());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_EQ(status_of(run), "complete");
    EXPECT_EQ(steps_logged(run), 40);
  }
}

TEST(Resume, CompleteRunIsLeftAlone) {
  const ToyRun toy(R"(
    "data": {"train_examples": 100, "eval_examples": 16},
    "train": {"steps": 3, "batch_size": 4, "throughput_repeats": 0})");
  ASSERT_EQ(toy.result.exit_code, 0) << toy.result.out;
  const auto& run = toy.run;
  const auto& config = toy.config;
  const std::string before = test::read_text(run / "metrics.jsonl");
  const auto result = test::run_datamux("train --resume --out " + run.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "already complete");
  EXPECT_EQ(test::read_text(run / "metrics.jsonl"), before);

  // Without --resume an existing run is never overwritten.
  const auto again = test::run_datamux("train --config " + config.string() + " --out " + run.string());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_CONTAINS(again.out, "not empty");
  // On resuming, the saved config is the run's; changing what it trains is refused.
  const auto changed = test::run_datamux("train --resume --out " + run.string() + " --set train.steps=9");
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_CONTAINS(changed.out, "only run.*");
}

TEST(Resume, NanLossStopsTheRunAndKeepsTheLastCheckpoint) {
  // A learning rate this large overflows the weights within a step or two.
  const ToyRun toy(R"(
    "data": {"train_examples": 200, "eval_examples": 16},
    "train": {"steps": 30, "batch_size": 4, "learning_rate": 1e30, "max_grad_norm": 0,
              "checkpoint_every": 1, "throughput_repeats": 0})");
  const auto& run = toy.run;
  const auto& result = toy.result;
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(result.out.find("the loss is NaN") != std::string::npos ||
              result.out.find("the loss is infinite") != std::string::npos)
      << result.out;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  EXPECT_EQ(status_of(run), "failed");
  const auto checkpoints = list_checkpoints(run / "checkpoints");
  ASSERT_FALSE(checkpoints.empty());
  EXPECT_EQ(checkpoints.back().step, steps_logged(run)) << "the last finite step was checkpointed";
  EXPECT_FALSE(std::filesystem::exists(run / "model.pt"));
}

// A run directory with checkpoints at steps 2 and 4, for the damage tests below.
struct CheckpointedRun {
  CheckpointedRun(const std::string& backbone = "roberta") {
    test::ModelChoice choice;
    choice.backbone = backbone;
    config = dir.write("exp.json", test::model_config(choice, R"(
      "data": {"train_examples": 100, "eval_examples": 16},
      "train": {"steps": 4, "batch_size": 4, "checkpoint_every": 2, "throughput_repeats": 0})"));
    const auto result = test::run_datamux("train --config " + config.string() + " --out " + run().string());
    EXPECT_EQ(result.exit_code, 0) << result.out;
    // Mark it unfinished, as a killed run would be, so that --resume loads the newest checkpoint.
    write_file_atomically(run() / "run.json", R"({"status": "running"})");
  }
  std::filesystem::path run() const { return dir.path() / "run"; }
  std::filesystem::path newest() const { return run() / "checkpoints" / "step-4.pt"; }

  test::ScratchDir dir;
  std::filesystem::path config;
};

TEST(Resume, CrashWhileWritingLeavesThePreviousCheckpointLoadable) {
  CheckpointedRun saved;
  // What a crash during save_training_checkpoint leaves: a torn temporary, never a torn step-K.pt.
  std::string bytes = test::read_text(saved.newest());
  std::filesystem::remove(saved.newest());
  std::ofstream(saved.run() / "checkpoints" / "step-6.pt.tmp", std::ios::binary)
      << bytes.substr(0, bytes.size() / 2);
  const auto checkpoints = list_checkpoints(saved.run() / "checkpoints");
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_EQ(checkpoints[0].step, 2);

  const auto result = test::run_datamux("train --resume --out " + saved.run().string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "from step 2");
  EXPECT_FALSE(std::filesystem::exists(saved.run() / "checkpoints" / "step-6.pt.tmp"));
}

TEST(Resume, TruncatedCheckpointIsNamed) {
  CheckpointedRun saved;
  // Every checkpoint truncated: nothing to fall back to (tests/faults/run_faults_test.cpp
  // covers the fallback from a damaged newest one).
  for (const auto& checkpoint : list_checkpoints(saved.run() / "checkpoints")) {
    const std::string bytes = test::read_text(checkpoint.path);
    std::ofstream(checkpoint.path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 3);
  }
  const auto result = test::run_datamux("train --resume --out " + saved.run().string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  EXPECT_CONTAINS(result.out, saved.newest().string());
  EXPECT_CONTAINS(result.out, "not a readable checkpoint");
}

TEST(Resume, CheckpointOfAnotherArchitectureNamesTheParameter) {
  CheckpointedRun roberta;
  CheckpointedRun lstm("lstm");
  for (const auto& checkpoint : list_checkpoints(lstm.run() / "checkpoints"))
    std::filesystem::copy_file(checkpoint.path, roberta.run() / "checkpoints" / checkpoint.path.filename(),
                               std::filesystem::copy_options::overwrite_existing);
  const auto result = test::run_datamux("train --resume --out " + roberta.run().string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  EXPECT_CONTAINS(result.out, roberta.newest().string());
  EXPECT_CONTAINS(result.out, "backbone.");
}

TEST(Resume, KeepsTheNewestCheckpointsAndTheBest) {
  const ToyRun toy(R"(
    "data": {"train_examples": 200, "eval_examples": 32},
    "train": {"steps": 12, "batch_size": 4, "learning_rate": 0.002, "checkpoint_every": 2,
              "keep_checkpoints": 3, "eval_every": 4, "throughput_repeats": 2})");
  ASSERT_EQ(toy.result.exit_code, 0) << toy.result.out;
  const auto& run = toy.run;
  std::vector<std::int64_t> steps;
  for (const auto& checkpoint : list_checkpoints(run / "checkpoints")) steps.push_back(checkpoint.step);
  EXPECT_EQ(steps, (std::vector<std::int64_t>{8, 10, 12}));
  EXPECT_TRUE(std::filesystem::exists(run / "best.pt"));

  // run.json: the best evaluation by the task's primary metric, the last one, throughput.
  const auto record = read_json_file(run / "run.json");
  EXPECT_STREQ(record["primary_metric"].GetString(), "accuracy");
  double best = -1;
  std::int64_t best_step = 0;
  for (const auto& line : test::read_lines(run / "metrics.jsonl")) {
    const auto entry = parse_json(line, "metrics.jsonl");
    if (!entry.HasMember("eval")) continue;
    EXPECT_TRUE(entry.HasMember("throughput")) << line;
    if (entry["eval"]["accuracy"].GetDouble() > best) {
      best = entry["eval"]["accuracy"].GetDouble();
      best_step = entry["step"].GetInt64();
    }
  }
  EXPECT_EQ(record["best_eval"]["step"].GetInt64(), best_step);
  EXPECT_DOUBLE_EQ(record["best_eval"]["accuracy"].GetDouble(), best);
  EXPECT_EQ(record["final_eval"]["step"].GetInt64(), 12);
  const auto& throughput = record["throughput"];
  EXPECT_EQ(throughput["eval_instances"].GetInt64(), 32);
  EXPECT_EQ(throughput["repeats"].GetInt64(), 2);
  EXPECT_GT(throughput["instances_per_s"].GetDouble(), 0);
  EXPECT_NEAR(throughput["instances_per_s"].GetDouble(),
              32 * throughput["passes_per_s"].GetDouble(), 1e-6 * throughput["instances_per_s"].GetDouble());

  // The best weights evaluate to the best metric.
  const auto evaluated = test::run_datamux("eval --run " + run.string() + " --weights " +
                                           (run / "best.pt").string());
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.out;
  char expected[64];
  std::snprintf(expected, sizeof expected, "accuracy %g", best);
  EXPECT_CONTAINS(evaluated.out, expected);
}

TEST(Resume, MeanLinesAverageEachHundredSteps) {
  const ToyRun toy(R"(
    "data": {"train_examples": 200, "eval_examples": 16},
    "train": {"steps": 230, "batch_size": 2, "checkpoint_every": 0, "throughput_repeats": 0})",
                   " --set backbone.num_layers=1");
  ASSERT_EQ(toy.result.exit_code, 0) << toy.result.out;
  const auto& run = toy.run;
  std::vector<double> window;
  std::vector<std::int64_t> mean_steps;
  for (const auto& line : test::read_lines(run / "metrics.jsonl")) {
    const auto entry = parse_json(line, "metrics.jsonl");
    if (entry.HasMember("grad_norm")) window.push_back(entry["task_loss"].GetDouble());
    if (!entry.HasMember("mean")) continue;
    mean_steps.push_back(entry["step"].GetInt64());
    double sum = 0;
    for (double value : window) sum += value;
    EXPECT_EQ(entry["window"].GetInt64(), static_cast<std::int64_t>(window.size()));
    EXPECT_NEAR(entry["mean"]["task_loss"].GetDouble(), sum / window.size(), 1e-9);
    window.clear();
  }
  EXPECT_EQ(mean_steps, (std::vector<std::int64_t>{100, 200, 230}));
}

}  // namespace
}  // namespace datamux
