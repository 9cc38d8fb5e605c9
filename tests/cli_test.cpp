// The `datamux` binary end to end, as a user runs it.
#include <gtest/gtest.h>

#include <fstream>

#include "datamux/core/json_file.h"
#include "support/test_support.h"

namespace datamux {
namespace {

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, PluginsListShowsTheFourPlugins) {
  const auto result = test::run_datamux("plugins list");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "NAME");
  for (const char* row : {"roberta", "gaussian_hadamard", "index", "sequence_classification"})
    EXPECT_CONTAINS(result.out, row);
  for (const char* kind : {"backbone", "multiplexer", "demultiplexer", "task"})
    EXPECT_CONTAINS(result.out, kind);
}

TEST(Cli, DescribeShowsOptionsTypesDefaultsAndPresets) {
  const auto result = test::run_datamux("plugins describe roberta");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "num_layers");
  EXPECT_CONTAINS(result.out, "int");
  EXPECT_CONTAINS(result.out, "768");
  EXPECT_CONTAINS(result.out, "roberta-tiny");
}

TEST(Cli, DescribeUnknownNameFails) {
  const auto result = test::run_datamux("plugins describe nope");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "no component named 'nope'");
}

TEST(Cli, DescribeAllCoversEveryComponentOfTheKind) {
  const auto result = test::run_datamux("plugins describe --all --kind demultiplexer");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  for (const char* name : {"index (demultiplexer)", "mlp (demultiplexer)", "none (demultiplexer)"})
    EXPECT_CONTAINS(result.out, name);
  EXPECT_EQ(result.out.find("(backbone)"), std::string::npos) << result.out;
}

TEST(Cli, DescribeTakesANameOrAllNotBoth) {
  for (const char* arguments : {"plugins describe", "plugins describe roberta --all",
                                "plugins list --markdown"}) {
    const auto result = test::run_datamux(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments;
    EXPECT_EQ(line_count(result.out), 1u) << arguments << ": " << result.out;
  }
}

TEST(Cli, TrainWritesMetricsAndRecords) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", test::tiny_config(2, R"(
    "data": {"train_examples": 200, "eval_examples": 40},
    "train": {"steps": 6, "batch_size": 4, "learning_rate": 0.001, "log_every": 3})"));
  const auto out = dir.path() / "run";
  const auto result = test::run_datamux("train --config " + config.string() + " --out " +
                                        out.string() + " --set backbone.num_layers=1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  std::ifstream metrics(out / "metrics.jsonl");
  std::string line;
  int steps = 0, evaluations = 0, means = 0;
  while (std::getline(metrics, line)) {
    const auto record = parse_json(line, "metrics.jsonl");
    if (record.HasMember("eval")) {
      ++evaluations;
      EXPECT_TRUE(record["eval"].HasMember("accuracy"));
      // The task's metric declares "examples" a count, and the record says so.
      ASSERT_TRUE(record["eval"].HasMember("counts"));
      ASSERT_EQ(record["eval"]["counts"].Size(), 1u);
      EXPECT_STREQ(record["eval"]["counts"][0].GetString(), "examples");
    } else if (record.HasMember("mean")) {
      ++means;
      EXPECT_EQ(record["window"].GetInt(), 6);  // the run's one, shorter window
    } else {
      ++steps;
      EXPECT_TRUE(record["loss"].IsNumber());
      EXPECT_EQ(record["step"].GetInt(), steps);
    }
  }
  EXPECT_EQ(steps, 6);
  EXPECT_EQ(means, 1);
  EXPECT_EQ(evaluations, 1);
  const auto run = read_json_file(out / "run.json");
  EXPECT_STREQ(run["status"].GetString(), "complete");
  ASSERT_EQ(run["final_eval"]["counts"].Size(), 1u);
  EXPECT_STREQ(run["final_eval"]["counts"][0].GetString(), "examples");
  EXPECT_EQ(run["plugins"].Size(), 5u);  // the four configured and the auxiliary objective (retrieval)
  EXPECT_EQ(read_json_file(out / "config.json")["backbone"]["num_layers"].GetInt(), 1);
  EXPECT_TRUE(std::filesystem::exists(out / "model.pt"));
}

struct BadInput {
  std::string name;
  std::string config;     // written to exp.json unless empty
  std::string arguments;  // after `train --config <exp.json> --out <dir>`
  std::string expected;
};

// Names the case in test output instead of dumping the struct's bytes.
void PrintTo(const BadInput& input, std::ostream* out) { *out << input.name; }

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, OneLineErrorNonZeroExitNoRunDirectory) {
  test::ScratchDir dir;
  const BadInput& input = GetParam();
  const auto config = input.config.empty() ? dir.path() / "missing.json"
                                           : dir.write("exp.json", input.config);
  const auto out = dir.path() / "run";
  const auto result = test::run_datamux("train --config " + config.string() + " --out " +
                                        out.string() + " " + input.arguments);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(line_count(result.out), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "datamux: error: ");
  EXPECT_CONTAINS(result.out, input.expected);
  EXPECT_FALSE(std::filesystem::exists(out)) << "a failed start must not leave a run directory";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadInput,
    ::testing::Values(
        BadInput{"MissingConfig", "", "", "missing.json: config file not found"},
        BadInput{"InvalidJson", "{\"train\": {\"steps\": }}", "", "exp.json:1:21: invalid JSON"},
        BadInput{"UnknownKey", test::tiny_config(2, R"("model": {"heads": 2})"), "",
                 "unknown key 'heads' in section 'model'"},
        BadInput{"WrongType", test::tiny_config(2, R"("train": {"steps": 1.5})"), "",
                 "train.steps: expected int, found float"},
        BadInput{"SetWithoutEquals", test::tiny_config(2), "--set train.steps",
                 "expected section.key=value"},
        BadInput{"UnknownPlugin", R"({"backbone": {"plugin": "bert"}, "task": {"plugin": "x"}})", "",
                 "unknown backbone 'bert' (available: albert, lstm, roberta"},
        BadInput{"CudaWithoutGpu", test::tiny_config(2), "--set run.device=cuda",
                 "run.device: 'cuda' was asked for"}),
    [](const ::testing::TestParamInfo<BadInput>& info) { return info.param.name; });

