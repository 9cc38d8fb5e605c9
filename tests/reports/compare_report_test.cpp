// `datamux report --compare` on constructed runs and sweeps: exactly the differing config
// keys, the metric differences, report.json against its schema, and the one-line refusals.
#include "datamux/reports/compare_report.h"

#include <gtest/gtest.h>

#include "datamux/core/json_file.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

test::CommandResult datamux(const std::string& arguments) {
  return test::run_command(test::datamux_binary().string() + " " + arguments);
}

// Two runs of one task that differ in run.precision (bf16 only in B) and train.learning_rate,
// with accuracy 0.80 against 0.85 and 400 examples each.
class RunComparisonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::RunSpec a = test::finetune_spec("accuracy", 0.80, 1000, true);
    a.step_lines = 300;
    test::RunSpec b = a;
    b.extra_run_config = R"("precision": "bf16")";
    b.learning_rate = 0.0005;
    b.instances_per_s = 1500;
    for (auto* spec : {&a, &b}) {
      const double final_accuracy = spec == &a ? 0.80 : 0.85;
      spec->evaluations = {
          {150, {{"accuracy", final_accuracy - 0.01}, {"examples", 400}, {"loss", 0.55}},
           std::vector<std::string>{"examples"}},
          {300, {{"accuracy", final_accuracy}, {"examples", 400}, {"loss", 0.5}},
           std::vector<std::string>{"examples"}}};
    }
    test::write_run(a_.path() / "fp32", a);
    test::write_run(b_.path() / "bf16", b);
  }

  std::filesystem::path a() const { return a_.path() / "fp32"; }
  std::filesystem::path b() const { return b_.path() / "bf16"; }

  TemporaryDirectory a_, b_, out_;
};

TEST_F(RunComparisonTest, ListsExactlyTheDifferingConfigKeys) {
  write_compare_report({a(), b()}, out_.path());
  const auto report = read_json_file(out_.path() / "report.json");
  EXPECT_EQ(test::schema_violation(to_json_text(report), "compare-report.schema.json"), "");
  EXPECT_STREQ(report["kind"].GetString(), "compare");
  EXPECT_STREQ(report["subject"].GetString(), "runs");
  const auto& differences = report["config_differences"];
  ASSERT_EQ(differences.Size(), 2u) << to_json_text(differences);
  EXPECT_STREQ(differences[0]["key"].GetString(), "run.precision");
  EXPECT_TRUE(differences[0]["values"][0].IsNull());  // A has no such key
  EXPECT_STREQ(differences[0]["values"][1].GetString(), "bf16");
  EXPECT_STREQ(differences[1]["key"].GetString(), "train.learning_rate");
  EXPECT_DOUBLE_EQ(differences[1]["values"][0].GetDouble(), 0.001);
  EXPECT_DOUBLE_EQ(differences[1]["values"][1].GetDouble(), 0.0005);

  const std::string markdown = test::read_text(out_.path() / "report.md");
  EXPECT_CONTAINS(markdown, "| key | A | B |");
  EXPECT_CONTAINS(markdown, "| run.precision | — | bf16 |");
  EXPECT_CONTAINS(markdown, "| train.learning_rate | 0.001 | 0.0005 |");
  EXPECT_EQ(markdown.find("| train.steps |"), std::string::npos);  // equal keys are left out
  EXPECT_EQ(test::html_entities(markdown), std::vector<std::string>{});
}

