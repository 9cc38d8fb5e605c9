#include "datamux/reports/study_claims.h"

#include <algorithm>
#include <map>

#include "datamux/reports/analysis.h"
#include "datamux/reports/text_format.h"

namespace datamux::reports {
namespace {

constexpr int kClaimDecimals = 3;

std::string number(double value) { return format_fixed(value, kClaimDecimals); }

std::string signed_percent(double fraction) {
  return (fraction >= 0 ? "+" : "") + format_fixed(fraction * 100, 1) + "%";
}

std::string config_string(const RunRecords& records, const char* section, const char* key) {
  const auto& config = records.config;
  if (!config.IsObject() || !config.HasMember(section) || !config[section].IsObject()) return "";
  const auto& object = config[section];
  if (!object.HasMember(key) || !object[key].IsString()) return "";
  return object[key].GetString();
}

// The metric of each N for one sweep backbone and study task, N ascending.
std::map<std::int64_t, double> metrics_by_n(const OurResults& ours, const std::string& backbone,
                                            const std::string& task) {
  std::map<std::int64_t, double> by_n;
  for (const auto& cell : ours.cells)
    if (cell.backbone == backbone && cell.study_task == task && cell.metric)
      by_n[cell.num_instances] = *cell.metric;
  return by_n;
}

std::vector<std::string> standing_for(const OurResults& ours, const std::string& study_backbone) {
  std::vector<std::string> names;
  for (const auto& backbone : ours.backbones)
    if (backbone.study_backbone == study_backbone) names.push_back(backbone.name);
  return names;
}

CheckResult check_relative_drop(const StudyReference& study, const StudyClaim& claim,
                                const RelativeDropCheck& check, const std::string& backbone,
                                const OurResults& ours) {
  CheckResult result;
  result.subject = backbone;
  const StudyTask* task = study.task(check.task);
  const std::string label = task ? task->label : check.task;
  const auto by_n = metrics_by_n(ours, backbone, check.task);
  const auto baseline = by_n.find(1);
  if (baseline == by_n.end() || baseline->second <= 0) {
    result.evidence = label + ": " +
                      (baseline == by_n.end() ? std::string("no N = 1 baseline measured")
                                              : "the N = 1 baseline is 0, which sets no bar");
    return result;
  }
  const bool want_within = !check.within_up_to || *check.within_up_to > 1;
  bool within_measured = false, beyond_measured = false, failed = false;
  std::string numbers;
  for (const auto& [n, metric] : by_n) {
    if (n == 1) continue;
    const bool inside = !check.within_up_to || n <= *check.within_up_to;
    if (!inside && !check.falls_beyond) continue;
    const bool within = within_relative_drop(metric, baseline->second, claim.max_relative_drop);
    (inside ? within_measured : beyond_measured) = true;
    const bool as_claimed = inside ? within : !within;
    failed = failed || !as_claimed;
    numbers += ", N = " + std::to_string(n) + " " + number(metric) + " (" +
               signed_percent(metric / baseline->second - 1) +
               (as_claimed ? "" : ", against the claim") + ")";
  }
  std::string expectation;
  if (want_within)
    expectation = "within " + format_fixed(claim.max_relative_drop * 100, 0) + "% " +
                  (check.within_up_to ? "up to N = " + std::to_string(*check.within_up_to)
                                      : std::string("at every N"));
  if (check.falls_beyond)
    expectation += (expectation.empty() ? "" : ", ") + std::string("more than ") +
                   format_fixed(claim.max_relative_drop * 100, 0) +
                   "% below beyond N = " + std::to_string(*check.within_up_to);
  result.evidence =
      label + " (claimed: " + expectation + "): N = 1 " + number(baseline->second) + numbers;
  std::vector<Verdict> parts;
  if (want_within) parts.push_back(within_measured ? Verdict::kHolds : Verdict::kNotMeasured);
  if (check.falls_beyond)
    parts.push_back(beyond_measured ? Verdict::kHolds : Verdict::kNotMeasured);
  result.verdict = failed ? Verdict::kDoesNotHold : combine_verdicts(parts);
  if (want_within && !within_measured) result.evidence += "; no N inside the range measured";
  if (check.falls_beyond && !beyond_measured)
    result.evidence += "; no N above " + std::to_string(*check.within_up_to) + " measured";
  return result;
}

std::vector<ClaimResult> relative_drop_results(const StudyReference& study, const StudyClaim& claim,
                                               const OurResults& ours) {
  // The claim's checks share a backbone in the study's wording; group them by the sweep
  // backbones standing for each.
  std::vector<ClaimResult> results;
  std::vector<std::string> seen;
  for (const auto& check : claim.checks) {
    if (std::find(seen.begin(), seen.end(), check.backbone) != seen.end()) continue;
    seen.push_back(check.backbone);
    const auto names = standing_for(ours, check.backbone);
    if (names.empty()) {
      const StudyBackbone* backbone = study.backbone(check.backbone);
      ClaimResult missing{&claim, "—", Verdict::kNotMeasured, {}};
      missing.checks.push_back({"—", Verdict::kNotMeasured,
                                "no backbone of this sweep uses the " +
                                    (backbone ? backbone->plugin : check.backbone) + " plugin"});
      results.push_back(std::move(missing));
      continue;
    }
    for (const auto& name : names) {
      ClaimResult result{&claim, name, Verdict::kNotMeasured, {}};
      std::vector<Verdict> verdicts;
      for (const auto& part : claim.checks) {
        if (part.backbone != check.backbone) continue;
        result.checks.push_back(check_relative_drop(study, claim, part, name, ours));
        verdicts.push_back(result.checks.back().verdict);
      }
      result.verdict = combine_verdicts(verdicts);
      results.push_back(std::move(result));
    }
  }
  return results;
}

ClaimResult warmup_result(const StudyClaim& claim, const OurResults& ours) {
  ClaimResult result{&claim, "all backbones", Verdict::kNotMeasured, {}};
  std::map<std::string, std::map<std::int64_t, double>> losses;
  for (const auto& warmup : ours.warmups)
    if (warmup.retrieval_loss)
      losses[warmup.backbone][warmup.num_instances] = *warmup.retrieval_loss;
  // Rises with N: strictly, between consecutive measured N.
  for (const auto& backbone : ours.backbones) {
    CheckResult check{backbone.name, Verdict::kNotMeasured, "", true};
    const auto found = losses.find(backbone.name);
    if (found == losses.end() || found->second.size() < 2) {
      check.evidence = "rises with N: fewer than two warm-ups measured";
      result.checks.push_back(check);
      continue;
    }
    bool rises = true;
    std::string numbers;
    std::optional<double> previous;
    for (const auto& [n, loss] : found->second) {
      if (previous && loss <= *previous) rises = false;
      numbers += (numbers.empty() ? "" : ", ") + std::string("N = ") + std::to_string(n) + " " +
                 number(loss);
      previous = loss;
    }
    check.verdict = rises ? Verdict::kHolds : Verdict::kDoesNotHold;
    check.evidence =
        std::string("rises with N") + (rises ? "" : " (it does not everywhere)") + ": " + numbers;
    result.checks.push_back(check);
  }
  // Highest for the named backbone at every N > 1 where it and another backbone were measured.
  const auto highest = standing_for(ours, claim.highest);
  if (highest.empty())
    result.checks.push_back(
        {"—", Verdict::kNotMeasured,
         "highest for " + claim.highest + ": no backbone of this sweep stands for it"});
  for (const auto& name : highest) {
    CheckResult check{name, Verdict::kNotMeasured, "", true};
    bool measured = false, highest_everywhere = true;
    std::string numbers;
    for (const auto& [n, loss] : losses[name]) {
      if (n <= 1) continue;
      std::optional<double> others_max;
      std::string others;
      for (const auto& backbone : ours.backbones) {
        if (backbone.study_backbone == claim.highest) continue;
        const auto other = losses[backbone.name].find(n);
        if (other == losses[backbone.name].end()) continue;
        others_max = std::max(others_max.value_or(other->second), other->second);
        others += ", " + backbone.name + " " + number(other->second);
      }
      if (!others_max) continue;
      measured = true;
      if (loss <= *others_max) highest_everywhere = false;
      numbers += std::string(numbers.empty() ? "" : "; ") + "N = " + std::to_string(n) + ": " +
                 number(loss) + others;
    }
    check.verdict = !measured            ? Verdict::kNotMeasured
                    : highest_everywhere ? Verdict::kHolds
                                         : Verdict::kDoesNotHold;
    check.evidence = "the highest at every N > 1: " +
                     (measured ? numbers : std::string("no N > 1 with another backbone measured"));
    result.checks.push_back(check);
  }
  std::vector<Verdict> verdicts;
  for (const auto& check : result.checks) verdicts.push_back(check.verdict);
  result.verdict = combine_verdicts(verdicts);
  return result;
}

CheckResult critical_check(const StudyClaim& claim, const OurCell* cell, const std::string& name) {
  CheckResult check{name, Verdict::kNotMeasured, "", true};
  if (!cell || cell->means.empty()) {
    check.evidence = "no loss curve recorded";
    return check;
  }
  const auto critical = find_critical_retrieval_loss(cell->means);
  if (!critical) {
    check.evidence = "no retrieval loss in the loss curve";
    return check;
  }
  const auto& first = cell->means.front();
  if (!critical->step) {
    check.evidence = "the task loss never fell by " + format_fixed(kTaskLossFallFraction * 100, 0) +
                     "% (first window " + number(critical->reference_task_loss) +
                     "; retrieval loss " + number(*first.retrieval_loss) + " to " +
                     number(cell->means.back().retrieval_loss.value_or(0)) + ")";
    return check;
  }
  std::size_t window = 0;
  while (window < cell->means.size() && cell->means[window].step != *critical->step) ++window;
  const std::string where = "the task loss fell at step " + std::to_string(*critical->step) +
                            " (window " + std::to_string(window) +
                            " after the first) at retrieval loss " +
                            number(*critical->retrieval_loss) + ", from " +
                            number(*first.retrieval_loss) + " in the first window";
  if (static_cast<std::int64_t>(window) < claim.min_plateau_windows) {
    check.evidence = where + ": no plateau of " + std::to_string(claim.min_plateau_windows) +
                     " windows, so no critical value can be read";
    return check;
  }
  const bool dropped = *critical->retrieval_loss < *first.retrieval_loss;
  check.verdict = dropped ? Verdict::kHolds : Verdict::kDoesNotHold;
  check.evidence =
      where + (dropped ? ": critical retrieval loss about " + number(*critical->retrieval_loss) +
                             " (the study: about " + number(claim.study_value) + ")"
                       : ": the retrieval loss had not dropped");
  return check;
}

ClaimResult critical_result(const StudyReference& study, const StudyClaim& claim,
                            const OurResults& ours) {
  const StudyTask* task = study.task(claim.task);
  ClaimResult result{
      &claim,
      (task ? task->label : claim.task) + ", N = " + std::to_string(claim.num_instances),
      Verdict::kNotMeasured,
      {}};
  std::vector<Verdict> deciding;
  for (const auto& backbone : ours.backbones) {
    const OurCell* cell = nullptr;
    for (const auto& candidate : ours.cells)
      if (candidate.backbone == backbone.name && candidate.study_task == claim.task &&
          candidate.num_instances == claim.num_instances)
        cell = &candidate;
    CheckResult check = critical_check(claim, cell, backbone.name);
    check.decides = backbone.study_backbone == claim.backbone;
    if (check.decides) deciding.push_back(check.verdict);
    result.checks.push_back(std::move(check));
  }
  if (deciding.empty())
    result.checks.push_back({"—", Verdict::kNotMeasured,
                             "no backbone of this sweep stands for " + claim.backbone, true});
  result.verdict = combine_verdicts(deciding);
  return result;
}

}  // namespace

std::string verdict_text(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHolds:
      return "holds";
    case Verdict::kDoesNotHold:
      return "does not hold";
    case Verdict::kHoldsWhereMeasured:
      return "holds where measured";
    case Verdict::kNotMeasured:
      return "not measured";
  }
  return "not measured";
}

