// What the run and sweep reports say as a researcher reads them: Markdown without HTML
// entities, counts as integers and never charted (declared in the records, or by the fallback
// rule for older records), the per-step loss chart with one point per step line, and N as a
// number on Figure 2.
#include <gtest/gtest.h>

#include <set>

#include "datamux/core/json_file.h"
#include "datamux/reports/markdown.h"
#include "datamux/reports/run_report.h"
#include "datamux/reports/sweep_report.h"
#include "datamux/reports/text_format.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

// A classification run whose evaluations also report "examples", declared a count or not.
test::RunSpec run_with_examples(bool declared) {
  test::RunSpec spec = test::finetune_spec("accuracy", 0.8, 1000, true);
  const auto counts = declared ? std::optional<std::vector<std::string>>({"examples"}) : std::nullopt;
  spec.evaluations = {{150, {{"accuracy", 1.0}, {"examples", 400}, {"loss", 0.55}}, counts},
                      {300, {{"accuracy", 0.8}, {"examples", 400}, {"loss", 0.5}}, counts}};
  return spec;
}

// The metrics the evaluation chart plots.
std::set<std::string> charted_metrics(const rapidjson::Value& specs) {
  std::set<std::string> metrics;
  for (const auto& spec : specs.GetObject()) {
    if (!spec.value.HasMember("concat") || !spec.value.HasMember("data")) continue;
    for (const auto& row : spec.value["data"]["values"].GetArray())
      metrics.insert(row["metric"].GetString());
  }
  return metrics;
}

TEST(ReportText, MarkdownEscapingLeavesPlainComparisonsAlone) {
  EXPECT_EQ(escape_markdown("the largest N > 1 & no N < 2"), "the largest N > 1 & no N < 2");
  EXPECT_EQ(escape_markdown("> quoted"), "\\> quoted");
  EXPECT_EQ(escape_markdown("&amp; &#39; <b> </i> <!-- x"), "\\&amp; \\&#39; \\<b> \\</i> \\<!-- x");
  EXPECT_EQ(test::html_entities(escape_markdown("&gt; &#x3c; <script>")), std::vector<std::string>{});
  // The check itself finds an unescaped entity.
  EXPECT_EQ(test::html_entities("N &gt; 1, \\&amp;"), std::vector<std::string>{"&gt;"});
}

TEST(ReportText, DifferencesAreSignedAndCountsWhole) {
  EXPECT_EQ(format_difference(0.05, false), "+0.0500");
  EXPECT_EQ(format_difference(-0.00001, false), "+0.0000");
  EXPECT_EQ(format_difference(-0.25, false), "-0.2500");
  EXPECT_EQ(format_difference(12, true), "+12");
  EXPECT_EQ(format_metric(400, true), "400");
  EXPECT_EQ(format_metric(0.8, false), "0.8000");
}

TEST(ReportContent, GeneratedMarkdownCarriesNoHtmlEntity) {
  TemporaryDirectory run;
  test::RunSpec spec = run_with_examples(true);
  spec.extra_run_config = R"("note": "<script>alert(1)</script> & N > 1")";
  test::write_run(run.path(), spec);
  write_run_report(run.path());
  TemporaryDirectory sweep;
  test::write_study_sweep(sweep.path());
  write_sweep_report(sweep.path());
  for (const auto& file : {run.path() / "report.md", sweep.path() / "report.md"}) {
    const std::string markdown = test::read_text(file);
    EXPECT_EQ(test::html_entities(markdown), std::vector<std::string>{}) << file;
    // Escaped, so it never becomes markup.
    EXPECT_EQ(test::count_of(markdown, "<script>"), test::count_of(markdown, "\\<script>")) << file;
  }
  EXPECT_CONTAINS(test::read_text(sweep.path() / "report.md"), "the largest N > 1 whose metric");
  EXPECT_CONTAINS(test::read_text(run.path() / "report.md"), "\\<script>alert(1)\\</script> & N > 1");
}

TEST(ReportContent, DeclaredCountsAreIntegersAndNeverCharted) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), run_with_examples(true));
  write_run_report(dir.path());
  const std::string markdown = test::read_text(dir.path() / "report.md");
  EXPECT_CONTAINS(markdown, "| examples | 400 | 400 |");
  EXPECT_EQ(markdown.find("400.0"), std::string::npos);
  EXPECT_CONTAINS(markdown, "| accuracy (primary) | 0.8000 | 1.0000 |");
  const auto specs = test::chart_specs(dir.path() / "report.html");
  EXPECT_EQ(charted_metrics(specs), (std::set<std::string>{"accuracy", "loss"}));
  const auto report = read_json_file(dir.path() / "report.json");
  ASSERT_EQ(report["metrics"]["counts"].Size(), 1u);
  EXPECT_STREQ(report["metrics"]["counts"][0].GetString(), "examples");
  EXPECT_TRUE(report["metrics"]["final"]["values"]["examples"].IsInt64());
  EXPECT_EQ(test::schema_violation(to_json_text(report), "run-report.schema.json"), "");
}