TEST(Cli, SameBinaryTrainsEveryBackboneFromConfigsDifferingOnlyInItsName) {
  test::ScratchDir dir;
  for (const char* backbone : {"roberta", "albert", "lstm"}) {
    const auto config = dir.write(std::string(backbone) + ".json", R"({
      "run": {"device": "cpu"},
      "model": {"num_instances": 2, "max_seq_length": 16},
      "data": {"train_examples": 64, "eval_examples": 16},
      "backbone": {"plugin": ")" + std::string(backbone) + R"(", "preset": "tiny"},
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
      "task": {"plugin": "sequence_classification"}, "auxiliary": {"plugin": "retrieval"},
      "train": {"steps": 3, "batch_size": 4}})");
    const auto out = dir.path() / backbone;
    const auto result =
        test::run_datamux("train --config " + config.string() + " --out " + out.string());
    ASSERT_EQ(result.exit_code, 0) << backbone << ": " << result.out;
    const auto resolved = read_json_file(out / "config.json");
    EXPECT_STREQ(resolved["backbone"]["plugin"].GetString(), backbone);
    EXPECT_EQ(resolved["backbone"]["preset"].GetString(), std::string(backbone) + "-tiny");
    EXPECT_STREQ(read_json_file(out / "run.json")["status"].GetString(), "complete");
  }
}

TEST(Cli, RefusesToOverwriteARun) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", test::tiny_config(2));
  dir.write("keep.txt", "earlier results");
  const auto result =
      test::run_datamux("train --config " + config.string() + " --out " + dir.path().string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.out, "output directory is not empty");
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(test::run_datamux("frobnicate").exit_code, 2);
  EXPECT_EQ(test::run_datamux("train --out /tmp/x").exit_code, 2);
  EXPECT_EQ(test::run_datamux("train --config a.json --out b --bogus").exit_code, 2);
}

}  // namespace
}  // namespace datamux
