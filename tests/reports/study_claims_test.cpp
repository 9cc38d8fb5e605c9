// The study's data file (reports/data/) and its claims checked on constructed results: the
// file validates and bad ones are refused by key; each claim kind holds, does not hold, holds
// where measured and is not measured on numbers built for it, with the 10% boundary exact;
// and a constructed sweep's report carries both sections in report.md and report.json.
#include "datamux/reports/study_claims.h"

#include <gtest/gtest.h>

#include "datamux/core/json_file.h"
#include "datamux/reports/study_reference.h"
#include "datamux/reports/sweep_report.h"
#include "datamux/sdk/error.h"
#include "report_test_support.h"

namespace datamux::reports {
namespace {

const std::filesystem::path kStudyFile = std::filesystem::path(DATAMUX_TEST_SOURCE_DIR) /
                                         "reports" / "data" / "beyond-datamux-table1.json";

// A small study: two backbones, one task, one claim of each kind (the parameters the tests
// below exercise).
std::string study_text(const std::string& claims) {
  return R"({
  "schema_version": 1,
  "citation": {"authors": "A. Author", "title": "A study", "venue": "a report", "source": "Table 1"},
  "backbones": {"tf": {"label": "Transformer", "plugin": "roberta"},
                "rnn": {"label": "RNN", "plugin": "lstm"}},
  "tasks": {"cls": {"label": "CLS", "metric": "accuracy", "data_format": "sst2"}},
  "table1": {"cls": {"tf": {"1": 0.8, "2": 0.79}, "rnn": {"1": 0.7, "2": 0.5}}},
  "claims": [)" +
         claims + R"(]
})";
}

const char* kDropClaim = R"({"id": 1, "kind": "relative_drop", "statement": "s", "source": "x",
  "max_relative_drop": 0.1,
  "checks": [{"backbone": "tf", "task": "cls", "within_up_to": 2, "falls_beyond": true}]})";

StudyReference study_with(const std::string& claims) {
  return parse_study_reference(study_text(claims), "study.json");
}

