// `datamux sweep`: the grid it plans, its config errors, and that rerunning it skips complete
// runs, resumes unfinished ones and skips finetunes whose warm-up failed.
#include <gtest/gtest.h>

#include <fstream>

#include "datamux/core/json_file.h"
#include "datamux/core/sweep.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// A sweep over the toy task: the warm-up and one finetuning stage, tiny and short.
struct ToySweep {
  explicit ToySweep(const std::string& backbones = R"({"roberta": {"plugin": "roberta", "preset": "tiny"}})",
                    const std::string& ns = "[1, 2]") {
    const std::string common = R"(
      "run": {"seed": 2, "device": "cpu"},
      "model": {"max_seq_length": 16},
      "data": {"format": "toy", "train_examples": 120, "eval_examples": 16},
      "backbone": {"plugin": "lstm", "preset": "tiny"},
      "train": {"steps": 3, "batch_size": 4, "learning_rate": 0.002, "checkpoint_every": 2,
                "throughput_repeats": 1},
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},)";
    dir.write("warmup.json", "{" + common + R"("task": {"plugin": "retrieval"}})");
    dir.write("classify.json", "{" + common + R"("task": {"plugin": "sequence_classification"},
      "auxiliary": {"plugin": "retrieval"}})");
    config = dir.write("sweep.json", R"({"name": "toy", "backbones": )" + backbones +
                                         R"(, "num_instances": )" + ns +
                                         R"(, "warmup": "warmup.json", "tasks": {"classify": "classify.json"}})");
  }
  std::filesystem::path out() const { return dir.path() / "out"; }
  test::CommandResult run(const std::string& extra = "") const {
    return test::run_datamux("sweep --config " + config.string() + " --out " + out().string() + " " + extra);
  }

  test::ScratchDir dir;
  std::filesystem::path config;
};

std::map<std::string, std::string> statuses(const std::filesystem::path& sweep) {
  std::map<std::string, std::string> result;
  const auto record = read_json_file(sweep / "sweep.json");
  for (const auto& run : record["runs"].GetArray()) result[run["id"].GetString()] = run["status"].GetString();
  return result;
}

TEST(Sweep, PlansWarmupThenFinetunesPerBackboneAndN) {
  ToySweep sweep(R"({"roberta": {"plugin": "roberta"}, "lstm": {"plugin": "lstm"}})", "[5, 1, 2, 2]");
  const SweepConfig config = SweepConfig::from_file(sweep.config);
  EXPECT_EQ(config.num_instances, (std::vector<std::int64_t>{1, 2, 5}));  // sorted, deduplicated
  const auto runs = plan_sweep(config);
  std::vector<std::string> ids;
  for (const auto& run : runs) ids.push_back(run.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "roberta/n1/warmup", "roberta/n1/classify", "roberta/n2/warmup",
                     "roberta/n2/classify", "roberta/n5/warmup", "roberta/n5/classify",
                     "lstm/n1/warmup", "lstm/n1/classify", "lstm/n2/warmup", "lstm/n2/classify",
                     "lstm/n5/warmup", "lstm/n5/classify"}));
  EXPECT_EQ(runs[3].from, "roberta/n2/warmup");
  EXPECT_EQ(runs[3].role, "finetune");

  // Each run's config: the stage's, with the sweep's backbone section and N.
  const auto doc = parse_json(sweep_run_config(config, runs[9]), "run config");
  EXPECT_STREQ(doc["backbone"]["plugin"].GetString(), "lstm");
  EXPECT_FALSE(doc["backbone"].HasMember("preset"));
  EXPECT_EQ(doc["model"]["num_instances"].GetInt64(), 2);
  EXPECT_EQ(doc["model"]["max_seq_length"].GetInt64(), 16);
  EXPECT_STREQ(doc["task"]["plugin"].GetString(), "sequence_classification");
}

TEST(Sweep, ConfigErrorsNameTheFileAndKey) {
  test::ScratchDir dir;
  dir.write("stage.json", "{}");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"backbones": {"r": {"plugin": "roberta"}}, "num_instances": [2], "warmup": "stage.json", "tasks": {"t": "stage.json"}, "colour": 1})",
       "unknown key 'colour'"},
      {R"({"num_instances": [2], "warmup": "stage.json", "tasks": {"t": "stage.json"}})",
       "missing key 'backbones'"},
      {R"({"backbones": {"r": {"plugin": "roberta"}}, "num_instances": [0], "warmup": "stage.json", "tasks": {"t": "stage.json"}})",
       "every N must be an integer from 1 to 64"},
      {R"({"backbones": {"r": {"plugin": "roberta"}}, "num_instances": [2], "warmup": "missing.json", "tasks": {"t": "stage.json"}})",
       "missing.json: config file not found"},
      {R"({"backbones": {"a/b": {"plugin": "roberta"}}, "num_instances": [2], "warmup": "stage.json", "tasks": {"t": "stage.json"}})",
       "must be a plain name"},
      {R"({"backbones": {"r": {"preset": "tiny"}}, "num_instances": [2], "warmup": "stage.json", "tasks": {"t": "stage.json"}})",
       "backbones.r must be a backbone section with a \"plugin\""},
  };
  for (const auto& [text, message] : cases) {
    const auto file = dir.write("sweep.json", text);
    const auto result = test::run_datamux("sweep --config " + file.string() + " --out " +
                                          (dir.path() / "out").string());
    EXPECT_EQ(result.exit_code, 1) << text;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
    EXPECT_CONTAINS(result.out, file.string());
    EXPECT_CONTAINS(result.out, message);
  }
}

