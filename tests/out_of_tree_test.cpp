// The proof that the core knows no plugin: a demultiplexer with another prefix (two slots per
// instance, tests/fixtures/out_of_tree/paired_slots.cpp) and an auxiliary objective
// (reconstruction.cpp), each built against the SDK headers only and found through
// DATAMUX_PLUGIN_PATH, train through `datamux pretrain`, `finetune` and `train`.
#include <gtest/gtest.h>

#include <cstdlib>

#include "datamux/core/json_file.h"
#include "support/test_support.h"

namespace datamux {
namespace {

std::string out_of_tree_dir() { return DATAMUX_TEST_OUT_OF_TREE_DIR; }

// `datamux ARGUMENTS` with the out-of-tree directory on DATAMUX_PLUGIN_PATH (the child
// inherits the environment; the test's own is restored after).
test::CommandResult run_with_out_of_tree(const std::string& arguments) {
  ::setenv("DATAMUX_PLUGIN_PATH", out_of_tree_dir().c_str(), 1);
  test::CommandResult result = test::run_datamux(arguments);
  ::unsetenv("DATAMUX_PLUGIN_PATH");
  return result;
}

// The config of the two-slot demultiplexer on the toy task: `task` and `auxiliary` sections.
std::string config(const std::string& sections) {
  return R"({
    "run": {"seed": 2, "device": "cpu"},
    "model": {"num_instances": 3, "max_seq_length": 16},
    "data": {"train_examples": 120, "eval_examples": 24},
    "backbone": {"plugin": "roberta", "preset": "roberta-tiny", "num_layers": 1},
    "multiplexer": {"plugin": "gaussian_hadamard"},
    "demultiplexer": {"plugin": "paired_slots"},
    "train": {"steps": 4, "batch_size": 2, "learning_rate": 0.001, "log_every": 2,
              "throughput_repeats": 0},
    )" + sections + "}";
}

// The plugin record of `name` in a run's run.json.
std::string plugin_path(const rapidjson::Value& run, const std::string& name) {
  for (const auto& plugin : run["plugins"].GetArray())
    if (plugin["name"].GetString() == name) return plugin["path"].GetString();
  return "";
}

bool metrics_have(const std::filesystem::path& run, const std::string& key) {
  for (const auto& line : test::read_lines(run / "metrics.jsonl"))
    if (parse_json(line, "metrics.jsonl").HasMember(key.c_str())) return true;
  return false;
}

TEST(PluginOutOfTree, ListedFromItsOwnDirectory) {
  const auto result = run_with_out_of_tree("plugins list");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "paired_slots");
  EXPECT_CONTAINS(result.out, "reconstruction");
  EXPECT_CONTAINS(result.out, out_of_tree_dir());
}

TEST(PluginOutOfTree, NotFoundWithoutThePluginPath) {
  test::ScratchDir dir;
  const auto file = dir.write("exp.json", config(R"("task": {"plugin": "sequence_classification"})"));
  const auto result = test::run_datamux("train --config " + file.string() + " --out " +
                                        (dir.path() / "run").string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.out, "unknown demultiplexer 'paired_slots'");
}

// A warm-up of the out-of-tree objective with the out-of-tree demultiplexer, then a
// finetuning from it with the objective as auxiliary loss, whose head it loads.
TEST(PluginOutOfTree, WarmUpThenFinetuneWithTheAuxiliaryObjective) {
  test::ScratchDir dir;
  const auto warmup_config = dir.write("warmup.json", config(R"("task": {"plugin": "reconstruction"})"));
  const auto warmup = dir.path() / "warmup";
  auto result = run_with_out_of_tree("pretrain --config " + warmup_config.string() + " --out " +
                                     warmup.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto warmup_run = read_json_file(warmup / "run.json");
  EXPECT_STREQ(warmup_run["status"].GetString(), "complete");
  EXPECT_EQ(plugin_path(warmup_run, "paired_slots").rfind(out_of_tree_dir(), 0), 0u);
  EXPECT_EQ(plugin_path(warmup_run, "reconstruction").rfind(out_of_tree_dir(), 0), 0u);
  // The tokenizer-free toy vocabulary holds the 1 + 2N tokens the demultiplexer reserved.
  EXPECT_STREQ(read_json_file(warmup / "config.json")["demultiplexer"]["plugin"].GetString(),
               "paired_slots");

  const auto task_config = dir.write("task.json", config(R"(
    "task": {"plugin": "sequence_classification"},
    "auxiliary": {"plugin": "reconstruction"})"));
  const auto finetune = dir.path() / "finetune";
  result = run_with_out_of_tree("finetune --config " + task_config.string() + " --from " +
                                warmup.string() + " --out " + finetune.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto run = read_json_file(finetune / "run.json");
  EXPECT_STREQ(run["status"].GetString(), "complete");
  EXPECT_EQ(plugin_path(run, "reconstruction").rfind(out_of_tree_dir(), 0), 0u);
  // The auxiliary loss is recorded under the objective's own name, per step and per evaluation.
  EXPECT_TRUE(metrics_have(finetune, "reconstruction_loss"));
  EXPECT_TRUE(run["final_eval"].HasMember("reconstruction_loss"));
  EXPECT_STREQ(read_json_file(finetune / "config.json")["auxiliary"]["plugin"].GetString(),
               "reconstruction");
}

TEST(PluginOutOfTree, TrainRefusesATaskThatIsNoObjectiveAsAuxiliary) {
  test::ScratchDir dir;
  const auto file = dir.write("exp.json", config(R"(
    "task": {"plugin": "sequence_classification"},
    "auxiliary": {"plugin": "token_classification"})"));
  const auto result = run_with_out_of_tree("train --config " + file.string() + " --out " +
                                           (dir.path() / "run").string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.out, "auxiliary.plugin: task 'token_classification' does not declare itself an objective");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "run"));
}

}  // namespace
}  // namespace datamux
