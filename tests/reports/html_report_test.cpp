// report.html in a real browser: headless Chromium loads it from a file:// URL (offline), and
// its dumped DOM must show every chart drawn (an <svg class="marks"> per chart container), no
// script error recorded by the page itself, and record strings as text, never as markup.
// A screenshot of each page is kept in the build tree (report-artifacts/) for people to look at.
#include <gtest/gtest.h>

#include "datamux/reports/compare_report.h"
#include "datamux/reports/run_report.h"
#include "datamux/reports/sweep_report.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kInjected = "<script>alert(1)</script>";

std::string chromium_command(const TemporaryDirectory& profile, const std::string& arguments) {
  // A private profile per run, so parallel tests never share browser state; stderr (DBus
  // chatter) is dropped so only the DOM remains on stdout.
  return std::string("(timeout 120 ") + kChromium +
         " --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 --user-data-dir=" +
         (profile.path() / "chromium").string() + " " + arguments + " 2>/dev/null)";
}

// Loads `html` and returns the DOM after the page's scripts ran; the same run saves a
// screenshot as report-artifacts/NAME.png (and a copy of the page) in the build tree.
std::string render(const std::filesystem::path& html, const std::string& name) {
  const std::filesystem::path artifacts = DATAMUX_REPORT_ARTIFACT_DIR;
  std::filesystem::create_directories(artifacts);
  const auto png = artifacts / (name + ".png");
  std::filesystem::remove(png);
  TemporaryDirectory profile;
  const auto result = test::run_command(
      chromium_command(profile, "--window-size=1200,3000 --screenshot=" + png.string() +
                                    " --dump-dom file://" + html.string()));
  EXPECT_EQ(result.exit_code, 0) << "chromium failed: " << result.out.substr(0, 2000);
  EXPECT_TRUE(std::filesystem::exists(png)) << png;
  std::filesystem::copy_file(html, artifacts / (name + ".html"),
                             std::filesystem::copy_options::overwrite_existing);
  return result.out;
}

// The part of the DOM between `from` and the next `until`.
std::string segment(const std::string& dom, const std::string& from, const std::string& until) {
  const auto start = dom.find(from);
  if (start == std::string::npos) return "";
  return dom.substr(start, dom.find(until, start) - start);
}

void expect_every_chart_drawn(const std::string& dom, std::size_t expected_charts) {
  ASSERT_FALSE(dom.empty());
  const std::string status = segment(dom, "<div id=\"report-status\"", ">");
  EXPECT_NE(status.find("data-charts=\"" + std::to_string(expected_charts) + "\""),
            std::string::npos)
      << status;
  EXPECT_NE(status.find("data-state=\"done\""), std::string::npos) << status;
  EXPECT_NE(status.find("data-charts-failed=\"0\""), std::string::npos) << status;
  EXPECT_NE(dom.find("<ul id=\"report-errors\"></ul>"), std::string::npos)
      << "the page recorded errors: " << segment(dom, "<ul id=\"report-errors\"", "</ul>");
  for (std::size_t i = 1; i <= expected_charts; ++i) {
    const std::string chart = segment(dom, " id=\"chart-" + std::to_string(i) + "\"", "</figure>");
    EXPECT_NE(chart.find("<svg"), std::string::npos) << "chart " << i << " has no <svg>";
    EXPECT_NE(chart.find("class=\"marks\""), std::string::npos) << "chart " << i << " not drawn";
  }
}

class HtmlReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kChromium))
      GTEST_SKIP() << kChromium << " is missing (apt-get install chromium; scripts/setup.sh does)";
  }
};

TEST_F(HtmlReportTest, RunReportDrawsItsChartsAndShowsRecordStringsAsText) {
  TemporaryDirectory dir;
  test::RunSpec spec = test::finetune_spec("accuracy", 0.8, 1000, true);
  spec.extra_run_config = std::string("\"note\": \"") + kInjected + "\"";
  test::write_run(dir.path(), spec);
  write_run_report(dir.path());
  const std::string dom = render(dir.path() / "report.html", "run-report");
  expect_every_chart_drawn(dom, 2);  // training losses, evaluation metrics
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(dom.find(kInjected), std::string::npos);
  // The page's own six scripts (error recorder, three libraries, specs, renderer), no more.
  EXPECT_EQ(test::count_of(dom, "<script"), 6u);
}

TEST_F(HtmlReportTest, SweepReportDrawsEveryFigure) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  write_sweep_report(dir.path());
  // Figure 2 and throughput per task (2 + 2), Figure 3 per task (2), Figure 4 (1).
  expect_every_chart_drawn(render(dir.path() / "report.html", "sweep-report"), 7);
}

TEST_F(HtmlReportTest, CompareReportsDrawTheirChartsWithoutAnError) {
  TemporaryDirectory runs, out;
  test::RunSpec a = test::finetune_spec("accuracy", 0.8, 1000, true);
  a.step_lines = 300;
  test::RunSpec b = a;
  b.learning_rate = 0.0005;
  b.extra_run_config = std::string("\"note\": \"") + kInjected + "\"";
  test::write_run(runs.path() / "a", a);
  test::write_run(runs.path() / "b", b);
  write_compare_report({runs.path() / "a", runs.path() / "b"}, out.path() / "runs");
  const std::string dom = render(out.path() / "runs" / "report.html", "compare-runs-report");
  expect_every_chart_drawn(dom, 1);  // a panel per loss, a line per run
  EXPECT_EQ(dom.find(kInjected), std::string::npos);

  TemporaryDirectory sweep_a, sweep_b;
  test::write_study_sweep(sweep_a.path());
  test::write_study_sweep(sweep_b.path());
  write_compare_report({sweep_a.path(), sweep_b.path()}, out.path() / "sweeps");
  // Figure 2 of both sweeps, one chart per task.
  expect_every_chart_drawn(render(out.path() / "sweeps" / "report.html", "compare-sweeps-report"),
                           2);
}

}  // namespace
}  // namespace datamux::reports
