#pragma once
// A sweep's cells beside a study's Table 1, and the study's claims checked on them: each
// claim holds, does not hold, holds where measured (some of it could not be measured) or is
// not measured, with the numbers that decide it. The claims and their parameters come from
// the study's data file (study_reference.h); nothing here knows a study's numbers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datamux/reports/run_records.h"
#include "datamux/reports/study_reference.h"
#include "datamux/reports/sweep_tables.h"

namespace datamux::reports {

enum class Verdict { kHolds, kDoesNotHold, kHoldsWhereMeasured, kNotMeasured };
// "holds", "does not hold", "holds where measured", "not measured".
std::string verdict_text(Verdict verdict);

// A sweep backbone and the study backbone it stands for (by plugin; "" none).
struct OurBackbone {
  std::string name;
  std::string study_backbone;
};

// One finetuning run of the sweep, keyed by the study task its data format is ("" none).
struct OurCell {
  std::string backbone;  // the sweep's name
  std::string study_task;
  std::int64_t num_instances = 0;
  std::optional<double> metric;
  std::vector<LossMean> means;  // its 100-step loss curve
  std::string status;           // the run's status in sweep.json
};

struct OurWarmup {
  std::string backbone;
  std::int64_t num_instances = 0;
  std::optional<double> retrieval_loss;
};

struct OurResults {
  std::vector<OurBackbone> backbones;  // sweep order
  std::vector<OurCell> cells;
  std::vector<OurWarmup> warmups;
};

// What a sweep measured, in the study's terms: each backbone's plugin and each task's data
// format come from its runs' config.json; one without any started run matches the study's
// backbone or task of the same name.
OurResults our_results(const SweepRecords& records, const SweepTables& tables,
                       const StudyReference& study);

// One part of a claim for one subject (a sweep backbone), with the numbers behind it.
struct CheckResult {
  std::string subject;
  Verdict verdict = Verdict::kNotMeasured;
  std::string evidence;
  // Whether the claim's verdict depends on it (claim 5 also reports other backbones).
  bool decides = true;
};

struct ClaimResult {
  const StudyClaim* claim = nullptr;
  std::string subject;  // the sweep backbone, or "all backbones"
  Verdict verdict = Verdict::kNotMeasured;
  std::vector<CheckResult> checks;
};

// Every claim of `study` on `ours`: relative-drop claims once per sweep backbone that stands
// for the claim's backbone (or once, not measured, when none does); the others once.
std::vector<ClaimResult> check_claims(const StudyReference& study, const OurResults& ours);

// The verdicts of several parts as one: any part that does not hold decides; all holding
// holds; none measured is not measured; some holding and the rest unmeasured holds where
// measured.
Verdict combine_verdicts(const std::vector<Verdict>& verdicts);

}  // namespace datamux::reports