TEST_F(RunComparisonTest, GivesFinalAndBestMetricsWithTheirDifferences) {
  write_compare_report({a(), b()}, out_.path());
  const auto report = read_json_file(out_.path() / "report.json");
  const auto& final_metrics = report["metrics"]["final"]["metrics"];
  ASSERT_EQ(final_metrics.Size(), 3u);
  EXPECT_STREQ(final_metrics[0]["name"].GetString(), "accuracy");
  EXPECT_STREQ(final_metrics[0]["kind"].GetString(), "score");
  EXPECT_TRUE(final_metrics[0]["differences"][0].IsNull());
  EXPECT_NEAR(final_metrics[0]["differences"][1].GetDouble(), 0.05, 1e-12);
  // The primary metric first, then the other scores, then the counts.
  EXPECT_STREQ(final_metrics[1]["name"].GetString(), "loss");
  EXPECT_STREQ(final_metrics[2]["name"].GetString(), "examples");
  EXPECT_STREQ(final_metrics[2]["kind"].GetString(), "count");
  EXPECT_DOUBLE_EQ(final_metrics[2]["differences"][1].GetDouble(), 0);

  const std::string markdown = test::read_text(out_.path() / "report.md");
  EXPECT_CONTAINS(markdown, "| metric | A (step 300) | B (step 300) | B − A |");
  EXPECT_CONTAINS(markdown, "| accuracy (primary) | 0.8000 | 0.8500 | +0.0500 |");
  EXPECT_CONTAINS(markdown, "| examples (count) | 400 | 400 | +0 |");
  EXPECT_CONTAINS(markdown, "| instances per second | 1000.0 | 1500.0 | 1.50x |");
}

TEST_F(RunComparisonTest, OverlaysTheLossCurvesOfEveryRun) {
  write_compare_report({a(), b()}, out_.path());
  const auto specs = test::chart_specs(out_.path() / "report.html");
  // One chart: a panel for task_loss and one for retrieval_loss, a line per run in each.
  ASSERT_EQ(specs.MemberCount(), 1u);
  const auto& chart = specs["chart-1"];
  ASSERT_EQ(chart["concat"].Size(), 2u);
  EXPECT_STREQ(chart["concat"][0]["title"].GetString(), "task_loss");
  const auto& lines = chart["concat"][0]["encoding"]["color"]["scale"]["domain"];
  ASSERT_EQ(lines.Size(), 2u);
  EXPECT_EQ(std::string(lines[0].GetString()), "A: " + a().string());
  EXPECT_EQ(chart["datasets"]["steps"].Size(), 600u);  // 300 step lines per run
}