std::string parse_error(const std::string& text) {
  try {
    parse_study_reference(text, "study.json");
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

OurResults results_for(const std::string& backbone, const std::string& study_backbone,
                       const std::vector<std::pair<std::int64_t, double>>& metrics) {
  OurResults ours;
  ours.backbones.push_back({backbone, study_backbone});
  for (const auto& [n, metric] : metrics)
    ours.cells.push_back({backbone, "cls", n, metric, {}, "complete"});
  return ours;
}

TEST(StudyReference, TheShippedFileValidatesWithTable1AndFiveClaims) {
  const StudyReference study = read_study_reference(kStudyFile);
  EXPECT_EQ(study.table1.size(), 30u);  // 2 tasks x 3 backbones x 5 N
  EXPECT_DOUBLE_EQ(*study.cell("sst2", "roberta", 1), 0.82);
  EXPECT_DOUBLE_EQ(*study.cell("ner", "albert", 5), 0.71695);
  EXPECT_DOUBLE_EQ(*study.cell("ner", "lstm", 10), 0.0);
  EXPECT_EQ(study.num_instances("ner"), (std::vector<std::int64_t>{1, 2, 5, 10, 20}));
  ASSERT_EQ(study.claims.size(), 5u);
  EXPECT_EQ(study.claims[1].checks[1].within_up_to, 10);
  EXPECT_EQ(study.claims[4].kind, ClaimKind::kCriticalRetrievalLoss);
  EXPECT_EQ(study.backbone("lstm")->plugin, "lstm");
  EXPECT_EQ(study.task("ner")->data_format, "conll");
}

TEST(StudyReference, BadFilesAreRefusedByFileAndKey) {
  EXPECT_EQ(parse_error(study_text(kDropClaim)), "");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("schema_version": 1)", R"("schema_version": 2)"},
      {R"("2": 0.79)", R"("2": 1.79)"},
      {R"("2": 0.79)", R"("two": 0.79)"},
      {R"("rnn": {"1": 0.7)", R"("cnn": {"1": 0.7)"},
      {R"("data_format": "sst2")", R"("data_formats": "sst2")"},
  };
  const std::vector<std::string> expected = {
      "study.json: 'schema_version' is 2; this datamux reads 1",
      "study.json: 'table1.cls.tf.2' must be a score from 0 to 1",
      "study.json: 'table1.cls.tf.two' must be a number of instances N from 1 to 64",
      "study.json: 'table1.cls.cnn' is not one of the file's backbones",
      "study.json: 'tasks.cls.data_formats' is not a known key here (known: data_format, label, "
      "metric)",
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::string text = study_text(kDropClaim);
    text.replace(text.find(cases[i].first), cases[i].first.size(), cases[i].second);
    EXPECT_EQ(parse_error(text), expected[i]);
  }
  std::string claim = kDropClaim;
  claim.replace(claim.find(R"("backbone": "tf")"), 16, R"("backbone": "gru")");
  EXPECT_EQ(parse_error(study_text(claim)),
            "study.json: 'claims[0].checks[0].backbone' 'gru' is not one of the file's backbones");
  EXPECT_EQ(
      parse_error(study_text(R"({"id": 1, "kind": "vibes", "statement": "s", "source": "x"})")),
      "study.json: 'claims[0].kind' 'vibes' is not a claim kind (relative_drop, "
      "warmup_retrieval_loss, critical_retrieval_loss)");
  EXPECT_EQ(parse_error(study_text(std::string(kDropClaim) + ", " + kDropClaim)),
            "study.json: 'claims[1].id' 1 is used by an earlier claim");
  EXPECT_EQ(parse_error(study_text(R"({"id": 1, "kind": "relative_drop", "statement": "s",
    "source": "x", "max_relative_drop": 10, "checks": []})")),
            "study.json: 'claims[0].max_relative_drop' must be a fraction between 0 and 1 (0.10 "
            "is 10%)");
  EXPECT_NE(parse_error("{\"schema_version\": 1,"), "");  // syntax: named by parse_json
  EXPECT_THROW(read_study_reference("/nonexistent/study.json"), Error);
}

TEST(StudyClaims, RelativeDropHoldsExactlyAtTheBarAndNotJustBelowIt) {
  const StudyReference study = study_with(kDropClaim);
  // N = 2 at exactly 90% of the baseline is within; N = 5 below it falls, as claimed.
  auto verdicts =
      check_claims(study, results_for("roberta", "tf", {{1, 0.8}, {2, 0.72}, {5, 0.5}}));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].subject, "roberta");
  EXPECT_EQ(verdicts[0].verdict, Verdict::kHolds) << verdicts[0].checks[0].evidence;
  EXPECT_NE(verdicts[0].checks[0].evidence.find("N = 2 0.720 (-10.0%)"), std::string::npos)
      << verdicts[0].checks[0].evidence;
  // Just below the bar at N = 2: does not hold.
  verdicts = check_claims(study, results_for("roberta", "tf", {{1, 0.8}, {2, 0.7199}, {5, 0.5}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kDoesNotHold);
  EXPECT_NE(verdicts[0].checks[0].evidence.find("against the claim"), std::string::npos);
  // Beyond N = 2 it must fall by more than 10%: exactly 10% is within, so against the claim.
  verdicts = check_claims(study, results_for("roberta", "tf", {{1, 0.8}, {2, 0.8}, {5, 0.72}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kDoesNotHold);
}

TEST(StudyClaims, RelativeDropUnmeasuredPartsAreSaid) {
  const StudyReference study = study_with(kDropClaim);
  // No N above 2: the "falls beyond" part is unmeasured.
  auto verdicts = check_claims(study, results_for("roberta", "tf", {{1, 0.8}, {2, 0.79}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kHoldsWhereMeasured);
  EXPECT_NE(verdicts[0].checks[0].evidence.find("no N above 2 measured"), std::string::npos);
  // No baseline, or a baseline of 0: not measured.
  verdicts = check_claims(study, results_for("roberta", "tf", {{2, 0.79}, {5, 0.5}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kNotMeasured);
  verdicts = check_claims(study, results_for("roberta", "tf", {{1, 0.0}, {2, 0.0}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kNotMeasured);
  // No backbone of the sweep stands for the claim's: one not-measured row saying so.
  verdicts = check_claims(study, results_for("lstm", "rnn", {{1, 0.8}, {2, 0.79}}));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kNotMeasured);
  EXPECT_EQ(verdicts[0].checks[0].evidence, "no backbone of this sweep uses the roberta plugin");
  // Two sweep backbones on one plugin: each is judged on its own.
  OurResults two = results_for("roberta", "tf", {{1, 0.8}, {2, 0.79}, {5, 0.5}});
  const OurResults other = results_for("roberta-unmasked", "tf", {{1, 0.8}, {2, 0.6}, {5, 0.5}});
  two.backbones.push_back(other.backbones[0]);
  two.cells.insert(two.cells.end(), other.cells.begin(), other.cells.end());
  verdicts = check_claims(study, two);
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kHolds);
  EXPECT_EQ(verdicts[1].subject, "roberta-unmasked");
  EXPECT_EQ(verdicts[1].verdict, Verdict::kDoesNotHold);
}

TEST(StudyClaims, WithinAtEveryNWhenNoUpperNIsGiven) {
  const StudyReference study = study_with(R"({"id": 1, "kind": "relative_drop", "statement": "s",
    "source": "x", "max_relative_drop": 0.1,
    "checks": [{"backbone": "tf", "task": "cls", "within_up_to": null, "falls_beyond": false}]})");
  EXPECT_EQ(
      check_claims(study, results_for("r", "tf", {{1, 0.8}, {2, 0.75}, {10, 0.73}}))[0].verdict,
      Verdict::kHolds);
  EXPECT_EQ(
      check_claims(study, results_for("r", "tf", {{1, 0.8}, {2, 0.75}, {10, 0.71}}))[0].verdict,
      Verdict::kDoesNotHold);
  EXPECT_EQ(check_claims(study, results_for("r", "tf", {{1, 0.8}}))[0].verdict,
            Verdict::kNotMeasured);
}

OurResults warmups(
    const std::vector<std::tuple<std::string, std::string, std::int64_t, double>>& rows) {
  OurResults ours;
  for (const auto& [name, study_backbone, n, loss] : rows) {
    bool known = false;
    for (const auto& backbone : ours.backbones) known = known || backbone.name == name;
    if (!known) ours.backbones.push_back({name, study_backbone});
    ours.warmups.push_back({name, n, loss});
  }
  return ours;
}

TEST(StudyClaims, WarmupLossRisesWithNAndIsHighestForTheNamedBackbone) {
  const StudyReference study = study_with(
      R"({"id": 4, "kind": "warmup_retrieval_loss", "statement": "s", "source": "x", "highest": "rnn"})");
  auto verdicts = check_claims(study, warmups({{"roberta", "tf", 1, 2.0},
                                               {"roberta", "tf", 5, 4.0},
                                               {"lstm", "rnn", 1, 3.0},
                                               {"lstm", "rnn", 5, 5.0}}));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kHolds);
  // Equal losses at two N do not rise; a transformer above the LSTM at N = 5 breaks "highest".
  verdicts = check_claims(study, warmups({{"roberta", "tf", 1, 2.0},
                                          {"roberta", "tf", 5, 2.0},
                                          {"lstm", "rnn", 1, 3.0},
                                          {"lstm", "rnn", 5, 5.0}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kDoesNotHold);
  EXPECT_EQ(verdicts[0].checks[0].verdict, Verdict::kDoesNotHold);
  verdicts = check_claims(study, warmups({{"roberta", "tf", 1, 2.0},
                                          {"roberta", "tf", 5, 6.0},
                                          {"lstm", "rnn", 1, 3.0},
                                          {"lstm", "rnn", 5, 5.0}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kDoesNotHold);
  EXPECT_EQ(verdicts[0].checks[2].verdict, Verdict::kDoesNotHold);
  // One warm-up each: nothing can rise, nothing to compare at N > 1.
  verdicts = check_claims(study, warmups({{"roberta", "tf", 1, 2.0}, {"lstm", "rnn", 1, 3.0}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kNotMeasured);
}

OurResults curve(const std::string& name, const std::string& study_backbone,
                 const std::vector<std::pair<double, double>>& task_and_retrieval) {
  OurResults ours;
  ours.backbones.push_back({name, study_backbone});
  OurCell cell{name, "cls", 5, 0.7, {}, "complete"};
  std::int64_t step = 100;
  for (const auto& [task, retrieval] : task_and_retrieval) {
    cell.means.push_back({step, 100, 0.9 * task + 0.1 * retrieval, task, retrieval});
    step += 100;
  }
  ours.cells.push_back(cell);
  return ours;
}

TEST(StudyClaims, CriticalRetrievalLossNeedsAPlateauThenAFallAfterTheRetrievalLossDrops) {
  const StudyReference study = study_with(R"({"id": 5, "kind": "critical_retrieval_loss",
    "statement": "s", "source": "x", "backbone": "tf", "task": "cls", "num_instances": 5,
    "study_value": 1.0, "min_plateau_windows": 2})");
  // Flat for two windows while retrieval drops from 3 to 1.5, then the task loss falls at 1.2.
  auto verdicts = check_claims(
      study, curve("albert", "tf", {{0.70, 3.0}, {0.69, 2.0}, {0.69, 1.5}, {0.60, 1.2}}));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kHolds) << verdicts[0].checks[0].evidence;
  EXPECT_NE(verdicts[0].checks[0].evidence.find("critical retrieval loss about 1.200 (the study: "
                                                "about 1.000)"),
            std::string::npos)
      << verdicts[0].checks[0].evidence;
  // Falls at once: no plateau to read a value from.
  verdicts = check_claims(study, curve("albert", "tf", {{0.70, 3.0}, {0.60, 2.0}, {0.50, 1.5}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kNotMeasured);
  // Never falls.
  verdicts = check_claims(study, curve("albert", "tf", {{0.70, 3.0}, {0.70, 2.0}, {0.69, 1.5}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kNotMeasured);
  // Falls after a plateau although the retrieval loss never dropped: against the claim.
  verdicts = check_claims(
      study, curve("albert", "tf", {{0.70, 3.0}, {0.70, 3.1}, {0.70, 3.2}, {0.5, 3.3}}));
  EXPECT_EQ(verdicts[0].verdict, Verdict::kDoesNotHold);
  // Other backbones are reported but do not decide.
  OurResults both = curve("albert", "tf", {{0.70, 3.0}, {0.69, 2.0}, {0.69, 1.5}, {0.60, 1.2}});
  const OurResults lstm = curve("lstm", "rnn", {{0.70, 3.0}, {0.70, 3.1}, {0.70, 3.2}, {0.5, 3.3}});
  both.backbones.push_back(lstm.backbones[0]);
  both.cells.push_back(lstm.cells[0]);
  verdicts = check_claims(study, both);
  EXPECT_EQ(verdicts[0].verdict, Verdict::kHolds);
  ASSERT_EQ(verdicts[0].checks.size(), 2u);
  EXPECT_FALSE(verdicts[0].checks[1].decides);
}

TEST(StudyClaims, CombiningVerdicts) {
  using V = Verdict;
  EXPECT_EQ(combine_verdicts({}), V::kNotMeasured);
  EXPECT_EQ(combine_verdicts({V::kHolds, V::kHolds}), V::kHolds);
  EXPECT_EQ(combine_verdicts({V::kHolds, V::kNotMeasured}), V::kHoldsWhereMeasured);
  EXPECT_EQ(combine_verdicts({V::kHoldsWhereMeasured, V::kHolds}), V::kHoldsWhereMeasured);
  EXPECT_EQ(combine_verdicts({V::kHolds, V::kDoesNotHold, V::kNotMeasured}), V::kDoesNotHold);
  EXPECT_EQ(combine_verdicts({V::kNotMeasured, V::kNotMeasured}), V::kNotMeasured);
}

// A sweep written as the toolkit writes one: each backbone's plugin and each task's data
// format in its runs' config.json, so the report can match them to the study's.
void write_claims_sweep(const std::filesystem::path& dir) {
  struct Cell {
    std::string backbone, plugin, task;
    std::int64_t n;
    double value;
  };
  const std::vector<Cell> cells = {
      {"roberta", "roberta", "sst2", 1, 0.80},  {"roberta", "roberta", "sst2", 2, 0.72},
      {"roberta", "roberta", "ner", 1, 0.60},   {"roberta", "roberta", "ner", 2, 0.50},
      {"lstm", "lstm", "warmup", 1, 3.0},       {"lstm", "lstm", "warmup", 2, 4.0},
      {"roberta", "roberta", "warmup", 1, 2.0}, {"roberta", "roberta", "warmup", 2, 3.0},
  };
  std::string entries;
  for (const auto& cell : cells) {
    const std::string id = cell.backbone + "/n" + std::to_string(cell.n) + "/" + cell.task;
    const bool warmup = cell.task == "warmup";
    test::RunSpec spec = warmup ? test::warmup_spec(cell.value)
                                : test::finetune_spec(cell.task == "ner" ? "f1" : "accuracy",
                                                      cell.value, 100, cell.n > 1);
    spec.backbone_plugin = cell.plugin;
    spec.extra_config_sections = std::string(R"("data": {"format": ")") +
                                 (warmup               ? "text"
                                  : cell.task == "ner" ? "conll"
                                                       : "sst2") +
                                 "\"}";
    test::write_run(dir / id, spec);
    entries += std::string(entries.empty() ? "" : ",\n") + R"({"id": ")" + id + R"(", "dir": ")" +
               id + R"(", "backbone": ")" + cell.backbone + R"(", "num_instances": )" +
               std::to_string(cell.n) + R"(, "task": ")" + cell.task + R"(", "role": ")" +
               (warmup ? "warmup" : "finetune") + R"(", "status": "complete"})";
  }
  entries += R"(, {"id": "lstm/n1/sst2", "dir": "lstm/n1/sst2", "backbone": "lstm",
    "num_instances": 1, "task": "sst2", "role": "finetune", "status": "pending"},
    {"id": "albert/n1/warmup", "dir": "albert/n1/warmup", "backbone": "albert",
    "num_instances": 1, "task": "warmup", "role": "warmup", "status": "pending"},
    {"id": "albert/n1/ner", "dir": "albert/n1/ner", "backbone": "albert",
    "num_instances": 1, "task": "ner", "role": "finetune", "status": "pending"})";
  test::write_text(dir / "sweep.json", R"({"schema_version": 1, "name": "claims",
    "config_source": "/configs/sweep.json", "status": "running", "backbones": ["roberta", "lstm", "albert"],
    "num_instances": [1, 2], "tasks": [{"name": "sst2", "primary_metric": "accuracy"},
    {"name": "ner", "primary_metric": "f1"}], "runs": [)" +
                                           entries + "]}");
}

TEST(StudySweepReport, PlacesOurCellsBesideTable1AndChecksTheClaims) {
  TemporaryDirectory dir;
  write_claims_sweep(dir.path());
  SweepReportOptions options;
  options.study_file = kStudyFile;
  write_sweep_report(dir.path(), options);
  const std::string markdown = test::read_text(dir.path() / "report.md");
  const std::string json_text = test::read_text(dir.path() / "report.json");
  EXPECT_EQ(test::schema_violation(json_text, "sweep-report.schema.json"), "");
  EXPECT_CONTAINS(markdown, "## Beside the study's Table 1");
  EXPECT_CONTAINS(markdown,
                  "| task | N | roberta (ours) | RoBERTa (study) | lstm (ours) | LSTM "
                  "(study) | albert (ours) | ALBERT (study) |");
  // ALBERT has not started a run: it is matched by its name, its cells are "not run".
  EXPECT_CONTAINS(markdown,
                  "| SST-2 | 1 | 0.800 | 0.8200 | not run | 0.7928 | not in sweep | 0.8085 |");
  EXPECT_CONTAINS(markdown,
                  "| NER | 1 | 0.600 | 0.6732 | not in sweep | 0.4806 | not run | 0.6801 |");
  EXPECT_CONTAINS(
      markdown,
      "| SST-2 | 20 | not in sweep | 0.7844 | not in sweep | 0.4875 | not in sweep | 0.5391 |");
  EXPECT_CONTAINS(markdown, "## The study's claims");
  // Claim 1 on RoBERTa: SST-2 N = 2 exactly at the bar holds, NER N = 2 falls 16.7%.
  EXPECT_CONTAINS(markdown, "| roberta | does not hold |");
  EXPECT_CONTAINS(markdown, "N = 2 0.720 (-10.0%)");
  EXPECT_CONTAINS(markdown, "N = 2 0.500 (-16.7%, against the claim)");
  const rapidjson::Document json = parse_json(json_text, "report.json");
  const auto& claims = json["study"]["claims"];
  ASSERT_TRUE(claims.IsArray());
  std::map<std::string, std::string> verdicts;
  for (const auto& claim : claims.GetArray())
    verdicts[std::to_string(claim["id"].GetInt()) + "/" + claim["subject"].GetString()] =
        claim["verdict"].GetString();
  EXPECT_EQ(verdicts["1/roberta"], "does not hold");
  EXPECT_EQ(verdicts["2/albert"], "not measured");  // its runs have not started
  EXPECT_EQ(verdicts["3/lstm"], "not measured");    // its finetunings have not run
  // 2 -> 3 and 3 -> 4, the LSTM's the highest; ALBERT has no warm-up yet.
  EXPECT_EQ(verdicts["4/all backbones"], "holds where measured");
  // report.html carries the same tables.
  EXPECT_CONTAINS(test::read_text(dir.path() / "report.html"), "The study&#39;s claims");
}

TEST(StudySweepReport, AMissingStudyFileIsOneError) {
  TemporaryDirectory dir;
  write_claims_sweep(dir.path());
  SweepReportOptions options;
  options.study_file = dir.path() / "none.json";
  try {
    write_sweep_report(dir.path(), options);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              (dir.path() / "none.json").string() + ": study data file not found");
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "report.md"));
}

}  // namespace
}  // namespace datamux::reports
