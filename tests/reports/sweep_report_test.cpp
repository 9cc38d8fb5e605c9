// The sweep report on a constructed study (report_test_support.cpp's write_study_sweep):
// Table 1's numbers and ordering, the 10% headline with its boundary cases, throughput and
// speedups, Figure 3's N, Figure 4, the critical losses, and report.json against its schema.
#include "datamux/reports/sweep_report.h"

#include <gtest/gtest.h>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

class SweepReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_study_sweep(dir_.path());
    written_ = write_sweep_report(dir_.path());
    markdown_ = test::read_text(dir_.path() / "report.md");
    json_text_ = test::read_text(dir_.path() / "report.json");
    json_ = parse_json(json_text_, "report.json");
  }

  TemporaryDirectory dir_;
  std::vector<std::filesystem::path> written_;
  std::string markdown_;
  std::string json_text_;
  rapidjson::Document json_;
};

TEST_F(SweepReportTest, WritesThreeFilesAndReportJsonMatchesItsSchema) {
  ASSERT_EQ(written_.size(), 3u);
  for (const auto& file : written_) EXPECT_TRUE(std::filesystem::exists(file)) << file;
  EXPECT_EQ(test::schema_violation(json_text_, "sweep-report.schema.json"), "");
  rapidjson::Document broken = parse_json(json_text_, "report.json");
  broken["headlines"][0]["largest_n"].SetInt(1);  // a headline N is never 1
  EXPECT_NE(test::schema_violation(to_json_text(broken), "sweep-report.schema.json"), "");
}

TEST_F(SweepReportTest, Table1HasNAscendingRowsAndBackboneColumnsInSweepOrder) {
  EXPECT_CONTAINS(markdown_, "| task | N | roberta | albert | lstm |");
  const std::vector<std::string> rows = {
      "| sst2 | 1 | 0.8000 | 0.8000 | 0.7900 |", "| sst2 | 2 | 0.7200 | 0.7199 | 0.6000 |",
      "| sst2 | 5 | 0.7000 | 0.7500 | 0.5000 |", "| ner | 1 | 0.6700 | 0.6800 | — (pending) |",
      "| ner | 2 | 0.7500 | 0.7000 | 0.3000 |",  "| ner | 5 | 0.7400 | — (pending) | 0.1000 |",
  };
  std::size_t previous = 0;
  for (const auto& row : rows) {
    const auto at = markdown_.find(row);
    ASSERT_NE(at, std::string::npos) << "missing row: " << row;
    EXPECT_GT(at, previous) << "out of order: " << row;
    previous = at;
  }
  EXPECT_CONTAINS(markdown_, "best evaluation (best_eval)");
  EXPECT_CONTAINS(markdown_, "accuracy for sst2, f1 for ner");
}

TEST_F(SweepReportTest, FinetuneResultsInJsonFollowTheSameOrder) {
  const auto& results = json_["finetune_results"];
  ASSERT_EQ(results.Size(), 18u);
  EXPECT_STREQ(results[0]["task"].GetString(), "sst2");
  EXPECT_EQ(results[0]["num_instances"].GetInt(), 1);
  EXPECT_STREQ(results[0]["backbone"].GetString(), "roberta");
  EXPECT_STREQ(results[1]["backbone"].GetString(), "albert");
  EXPECT_STREQ(results[2]["backbone"].GetString(), "lstm");
  EXPECT_EQ(results[3]["num_instances"].GetInt(), 2);
  EXPECT_DOUBLE_EQ(results[3]["value"].GetDouble(), 0.72);
  EXPECT_EQ(results[3]["step"].GetInt(), 300);
  EXPECT_DOUBLE_EQ(results[3]["speedup"].GetDouble(), 1.8);
  EXPECT_STREQ(results[9]["task"].GetString(), "ner");
  EXPECT_STREQ(json_["metric_source"].GetString(), "best_eval");
  const auto& grid = json_["sweep"]["num_instances"];
  ASSERT_EQ(grid.Size(), 3u);
  EXPECT_EQ(grid[0].GetInt(), 1);
  EXPECT_EQ(grid[2].GetInt(), 5);
}

TEST_F(SweepReportTest, HeadlineIsTheLargestNWithinTenPercent) {
  EXPECT_CONTAINS(markdown_,
                  "| sst2 | roberta | accuracy | 0.8000 | 2 | 0.7200 | 1.80x |");  // at the bar
  EXPECT_CONTAINS(markdown_,
                  "| sst2 | albert | accuracy | 0.8000 | 5 | 0.7500 | 4.00x |");  // 2 misses
  EXPECT_CONTAINS(markdown_, "| sst2 | lstm | accuracy | 0.7900 | none | — | — |");
  EXPECT_CONTAINS(markdown_, "| ner | roberta | f1 | 0.6700 | 5 | 0.7400 | 4.50x |");
  EXPECT_CONTAINS(markdown_, "| ner | albert | f1 | 0.6800 | 2 | 0.7000 | 1.90x |");
  EXPECT_CONTAINS(markdown_, "| ner | lstm | f1 | — | no baseline | — | — |");
  const auto& headlines = json_["headlines"];
  ASSERT_EQ(headlines.Size(), 6u);
  EXPECT_EQ(headlines[0]["largest_n"].GetInt(), 2);
  EXPECT_TRUE(headlines[2]["largest_n"].IsNull());
}