Verdict combine_verdicts(const std::vector<Verdict>& verdicts) {
  bool any_holds = false, any_unmeasured = false;
  for (const auto verdict : verdicts) {
    if (verdict == Verdict::kDoesNotHold) return Verdict::kDoesNotHold;
    any_holds = any_holds || verdict == Verdict::kHolds || verdict == Verdict::kHoldsWhereMeasured;
    any_unmeasured = any_unmeasured || verdict == Verdict::kNotMeasured ||
                     verdict == Verdict::kHoldsWhereMeasured;
  }
  if (!any_holds) return Verdict::kNotMeasured;
  return any_unmeasured ? Verdict::kHoldsWhereMeasured : Verdict::kHolds;
}

OurResults our_results(const SweepRecords& records, const SweepTables& tables,
                       const StudyReference& study) {
  OurResults ours;
  // A sweep backbone's plugin and a task's data format, from the first run that has records.
  std::map<std::string, std::string> plugin_of, format_of;
  for (const auto& run : records.runs) {
    if (!run.records) continue;
    auto& plugin = plugin_of[run.entry.backbone];
    if (plugin.empty()) plugin = config_string(*run.records, "backbone", "plugin");
    if (run.entry.role != "finetune") continue;
    auto& format = format_of[run.entry.task];
    if (format.empty()) format = config_string(*run.records, "data", "format");
  }
  // Until one of its runs has started, a backbone or task is matched by its name alone.
  for (const auto& name : tables.grid.backbones) {
    OurBackbone backbone{name, ""};
    for (const auto& candidate : study.backbones)
      if (plugin_of[name].empty() ? candidate.key == name : candidate.plugin == plugin_of[name])
        backbone.study_backbone = candidate.key;
    ours.backbones.push_back(backbone);
  }
  for (const auto& result : tables.finetunes) {
    OurCell cell;
    cell.backbone = result.backbone;
    const std::string& format = format_of[result.task];
    for (const auto& task : study.tasks)
      if (format.empty() ? task.key == result.task : task.data_format == format)
        cell.study_task = task.key;
    cell.num_instances = result.num_instances;
    cell.metric = result.metric;
    if (result.run->records) cell.means = result.run->records->metrics.means;
    cell.status = result.run->entry.status;
    ours.cells.push_back(std::move(cell));
  }
  for (const auto& warmup : tables.warmups)
    ours.warmups.push_back({warmup.backbone, warmup.num_instances, warmup.retrieval_loss});
  return ours;
}

std::vector<ClaimResult> check_claims(const StudyReference& study, const OurResults& ours) {
  std::vector<ClaimResult> results;
  for (const auto& claim : study.claims) {
    switch (claim.kind) {
      case ClaimKind::kRelativeDrop: {
        auto drop = relative_drop_results(study, claim, ours);
        results.insert(results.end(), drop.begin(), drop.end());
        break;
      }
      case ClaimKind::kWarmupRetrievalLoss:
        results.push_back(warmup_result(claim, ours));
        break;
      case ClaimKind::kCriticalRetrievalLoss:
        results.push_back(critical_result(study, claim, ours));
        break;
    }
  }
  return results;
}

}  // namespace datamux::reports
