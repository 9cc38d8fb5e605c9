#pragma once
// A published study's results as data (reports/data/*.json): its citation, its Table 1 cells
// by task, backbone and N, and the claims a sweep report checks, each with its parameters.
// Reading validates the whole file: every problem is one datamux::Error line naming the file
// and the key at fault.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace datamux::reports {

inline constexpr std::int64_t kStudyReferenceSchemaVersion = 1;

struct StudyCitation {
  std::string authors, title, venue, code, source;
};

// A backbone of the study and the plugin that implements it here.
struct StudyBackbone {
  std::string key, label, plugin;
};

// A task of the study, the metric its Table 1 reports and the data format of its files here.
struct StudyTask {
  std::string key, label, metric, data_format;
};

struct StudyCell {
  std::string task, backbone;
  std::int64_t num_instances = 0;
  double value = 0;
};

// One backbone and task of a "relative_drop" claim: every N > 1 up to `within_up_to` (absent:
// every N measured) stays within the claim's drop of N = 1; with `falls_beyond`, every N
// above it drops by more.
struct RelativeDropCheck {
  std::string backbone, task;
  std::optional<std::int64_t> within_up_to;
  bool falls_beyond = false;
};

enum class ClaimKind { kRelativeDrop, kWarmupRetrievalLoss, kCriticalRetrievalLoss };

struct StudyClaim {
  std::int64_t id = 0;
  ClaimKind kind = ClaimKind::kRelativeDrop;
  std::string statement, source;
  // relative_drop
  double max_relative_drop = 0.10;
  std::vector<RelativeDropCheck> checks;
  // warmup_retrieval_loss: the backbone whose warm-up loss is the highest at every N > 1
  std::string highest;
  // critical_retrieval_loss: the run the study measured it on, its value, and how many
  // 100-step windows the task loss must stay flat for a plateau to count
  std::string backbone, task;
  std::int64_t num_instances = 0;
  double study_value = 0;
  std::int64_t min_plateau_windows = 1;
};

struct StudyReference {
  std::string file;  // where it was read from, for messages and the report
  StudyCitation citation;
  std::vector<StudyBackbone> backbones;
  std::vector<StudyTask> tasks;
  std::vector<StudyCell> table1;  // file order: task, backbone, N
  std::vector<StudyClaim> claims;

  const StudyBackbone* backbone(const std::string& key) const;
  const StudyTask* task(const std::string& key) const;
  std::optional<double> cell(const std::string& task, const std::string& backbone,
                             std::int64_t num_instances) const;
  // The N of Table 1 for `task`, ascending.
  std::vector<std::int64_t> num_instances(const std::string& task) const;
};

// `source` names the text in errors (a file path).
StudyReference parse_study_reference(const std::string& json_text, const std::string& source);
StudyReference read_study_reference(const std::filesystem::path& file);

// The "Beyond DataMUX" study file installed beside the library (share/datamux/studies/).
std::filesystem::path default_study_reference_file();

}  // namespace datamux::reports
