// The run report from constructed records: report.json against its schema and its numbers,
// report.md's tables, and byte-identical regeneration apart from generated_at.
#include "datamux/reports/run_report.h"

#include <gtest/gtest.h>

#include "datamux/core/json_file.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

// Final evaluation at step 300 (0.80), best at step 150 (0.85).
test::RunSpec finetune_with_earlier_best() {
  test::RunSpec spec = test::finetune_spec("accuracy", 0.80, 2500, true);
  spec.evaluations = {{150, {{"accuracy", 0.85}, {"loss", 0.45}}},
                      {300, {{"accuracy", 0.80}, {"loss", 0.5}}}};
  return spec;
}

TEST(RunReport, WritesThreeFilesAndReportJsonMatchesItsSchema) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), finetune_with_earlier_best());
  const auto written = write_run_report(dir.path());
  ASSERT_EQ(written.size(), 3u);
  EXPECT_EQ(written[0], dir.path() / "report.json");
  EXPECT_EQ(written[1], dir.path() / "report.md");
  EXPECT_EQ(written[2], dir.path() / "report.html");
  for (const auto& file : written) EXPECT_TRUE(std::filesystem::exists(file)) << file;
  const std::string json = test::read_text(dir.path() / "report.json");
  EXPECT_EQ(test::schema_violation(json, "run-report.schema.json"), "");
}

TEST(RunReport, SchemaCheckRejectsABrokenReport) {
  // The schema check above must be able to fail: a report without its losses does not pass.
  TemporaryDirectory dir;
  test::write_run(dir.path(), finetune_with_earlier_best());
  write_run_report(dir.path());
  auto report = read_json_file(dir.path() / "report.json");
  report.RemoveMember("losses");
  EXPECT_NE(test::schema_violation(to_json_text(report), "run-report.schema.json"), "");
  report = read_json_file(dir.path() / "report.json");
  report["plugins"][0]["sha256"].SetString("not-hex");
  EXPECT_NE(test::schema_violation(to_json_text(report), "run-report.schema.json"), "");
}

TEST(RunReport, ReportJsonCarriesRecordsAndAnalysis) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), finetune_with_earlier_best());
  write_run_report(dir.path());
  const auto report = read_json_file(dir.path() / "report.json");
  EXPECT_EQ(report["schema_version"].GetInt(), kRunReportSchemaVersion);
  EXPECT_STREQ(report["run"]["name"].GetString(), dir.path().filename().c_str());
  EXPECT_STREQ(report["config"]["backbone"]["preset"].GetString(), "roberta-tiny");
  EXPECT_STREQ(report["plugins"][0]["name"].GetString(), "roberta");
  EXPECT_EQ(report["environment"]["threads"].GetInt(), 2);  // numbers stay numbers
  EXPECT_EQ(report["metrics"]["final"]["step"].GetInt(), 300);
  EXPECT_DOUBLE_EQ(report["metrics"]["final"]["values"]["accuracy"].GetDouble(), 0.80);
  EXPECT_EQ(report["metrics"]["best"]["step"].GetInt(), 150);
  EXPECT_DOUBLE_EQ(report["metrics"]["best"]["values"]["accuracy"].GetDouble(), 0.85);
  EXPECT_DOUBLE_EQ(report["throughput"]["instances_per_s"].GetDouble(), 2500);
  ASSERT_EQ(report["losses"].Size(), 3u);
  EXPECT_DOUBLE_EQ(report["losses"][2]["retrieval_loss"].GetDouble(), 1.2);
  ASSERT_EQ(report["evaluations"].Size(), 2u);
  // The constructed curve 0.70, 0.69, 0.60: it falls (>5%) in the window ending at step 300.
  EXPECT_EQ(report["critical_retrieval_loss"]["step"].GetInt(), 300);
  EXPECT_DOUBLE_EQ(report["critical_retrieval_loss"]["retrieval_loss"].GetDouble(), 1.2);
}

TEST(RunReport, MarkdownHasTheTablesAndLinksTheHtml) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), finetune_with_earlier_best());
  write_run_report(dir.path());
  const std::string markdown = test::read_text(dir.path() / "report.md");
  EXPECT_CONTAINS(markdown, "[report.html](report.html)");
  EXPECT_CONTAINS(markdown, "| metric | final (step 300) | best (step 150) |");
  EXPECT_CONTAINS(markdown, "| accuracy (primary) | 0.8000 | 0.8500 |");
  EXPECT_CONTAINS(markdown, "| instances per second | 2500.0 |");
  EXPECT_CONTAINS(markdown, "| 200 | 100 | 0.7710 | 0.6900 | 1.5000 |");  // loss 0.9*0.69+0.1*1.5
  EXPECT_CONTAINS(markdown, "| roberta | 1.0.0 | /lib/datamux/plugins/roberta.so |");
  EXPECT_CONTAINS(markdown, "| threads | 2 |");
  EXPECT_CONTAINS(markdown, "| backbone | preset | roberta-tiny |");
  EXPECT_CONTAINS(markdown, "window ending at step 300");
}

TEST(RunReport, RegeneratingGivesTheSameBytesApartFromGeneratedAt) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), finetune_with_earlier_best());
  write_run_report(dir.path());
  test::expect_same_bytes_when_regenerated(dir.path(), [&] { write_run_report(dir.path()); });
}

TEST(RunReport, WarmUpAndUnevaluatedRunsStillReport) {
  TemporaryDirectory warmup;
  test::write_run(warmup.path(), test::warmup_spec(1.5));
  write_run_report(warmup.path());
  const auto warmup_report = read_json_file(warmup.path() / "report.json");
  EXPECT_TRUE(warmup_report["critical_retrieval_loss"].IsNull());
  EXPECT_EQ(test::schema_violation(to_json_text(warmup_report), "run-report.schema.json"), "");

  TemporaryDirectory running;
  test::RunSpec spec;
  spec.status = "running";
  test::write_run(running.path(), spec);
  write_run_report(running.path());
  const auto running_report = read_json_file(running.path() / "report.json");
  EXPECT_TRUE(running_report["metrics"]["best"].IsNull());
  EXPECT_TRUE(running_report["throughput"].IsNull());
  EXPECT_EQ(test::schema_violation(to_json_text(running_report), "run-report.schema.json"), "");
  EXPECT_CONTAINS(test::read_text(running.path() / "report.md"),
                  "No evaluation has been recorded yet.");
}

TEST(RunReport, RecordStringsAreEscapedInEveryFormat) {
  TemporaryDirectory dir;
  test::RunSpec spec = finetune_with_earlier_best();
  spec.extra_run_config = R"("note": "<script>alert(1)</script> | *x*")";
  test::write_run(dir.path(), spec);
  write_run_report(dir.path());
  const std::string markdown = test::read_text(dir.path() / "report.md");
  EXPECT_CONTAINS(markdown, "\\<script>alert(1)\\</script> \\| \\*x\\*");
  const std::string html = test::read_text(dir.path() / "report.html");
  EXPECT_CONTAINS(html, "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
}

}  // namespace
}  // namespace datamux::reports