TEST(ReportContent, OlderRecordsWithoutKindsFallBackToWholeNumbersAboveOne) {
  TemporaryDirectory dir;
  test::write_run(dir.path(), run_with_examples(false));
  const RunRecords records = read_run_records(dir.path());
  // examples (400, whole, above 1) is a count; accuracy (1.0 once, whole but not above 1) and
  // the loss are scores.
  EXPECT_EQ(records.counts, std::vector<std::string>{"examples"});
  write_run_report(dir.path());
  EXPECT_EQ(charted_metrics(test::chart_specs(dir.path() / "report.html")),
            (std::set<std::string>{"accuracy", "loss"}));
}

TEST(ReportContent, ADeclarationOverridesTheFallback) {
  // Declared: nothing here is a count, although "examples" looks like one.
  TemporaryDirectory dir;
  test::RunSpec spec = run_with_examples(false);
  for (auto& evaluation : spec.evaluations) evaluation.counts = std::vector<std::string>{};
  test::write_run(dir.path(), spec);
  EXPECT_TRUE(read_run_records(dir.path()).counts.empty());
}

TEST(ReportContent, ACountsListNamingNoMetricIsAnError) {
  TemporaryDirectory dir;
  test::RunSpec spec = run_with_examples(true);
  spec.evaluations.back().counts = std::vector<std::string>{"sentences"};
  test::write_run(dir.path(), spec);
  try {
    read_run_records(dir.path());
    FAIL() << "expected an error";
  } catch (const std::exception& error) {
    EXPECT_CONTAINS(std::string(error.what()), "'final_eval.counts[0]' names 'sentences'");
  }
}

TEST(ReportContent, TheLossChartHasOnePointPerStepLine) {
  TemporaryDirectory dir;
  test::RunSpec spec = test::finetune_spec("accuracy", 0.8, 1000, false);
  spec.step_lines = 300;
  test::write_run(dir.path(), spec);
  write_run_report(dir.path());
  const auto specs = test::chart_specs(dir.path() / "report.html");
  const auto& chart = specs["chart-1"];
  ASSERT_TRUE(chart.HasMember("params"));  // the smoothing slider and log-scale toggle
  EXPECT_STREQ(chart["params"][0]["name"].GetString(), "smoothing");
  EXPECT_STREQ(chart["params"][1]["name"].GetString(), "log_scale");
  ASSERT_EQ(chart["concat"].Size(), 1u);  // a panel for task_loss: no retrieval loss here
  const auto& steps = chart["datasets"]["steps"];
  ASSERT_EQ(steps.Size(), 300u);
  for (rapidjson::SizeType i = 0; i < steps.Size(); ++i) {
    EXPECT_STREQ(steps[i]["series"].GetString(), "task_loss");
    EXPECT_EQ(steps[i]["step"].GetInt64(), static_cast<std::int64_t>(i) + 1);
    EXPECT_NEAR(steps[i]["value"].GetDouble(), 0.7 - 0.0005 * (i + 1), 1e-9);
  }
  const auto& means = chart["datasets"]["means"];
  ASSERT_EQ(means.Size(), 3u);  // the three 100-step means, each over its window
  EXPECT_EQ(means[1]["start"].GetInt64(), 101);
  EXPECT_EQ(means[1]["step"].GetInt64(), 200);
}

TEST(ReportContent, Figure2PutsNOnALogScaleWithTheBaselineDashed) {
  TemporaryDirectory dir;
  test::write_study_sweep(dir.path());
  write_sweep_report(dir.path());
  const auto specs = test::chart_specs(dir.path() / "report.html");
  const auto& figure2 = specs["chart-1"];
  const auto& x = figure2["layer"][0]["encoding"]["x"];
  EXPECT_STREQ(x["type"].GetString(), "quantitative");
  EXPECT_STREQ(x["scale"]["type"].GetString(), "log");
  ASSERT_EQ(x["axis"]["values"].Size(), 3u);  // a tick at N = 1, 2, 5
  EXPECT_EQ(x["axis"]["values"][2].GetInt(), 5);
  EXPECT_STREQ(figure2["layer"][1]["mark"]["type"].GetString(), "rule");
  EXPECT_TRUE(figure2["layer"][1]["mark"].HasMember("strokeDash"));
}

}  // namespace
}  // namespace datamux::reports
