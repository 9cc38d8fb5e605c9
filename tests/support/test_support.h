#pragma once
// Shared helpers for the test suite: paths of what the build produced, scratch directories,
// and a model assembled from an inline config through the real plugins.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "datamux/core/model_builder.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/resolved_config.h"
#include "datamux/core/temporary_directory.h"

// `haystack` may be a std::string or a C string (an exception's what()).
#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

namespace datamux::test {

std::filesystem::path fixture_dir(const std::string& name);  // one broken plugin per directory
std::filesystem::path datamux_binary();

// A fresh empty directory under the system temp dir, removed when the object dies (the
// core's TemporaryDirectory), with a shorthand to write a file into it.
class ScratchDir : public TemporaryDirectory {
 public:
  std::filesystem::path write(const std::string& name, const std::string& content) const;
};

// One model of the method: which components, how many instances, which seed and device.
struct ModelChoice {
  std::string backbone = "roberta";  // its "<backbone>-tiny" preset is used
  std::string multiplexer = "gaussian_hadamard";
  std::string demultiplexer = "index";
  std::int64_t n = 2;
  std::int64_t seed = 3;
  std::string device = "cpu";
};

// A config for `choice` on the toy task, with the retrieval objective as its auxiliary (unless
// the task is retrieval); `extra` holds more sections (e.g. R"("train": {"steps": 5})"),
// merged key by key into the config's own (its values win).
std::string model_config(const ModelChoice& choice, const std::string& extra = "");

// model_config for the tiny RoBERTa preset with `n` instances.
std::string tiny_config(std::int64_t n, const std::string& extra = "");

bool cuda_available();

struct BuiltModel {
  std::unique_ptr<PluginHost> plugins;
  ResolvedConfig config;
  std::shared_ptr<MuxModel> model;
};

// Resolves `config_json` against the built plugins and assembles the model for a vocabulary
// of `vocab_size` ids and `num_labels` labels.
BuiltModel build_from_config(const std::string& config_json, std::int64_t vocab_size = 100,
                             std::int64_t num_labels = 2);

// The first id after the special ids and the index demultiplexer's 66 reserved tokens: the
// random inputs below stay clear of every bundled demultiplexer's reserved ids.
constexpr std::int64_t kFirstOrdinaryId = 70;

// Random batch of `groups` x `n` instances of length `length` with some right padding.
Batch random_batch(std::int64_t groups, std::int64_t n, std::int64_t length,
                   std::int64_t vocab_size, std::int64_t num_labels, std::uint64_t seed);

struct CommandResult {
  int exit_code;
  std::string out;  // stdout and stderr together
};
// Runs the datamux binary with `arguments` (shell-quoted by the caller where needed).
CommandResult run_datamux(const std::string& arguments);
// The same, with `directory` as the working directory (for configs with relative data paths).
CommandResult run_datamux_in(const std::filesystem::path& directory, const std::string& arguments);

// A datamux process in the background, its stdout and stderr going to `log`: for tests that
// signal or kill it. `environment` ("NAME=value") is added to this process's. The destructor
// kills it if it still runs.
class BackgroundDatamux {
 public:
  BackgroundDatamux(const std::vector<std::string>& arguments, const std::filesystem::path& log,
                    const std::vector<std::string>& environment = {});
  ~BackgroundDatamux();
  BackgroundDatamux(const BackgroundDatamux&) = delete;
  BackgroundDatamux& operator=(const BackgroundDatamux&) = delete;

  void send(int signal);
  int pid() const { return pid_; }
  // The exit code, or 128 + the signal that ended it (as a shell reports it).
  int wait();

 private:
  int pid_ = -1;
};

// Polls `condition` every few milliseconds until it holds (true) or `seconds` pass (false).
bool wait_until(const std::function<bool()>& condition, double seconds);

// The metrics `datamux eval` or `datamux score` printed, one "name value" a line.
std::map<std::string, double> printed_metrics(const std::string& text);

// What `action` threw (its what()), or "" when it threw nothing.
std::string error_of(const std::function<void()>& action);

// A file's whole content; empty when it cannot be read.
std::string read_text(const std::filesystem::path& file);
std::vector<std::string> read_lines(const std::filesystem::path& file);

// Every step's losses and every evaluation's metrics in a run's metrics.jsonl, one text line
// each: what an interrupted and resumed run must reproduce exactly.
std::vector<std::string> loss_trace(const std::filesystem::path& run);

// The repository's source tree (configs/, docs/).
std::filesystem::path source_dir();

}  // namespace datamux::test