TEST_F(SweepReportTest, ThroughputTableShowsInstancesPerSecondAndSpeedup) {
  EXPECT_CONTAINS(markdown_, "| sst2 | 1 | 1000.0 (1.00x) | 500.0 (1.00x) | 2000.0 (1.00x) |");
  EXPECT_CONTAINS(markdown_, "| sst2 | 5 | 4000.0 (4.00x) | 2000.0 (4.00x) | 6000.0 (3.00x) |");
  // lstm has no ner baseline: its throughput shows, its speedup cannot.
  EXPECT_CONTAINS(markdown_, "| ner | 2 | 1900.0 (1.90x) | 950.0 (1.90x) | 3000.0 (—) |");
}

TEST_F(SweepReportTest, Figure3UsesTheLargestNUpToFiveByDefault) {
  EXPECT_EQ(json_["loss_curves"]["num_instances"].GetInt(), 5);
  // N = 5 finetunes with records: 3 for sst2, 2 for ner (albert's is pending).
  EXPECT_EQ(json_["loss_curves"]["curves"].Size(), 5u);
  EXPECT_CONTAINS(markdown_, "finetuning at N = 5");
}

TEST_F(SweepReportTest, Figure3NCanBeChosenAndMustExist) {
  SweepReportOptions options;
  options.loss_curve_n = 2;
  write_sweep_report(dir_.path(), options);
  const auto report = read_json_file(dir_.path() / "report.json");
  EXPECT_EQ(report["loss_curves"]["num_instances"].GetInt(), 2);
  EXPECT_EQ(report["loss_curves"]["curves"].Size(), 6u);
  options.loss_curve_n = 7;
  try {
    write_sweep_report(dir_.path(), options);
    FAIL() << "N = 7 is not in the sweep";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 ((dir_.path() / "sweep.json").string() +
                  ": no runs with N = 7 for the loss curves (the sweep has N = 1, 2, 5)")
                     .c_str());
  }
}

TEST_F(SweepReportTest, Figure4ShowsEachWarmUpsFinalRetrievalLoss) {
  EXPECT_CONTAINS(markdown_, "| N | roberta | albert | lstm |");
  EXPECT_CONTAINS(markdown_, "| 2 | 0.5000 | 1.5000 | 4.0000 |");
  EXPECT_CONTAINS(markdown_, "| 5 | 1.0000 | 2.5000 | 6.0000 |");
  const auto& warmups = json_["warmup_retrieval_losses"];
  ASSERT_EQ(warmups.Size(), 6u);
  EXPECT_STREQ(warmups[0]["source"].GetString(), "final_eval.loss");
}

TEST_F(SweepReportTest, CriticalRetrievalLossForEveryFinetuneWithARetrievalLoss) {
  // 11 finetunes with records and N > 1 (the constructed N = 1 baselines have none); each
  // constructed curve 0.70, 0.69, 0.60 falls at step 300 with retrieval loss 1.2.
  const auto& critical = json_["critical_retrieval_losses"];
  ASSERT_EQ(critical.Size(), 11u);
  EXPECT_EQ(critical[0]["step"].GetInt(), 300);
  EXPECT_DOUBLE_EQ(critical[0]["retrieval_loss"].GetDouble(), 1.2);
  EXPECT_CONTAINS(markdown_, "| sst2 | roberta | 2 | 0.7000 | 300 | 0.6000 | 1.2000 |");
}

TEST_F(SweepReportTest, RunsTableListsEveryRun) {
  EXPECT_CONTAINS(markdown_, "| lstm/n1/ner | finetune | ner | lstm | 1 | pending | — |");
  EXPECT_CONTAINS(markdown_, "[report.html](report.html)");
  EXPECT_EQ(json_["runs"].Size(), 24u);
}

TEST_F(SweepReportTest, RegeneratingGivesTheSameBytesApartFromGeneratedAt) {
  test::expect_same_bytes_when_regenerated(dir_.path(), [&] { write_sweep_report(dir_.path()); });
}

TEST(SweepReport, PrimaryMetricsComeFromTheRunsBeforeSweepJsonKnowsThem) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  const auto sweep_json = dir.path() / "sweep.json";
  for (const char* metric : {", \"primary_metric\": \"accuracy\"", ", \"primary_metric\": \"f1\""})
    test::replace_in_file(sweep_json, metric, "");
  write_sweep_report(dir.path());
  const std::string markdown = test::read_text(dir.path() / "report.md");
  EXPECT_CONTAINS(markdown, "accuracy for sst2, f1 for ner");
  EXPECT_CONTAINS(markdown, "| ner | roberta | f1 | 0.6700 | 5 | 0.7400 | 4.50x |");
}

}  // namespace
}  // namespace datamux::reports
