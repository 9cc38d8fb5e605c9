// Reading run and sweep records: what they hold, and one-line errors that name the file, the
// line (metrics.jsonl) and the key at fault.
#include <gtest/gtest.h>

#include "datamux/reports/report.h"
#include "datamux/reports/run_records.h"
#include "datamux/reports/sweep_records.h"
#include "datamux/sdk/error.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

// `action` throws a datamux::Error whose message is one line and contains every one of `parts`.
template <typename Action>
void expect_one_line_error(Action action, const std::vector<std::string>& parts) {
  std::string message;
  try {
    action();
  } catch (const Error& error) {
    message = error.what();
  }
  EXPECT_FALSE(message.empty()) << "no datamux::Error was thrown";
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  for (const auto& part : parts)
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' missing in: " << message;
}

TEST(ReportRecords, RunRecordsReadBack) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  const RunRecords records = read_run_records(dir.path());
  EXPECT_EQ(records.run.status, "complete");
  EXPECT_EQ(records.run.primary_metric, "accuracy");
  ASSERT_TRUE(records.run.best_eval);
  EXPECT_EQ(records.run.best_eval->step, 300);
  EXPECT_DOUBLE_EQ(*records.run.best_eval->value("accuracy"), 0.8);
  ASSERT_TRUE(records.run.throughput);
  EXPECT_DOUBLE_EQ(records.run.throughput->instances_per_s, 1000);
  EXPECT_EQ(records.metrics.step_lines, 2u);
  ASSERT_EQ(records.metrics.means.size(), 3u);
  EXPECT_DOUBLE_EQ(*records.metrics.means[1].retrieval_loss, 1.5);
  ASSERT_EQ(records.metrics.evaluations.size(), 2u);
  EXPECT_EQ(records.metrics.evaluations[0].step, 150);
  EXPECT_TRUE(records.config.HasMember("backbone"));
}

TEST(ReportRecords, BadJsonLineNamesFileAndLine) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  const auto metrics = dir.path() / "metrics.jsonl";
  std::string text = test::read_text(metrics);
  const auto third_line = text.find('\n', text.find('\n') + 1) + 1;
  text.insert(third_line, "{\"step\": 3, \"loss\": \n");
  test::write_text(metrics, text);
  expect_one_line_error([&] { write_run_report(dir.path()); },
                        {metrics.string() + ":3:", "invalid JSON"});
}

TEST(ReportRecords, MissingKeyInAMeanLineNamesLineAndKey) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  const auto metrics = dir.path() / "metrics.jsonl";
  test::write_text(metrics, test::read_text(metrics) +
                                R"({"step": 400, "mean": {"loss": 0.5}, "window": 100})"
                                "\n");
  const auto lines = test::count_of(test::read_text(metrics), "\n");
  expect_one_line_error(
      [&] { read_metrics_log(metrics); },
      {metrics.string() + ":" + std::to_string(lines) + ":", "missing key 'mean.task_loss'"});
}

TEST(ReportRecords, MissingRunJsonKeyIsNamedWithItsPath) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  const auto run_json = dir.path() / "run.json";
  test::replace_in_file(run_json, "\"host\"", "\"hostname\"");
  expect_one_line_error([&] { write_run_report(dir.path()); },
                        {run_json.string(), "missing key 'environment.host'"});
}

TEST(ReportRecords, WrongTypeAndNewerSchemaAreRefused) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  const auto run_json = dir.path() / "run.json";
  test::replace_in_file(run_json, "\"steps\": 300", "\"steps\": \"300\"");
  expect_one_line_error([&] { read_run_json(run_json); },
                        {run_json.string(), "'steps' must be an integer"});
  test::replace_in_file(run_json, "\"steps\": \"300\"", "\"steps\": 300");
  test::replace_in_file(run_json, "\"schema_version\": 1", "\"schema_version\": 2");
  expect_one_line_error([&] { read_run_json(run_json); }, {run_json.string(), "schema_version 2"});
}

TEST(ReportRecords, MissingFilesAreNamed) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  std::filesystem::remove(dir.path() / "metrics.jsonl");
  expect_one_line_error([&] { write_report(dir.path()); },
                        {(dir.path() / "metrics.jsonl").string(), "cannot open"});
  TemporaryDirectory empty;
  expect_one_line_error([&] { write_report(empty.path()); },
                        {empty.path().string(), "neither sweep.json nor run.json"});
}

TEST(ReportRecords, SweepRecordsSkipPendingRunsAndReadTheRest) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  const SweepRecords records = read_sweep_records(dir.path());
  EXPECT_EQ(records.sweep.name, "study");
  ASSERT_EQ(records.runs.size(), 24u);
  std::size_t with_records = 0;
  for (const auto& run : records.runs) {
    EXPECT_EQ(run.records.has_value(), run.entry.status != "pending") << run.entry.id;
    with_records += run.records.has_value();
  }
  EXPECT_EQ(with_records, 22u);
}

TEST(ReportRecords, CompleteSweepRunWithoutRecordsIsAnError) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  std::filesystem::remove(dir.path() / "lstm/n2/sst2/run.json");
  expect_one_line_error([&] { write_sweep_report(dir.path()); },
                        {(dir.path() / "lstm/n2/sst2/run.json").string(), "cannot open"});
}

TEST(ReportRecords, SweepJsonProblemsNameTheRunEntry) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  const auto sweep_json = dir.path() / "sweep.json";
  test::replace_in_file(sweep_json, "\"role\": \"warmup\"", "\"role\": \"other\"");
  expect_one_line_error([&] { read_sweep_json(sweep_json); },
                        {sweep_json.string(), "'runs[0].role' must be \"warmup\" or \"finetune\""});
}

TEST(ReportRecords, BestEvalWithoutThePrimaryMetricIsAnError) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  // The task says f1; this run's records only know accuracy.
  test::write_run(dir.path() / "roberta/n2/ner", test::finetune_spec("accuracy", 0.8, 1000, true));
  expect_one_line_error(
      [&] { write_sweep_report(dir.path()); },
      {(dir.path() / "roberta/n2/ner/run.json").string(), "best_eval has no 'f1'"});
}

}  // namespace
}  // namespace datamux::reports