TEST(Sweep, RerunSkipsCompleteRunsAndResumesUnfinishedOnes) {
  ToySweep sweep;
  auto result = sweep.run();
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::map<std::string, std::string> complete = {{"roberta/n1/warmup", "complete"},
                                                       {"roberta/n1/classify", "complete"},
                                                       {"roberta/n2/warmup", "complete"},
                                                       {"roberta/n2/classify", "complete"}};
  EXPECT_EQ(statuses(sweep.out()), complete);
  const auto record = read_json_file(sweep.out() / "sweep.json");
  EXPECT_STREQ(record["status"].GetString(), "complete");
  EXPECT_STREQ(record["tasks"][0]["primary_metric"].GetString(), "accuracy");
  // Finetuning started from its own warm-up; every run's config is kept beside the runs.
  const auto finetune = read_json_file(sweep.out() / "roberta/n2/classify/run.json");
  EXPECT_EQ(std::string(finetune["init_from"].GetString()), (sweep.out() / "roberta/n2/warmup").string());
  EXPECT_STREQ(finetune["command"].GetString(), "finetune");
  EXPECT_TRUE(std::filesystem::exists(sweep.out() / "configs" / "roberta-n2-classify.json"));

  // Nothing is rerun...
  const std::string metrics = test::read_text(sweep.out() / "roberta/n1/classify/metrics.jsonl");
  result = sweep.run();
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 6) << result.out;  // 4 runs, summary, report
  EXPECT_EQ(test::read_text(sweep.out() / "roberta/n1/classify/metrics.jsonl"), metrics);

  // ...but an unfinished run continues from its checkpoint.
  const auto unfinished = sweep.out() / "roberta/n2/classify";
  write_file_atomically(unfinished / "run.json", R"({"status": "interrupted"})");
  std::filesystem::remove(unfinished / "model.pt");
  result = sweep.run();
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "resuming " + unfinished.string() + " from step 2");
  EXPECT_EQ(statuses(sweep.out()), complete);
  EXPECT_TRUE(std::filesystem::exists(unfinished / "model.pt"));
}

TEST(Sweep, FailedWarmupSkipsItsFinetunesAndTheRestGoesOn) {
  ToySweep sweep(R"({"good": {"plugin": "lstm", "preset": "tiny"}, "bad": {"plugin": "nope"}})", "[2]");
  const auto result = sweep.run();
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_CONTAINS(result.out, "bad/n2/warmup: failed");
  EXPECT_CONTAINS(result.out, "2 complete, 1 failed, 1 skipped");
  const std::map<std::string, std::string> expected = {{"good/n2/warmup", "complete"},
                                                       {"good/n2/classify", "complete"},
                                                       {"bad/n2/warmup", "failed"},
                                                       {"bad/n2/classify", "skipped"}};
  EXPECT_EQ(statuses(sweep.out()), expected);
  EXPECT_STREQ(read_json_file(sweep.out() / "sweep.json")["status"].GetString(), "failed");
}

// configs/demo/sweep.json as scripts/demo runs it, at a few steps per run.
TEST(Sweep, DemoSweepConfigRunsEndToEnd) {
  test::ScratchDir dir;
  auto result = test::run_datamux_in(dir.path(), "demo-data --out data/demo");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  result = test::run_datamux_in(
      dir.path(), "sweep --config " + (test::source_dir() / "configs/demo/sweep.json").string() +
                      " --out sweep --set train.steps=2 --set train.eval_every=0 --set "
                      "data.eval_examples=32 --set train.throughput_repeats=1 --set run.device=cpu");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto runs = statuses(dir.path() / "sweep");
  EXPECT_EQ(runs.size(), 27u);  // 3 backbones x N in {1, 2, 5} x (warm-up, sst2, ner)
  for (const auto& [id, status] : runs) EXPECT_EQ(status, "complete") << id;
}

}  // namespace
}  // namespace datamux