TEST_F(RunComparisonTest, TheCliWritesTheReportAndRefusesAnOutThatIsACompared) {
  auto result = datamux("report --compare " + a().string() + " " + b().string() + " --out " +
                        (out_.path() / "cmp").string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out, (out_.path() / "cmp" / "report.json").string() + "\n" +
                            (out_.path() / "cmp" / "report.md").string() + "\n" +
                            (out_.path() / "cmp" / "report.html").string() + "\n");

  result = datamux("report --compare " + a().string() + " " + b().string() + " --out " +
                   b().string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(test::count_of(result.out, "\n"), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "is one of the compared directories");
  EXPECT_FALSE(std::filesystem::exists(b() / "report.json"));

  for (const std::string& arguments :
       {"report --compare " + a().string() + " --out " + out_.path().string(),
        "report --compare " + a().string() + " " + b().string(),
        "report " + a().string() + " " + b().string()}) {
    result = datamux(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << ": " << result.out;
    EXPECT_EQ(test::count_of(result.out, "\n"), 1u) << result.out;
  }
}

TEST(CompareRefusals, RunsOfDifferentTasksAreRefusedInOneLine) {
  TemporaryDirectory a, b, out;
  test::RunSpec sst2 = test::finetune_spec("accuracy", 0.8, 1000, true);
  sst2.extra_config_sections =
      R"("data": {"format": "sst2"}, "task": {"plugin": "sequence_classification"})";
  test::RunSpec ner = test::finetune_spec("f1", 0.7, 1000, true);
  ner.extra_config_sections =
      R"("data": {"format": "conll"}, "task": {"plugin": "token_classification"})";
  test::write_run(a.path(), sst2);
  test::write_run(b.path(), ner);
  const auto result = datamux("report --compare " + a.path().string() + " " + b.path().string() +
                              " --out " + (out.path() / "cmp").string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(test::count_of(result.out, "\n"), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "is a sst2 (sequence_classification) run (primary metric accuracy)");
  EXPECT_CONTAINS(result.out, "a conll (token_classification) run (primary metric f1)");
  EXPECT_CONTAINS(result.out, "compare runs of one task");
  EXPECT_FALSE(std::filesystem::exists(out.path() / "cmp"));  // nothing written
}

TEST(CompareRefusals, ARunAndASweepAreRefusedInOneLine) {
  TemporaryDirectory run, sweep, out;
  test::write_run(run.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  test::write_study_sweep(sweep.path());
  const auto result = datamux("report --compare " + run.path().string() + " " +
                              sweep.path().string() + " --out " + out.path().string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(test::count_of(result.out, "\n"), 1u) << result.out;
  EXPECT_CONTAINS(result.out, "compare runs with runs or sweeps with sweeps");
}

TEST(SweepComparison, PutsTable1SideBySideWithPerCellDifferences) {
  TemporaryDirectory a, b, out;
  test::write_study_sweep(a.path());
  test::write_study_sweep(b.path());
  // B's roberta sst2 at N = 2 reached 0.75 instead of 0.72, with another learning rate.
  test::RunSpec changed = test::finetune_spec("accuracy", 0.75, 1800, true);
  changed.learning_rate = 0.002;
  test::write_run(b.path() / "roberta/n2/sst2", changed);
  write_compare_report({a.path(), b.path()}, out.path());

  const std::string json = test::read_text(out.path() / "report.json");
  EXPECT_EQ(test::schema_violation(json, "compare-report.schema.json"), "");
  const auto report = parse_json(json, "report.json");
  EXPECT_STREQ(report["subject"].GetString(), "sweeps");
  const auto& differences = report["config_differences"];
  ASSERT_EQ(differences.Size(), 1u) << to_json_text(differences);
  EXPECT_STREQ(differences[0]["key"].GetString(), "train.learning_rate");
  EXPECT_EQ(differences[0]["runs_differing"].GetInt(), 1);

  bool found = false;
  for (const auto& cell : report["table1"].GetArray()) {
    const bool changed_cell = std::string(cell["task"].GetString()) == "sst2" &&
                              cell["num_instances"].GetInt() == 2 &&
                              std::string(cell["backbone"].GetString()) == "roberta";
    if (changed_cell) {
      found = true;
      EXPECT_NEAR(cell["differences"][1].GetDouble(), 0.03, 1e-12);
    } else if (!cell["differences"][1].IsNull()) {
      EXPECT_DOUBLE_EQ(cell["differences"][1].GetDouble(), 0) << to_json_text(cell);
    }
  }
  EXPECT_TRUE(found);
  const std::string markdown = test::read_text(out.path() / "report.md");
  EXPECT_CONTAINS(markdown, "| task | N | backbone | metric | A | B | B − A |");
  EXPECT_CONTAINS(markdown, "| sst2 | 2 | roberta | accuracy | 0.7200 | 0.7500 | +0.0300 |");
  EXPECT_CONTAINS(markdown, "| ner | 5 | albert | f1 | — (pending) | — (pending) | — |");

  rapidjson::Document broken = parse_json(json, "report.json");
  broken.AddMember("task", rapidjson::Value(rapidjson::kObjectType), broken.GetAllocator());
  EXPECT_NE(test::schema_violation(to_json_text(broken), "compare-report.schema.json"), "");
}

TEST(SweepComparison, SweepsWithoutACommonTaskAreRefused) {
  TemporaryDirectory a, b, out;
  test::write_study_sweep(a.path());
  test::write_text(b.path() / "sweep.json", R"({
  "schema_version": 1, "name": "qqp-only", "config_source": "/configs/qqp.json",
  "status": "running", "backbones": ["roberta"], "num_instances": [2],
  "tasks": [{"name": "qqp", "primary_metric": "accuracy"}],
  "runs": [{"id": "roberta/n2/qqp", "dir": "roberta/n2/qqp", "backbone": "roberta",
            "num_instances": 2, "task": "qqp", "role": "finetune", "status": "pending"}]
})");
  try {
    write_compare_report({a.path(), b.path()}, out.path() / "cmp");
    FAIL() << "expected a refusal";
  } catch (const std::exception& error) {
    EXPECT_CONTAINS(std::string(error.what()), "(tasks sst2, ner) and");
    EXPECT_CONTAINS(std::string(error.what()), "(tasks qqp) share no task");
  }
  EXPECT_FALSE(std::filesystem::exists(out.path() / "cmp"));
}

}  // namespace
}  // namespace datamux::reports
