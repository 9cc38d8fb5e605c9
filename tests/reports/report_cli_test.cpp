// `datamux report DIR [--loss-n N]` end to end, on constructed run and sweep directories.
#include <gtest/gtest.h>

#include "datamux/core/json_file.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

test::CommandResult datamux(const std::string& arguments) {
  return test::run_command(test::datamux_binary().string() + " " + arguments);
}

std::size_t lines(const std::string& text) { return test::count_of(text, "\n"); }

TEST(ReportCli, RunDirectoryGetsItsReportAndThePathsArePrinted) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  const auto result = datamux("report " + dir.path().string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out, (dir.path() / "report.json").string() + "\n" +
                            (dir.path() / "report.md").string() + "\n" +
                            (dir.path() / "report.html").string() + "\n");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "report.html"));
}

TEST(ReportCli, SweepDirectoryTakesTheLossCurveN) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  const auto result = datamux("report " + dir.path().string() + " --loss-n 2");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(lines(result.out), 3u) << result.out;
  const auto report = read_json_file(dir.path() / "report.json");
  EXPECT_STREQ(report["kind"].GetString(), "sweep");
  EXPECT_EQ(report["loss_curves"]["num_instances"].GetInt(), 2);
}

TEST(ReportCli, ErrorsAreOneLineWithTheRightExitStatus) {
  TemporaryDirectory sweep;
  test::write_study_sweep(sweep.path());
  auto result = datamux("report " + sweep.path().string() + " --loss-n 7");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(lines(result.out), 1u) << result.out;
  EXPECT_NE(result.out.find("no runs with N = 7"), std::string::npos) << result.out;

  TemporaryDirectory run;
  test::write_run(run.path(), test::finetune_spec("accuracy", 0.8, 1000, true));
  result = datamux("report " + run.path().string() + " --loss-n 2");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_EQ(lines(result.out), 1u) << result.out;

  result = datamux("report");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_EQ(lines(result.out), 1u) << result.out;

  result = datamux("report " + (run.path() / "nowhere").string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(lines(result.out), 1u) << result.out;
  EXPECT_NE(result.out.find("no such directory"), std::string::npos) << result.out;

  test::write_text(run.path() / "metrics.jsonl", "{\"step\": 1,\n");
  result = datamux("report " + run.path().string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(lines(result.out), 1u) << result.out;
  EXPECT_NE(result.out.find((run.path() / "metrics.jsonl").string() + ":1:"), std::string::npos)
      << result.out;
}

TEST(ReportCli, HelpNamesTheOption) {
  const auto result = datamux("report --help");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("--loss-n"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace datamux::reports
