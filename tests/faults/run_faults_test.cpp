// The run lifecycle under faults (docs/reliability.md, "Runs, writes and recovery"): a full
// disk at every kind of write, a damaged newest checkpoint, a failed resume, a second process
// on the same run, SIGHUP, and data or config changed under a resumed run.
//
// A full disk is made two ways: DATAMUX_INJECT_ENOSPC (core/durable_file.h) fails one chosen
// write in the datamux process, on any machine; where the test runs as root and may mount, a
// real tmpfs too small for the next checkpoint fills up for real.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "datamux/core/demo_data.h"
#include "datamux/core/durable_file.h"
#include "datamux/core/json_file.h"
#include "datamux/core/run_directory.h"
#include "datamux/core/run_lock.h"
#include "datamux/core/sha256.h"
#include "datamux/core/training_checkpoint.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// Sets an environment variable for the datamux processes a test starts.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() { ::unsetenv(name_); }

 private:
  const char* name_;
};

// A failure is one line, the last of the output (progress lines may come before it), with no
// stack trace anywhere.
void expect_one_line_failure(const std::string& out, const std::string& expected) {
  EXPECT_EQ(out.find("frame #"), std::string::npos) << out;
  EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
  std::size_t errors = 0;
  for (std::size_t at = out.find("datamux: error:"); at != std::string::npos;
       at = out.find("datamux: error:", at + 1))
    ++errors;
  EXPECT_EQ(errors, 1u) << out;
  std::string text = out;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::string last = text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  EXPECT_EQ(last.rfind("datamux: error: ", 0), 0u) << out;
  EXPECT_CONTAINS(last, expected);
}

rapidjson::Document record_of(const std::filesystem::path& run) { return read_json_file(run / "run.json"); }
std::string status_of(const std::filesystem::path& run) { return record_of(run)["status"].GetString(); }

// What a write cut short leaves behind, anywhere under `dir`.
std::vector<std::string> temporaries(const std::filesystem::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (is_temporary_file(entry.path())) found.push_back(entry.path().string());
  return found;
}

// run.json as a killed run leaves it: everything it had, but still "running".
void mark_unfinished(const std::filesystem::path& run) {
  auto record = record_of(run);
  record["status"].SetString("running");
  write_file_atomically(run / "run.json", to_json_text(record));
}

void truncate_file(const std::filesystem::path& file) {
  const std::string bytes = test::read_text(file);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 3);
}

// A record never contradicts itself: no evaluation from beyond the step it says it reached.
void expect_consistent(const std::filesystem::path& run) {
  const auto record = record_of(run);
  const std::int64_t steps_done = record["steps_done"].GetInt64();
  for (const char* key : {"final_eval", "best_eval"})
    if (record.HasMember(key)) EXPECT_LE(record[key]["step"].GetInt64(), steps_done) << key;
}

// Six steps of tiny RoBERTa on the toy task, a checkpoint every two (all kept), an
// evaluation every two: each kind of write happens more than once.
const char* kSections = R"(
    "data": {"train_examples": 120, "eval_examples": 16},
    "train": {"steps": 6, "batch_size": 4, "learning_rate": 0.002, "checkpoint_every": 2,
              "keep_checkpoints": 3, "eval_every": 2, "throughput_repeats": 0})";

struct FaultRun {
  explicit FaultRun(const std::string& sections = kSections)
      : config(dir.write("exp.json", test::tiny_config(2, sections))) {}
  test::CommandResult train(const std::filesystem::path& out, const std::string& extra = "") const {
    return test::run_datamux("train --config " + config.string() + " --out " + out.string() + extra);
  }
  test::CommandResult resume(const std::filesystem::path& out, const std::string& extra = "") const {
    return test::run_datamux("train --resume --out " + out.string() + extra);
  }
  // The same run, never disturbed: what every recovered run must reproduce.
  const std::filesystem::path& straight() {
    if (straight_.empty()) {
      straight_ = dir.path() / "straight";
      const auto result = train(straight_);
      EXPECT_EQ(result.exit_code, 0) << result.out;
    }
    return straight_;
  }

  test::ScratchDir dir;
  std::filesystem::path run = dir.path() / "run";
  std::filesystem::path config;

 private:
  std::filesystem::path straight_;
};

// The one-line failure a full disk at `file` must give, and the record it must leave.
void expect_disk_full_failure(const test::CommandResult& result, const std::filesystem::path& run,
                              const std::string& file) {
  EXPECT_EQ(result.exit_code, 1) << result.out;
  expect_one_line_failure(result.out, file + ": cannot write: No space left on device");
  EXPECT_EQ(status_of(run), "failed");
  EXPECT_CONTAINS(record_of(run)["error"].GetString(), "No space left on device");
  EXPECT_EQ(temporaries(run), std::vector<std::string>{});
  expect_consistent(run);
}

TEST(RunFaults, DiskFullAtACheckpointKeepsThePreviousOneAndResumes) {
  FaultRun toy;
  const auto step4 = toy.run / "checkpoints" / "step-4.pt";
  {
    ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", "step-4.pt");
    expect_disk_full_failure(toy.train(toy.run), toy.run, step4.string());
  }
  EXPECT_FALSE(std::filesystem::exists(step4));
  EXPECT_EQ(record_of(toy.run)["steps_done"].GetInt64(), 4);  // the step it reached
  // The previous checkpoint is whole: it evaluates, and the run resumes from it.
  const auto step2 = toy.run / "checkpoints" / "step-2.pt";
  const auto evaluated = test::run_datamux("eval --run " + toy.run.string() + " --weights " + step2.string());
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.out;
  const auto resumed = toy.resume(toy.run);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_CONTAINS(resumed.out, "from step 2");
  EXPECT_EQ(status_of(toy.run), "complete");
  EXPECT_EQ(test::loss_trace(toy.run), test::loss_trace(toy.straight()));
}

TEST(RunFaults, DiskFullAtModelPtFailsTheRunAndResumeFinishesIt) {
  FaultRun toy;
  {
    ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", "model.pt");
    expect_disk_full_failure(toy.train(toy.run), toy.run, (toy.run / "model.pt").string());
  }
  EXPECT_FALSE(std::filesystem::exists(toy.run / "model.pt"));
  const auto resumed = toy.resume(toy.run);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_EQ(status_of(toy.run), "complete");
  EXPECT_TRUE(std::filesystem::exists(toy.run / "model.pt"));
}

TEST(RunFaults, DiskFullAtBestPtAndAtTheMetricsLog) {
  for (const std::string file : {"best.pt", "metrics.jsonl"}) {
    SCOPED_TRACE(file);
    FaultRun toy;
    {
      // best.pt's first write; metrics.jsonl's first appended line (after the rewrite at open).
      ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", file + (file == "best.pt" ? "" : "@2"));
      expect_disk_full_failure(toy.train(toy.run), toy.run, (toy.run / file).string());
    }
    const auto resumed = toy.resume(toy.run);
    ASSERT_EQ(resumed.exit_code, 0) << file << ": " << resumed.out;
    EXPECT_EQ(status_of(toy.run), "complete");
  }
}

TEST(RunFaults, DiskFullAtRunJsonIsSaidEvenWhenItCannotBeMarkedFailed) {
  {
    FaultRun toy;
    // The third write of run.json (at the first evaluation); marking it failed then works.
    ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", "run.json@3");
    expect_disk_full_failure(toy.train(toy.run), toy.run, (toy.run / "run.json").string());
  }
  {
    FaultRun toy;
    // Every write of run.json from the third on: the failure cannot be recorded, and says so.
    ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", "run.json@3+");
    const auto result = toy.train(toy.run);
    EXPECT_EQ(result.exit_code, 1) << result.out;
    expect_one_line_failure(result.out, "run.json: cannot write: No space left on device");
    EXPECT_CONTAINS(result.out, "run.json could not be marked failed");
    EXPECT_EQ(temporaries(toy.run), std::vector<std::string>{});
  }
}

TEST(RunFaults, DirectoryHalfMadeAtStartUpIsReusedByTheSameCommand) {
  for (const std::string file : {"run.json", "config.json", "data.json"}) {
    FaultRun toy;
    {
      ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", file);
      const auto failed = toy.train(toy.run);
      EXPECT_EQ(failed.exit_code, 1) << failed.out;
      EXPECT_CONTAINS(failed.out, file + ": cannot write: No space left on device");
    }
    EXPECT_TRUE(left_half_made(toy.run)) << file;
    const auto again = toy.train(toy.run);
    ASSERT_EQ(again.exit_code, 0) << file << ": " << again.out;
    EXPECT_CONTAINS(again.out, "reusing a run directory that an earlier start left half-made");
    EXPECT_EQ(status_of(toy.run), "complete");
  }
  // A directory that holds a step, or a file datamux did not write, is never emptied.
  FaultRun toy;
  ASSERT_EQ(toy.train(toy.run).exit_code, 0);
  mark_unfinished(toy.run);
  EXPECT_FALSE(left_half_made(toy.run));
  test::ScratchDir other;
  other.write("notes.txt", "mine");
  EXPECT_FALSE(left_half_made(other.path()));
  const auto refused = toy.train(other.path());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_CONTAINS(refused.out, "not empty");
  EXPECT_TRUE(std::filesystem::exists(other.path() / "notes.txt"));
}

TEST(RunFaults, DiskFullAtTheReportKeepsThePreviousReport) {
  FaultRun toy;
  {
    // After a complete run the report is extra: the run stays complete, the failure is one line.
    ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", "report.html");
    const auto result = toy.train(toy.run);
    EXPECT_EQ(result.exit_code, 0) << result.out;
    EXPECT_CONTAINS(result.out, "no report for " + toy.run.string());
    EXPECT_CONTAINS(result.out, "report.html: cannot write: No space left on device");
    EXPECT_EQ(status_of(toy.run), "complete");
  }
  const auto written = test::run_datamux("report " + toy.run.string());
  ASSERT_EQ(written.exit_code, 0) << written.out;
  const std::string before = test::read_text(toy.run / "report.html");
  ScopedEnvironment full("DATAMUX_INJECT_ENOSPC", "report.html");
  const auto result = test::run_datamux("report " + toy.run.string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  expect_one_line_failure(result.out, (toy.run / "report.html").string() + ": cannot write: No space left on device");
  EXPECT_EQ(test::read_text(toy.run / "report.html"), before);
  EXPECT_EQ(temporaries(toy.run), std::vector<std::string>{});
}

// A tmpfs mounted on a scratch directory for the test's life (root only).
class SmallFilesystem {
 public:
  SmallFilesystem(const std::filesystem::path& where, std::uintmax_t bytes) : where_(where) {
    std::filesystem::create_directories(where);
    mounted_ = ::mount("tmpfs", where.c_str(), "tmpfs", 0, ("size=" + std::to_string(bytes)).c_str()) == 0;
  }
  ~SmallFilesystem() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool grow(std::uintmax_t bytes) {
    return ::mount("tmpfs", where_.c_str(), "tmpfs", MS_REMOUNT,
                   ("size=" + std::to_string(bytes)).c_str()) == 0;
  }

 private:
  std::filesystem::path where_;
  bool mounted_ = false;
};

std::uintmax_t in_pages(std::uintmax_t bytes) { return (bytes + 4095) / 4096 * 4096; }

TEST(RunFaults, RealFullDiskAtACheckpoint) {
  // One checkpoint kept, no evaluation before the end: at step 4 the second checkpoint must
  // fit beside the first, which is what the filesystem below has no room for.
  FaultRun toy(R"(
    "data": {"train_examples": 120, "eval_examples": 16},
    "train": {"steps": 6, "batch_size": 4, "checkpoint_every": 2, "keep_checkpoints": 1,
              "throughput_repeats": 0})");
  const auto& reference = toy.straight();
  std::uintmax_t records = 0, checkpoint = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(reference)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.rfind("step-", 0) == 0) checkpoint = entry.file_size();
    else if (name != "model.pt" && name != "best.pt" && name.rfind("report.", 0) != 0)
      records += in_pages(entry.file_size());
  }
  ASSERT_GT(checkpoint, 0u);
  // The records, a spare page for each temporary, one checkpoint, and half of the next.
  const std::uintmax_t size = records + 4 * 4096 + in_pages(checkpoint) + checkpoint / 2;
  SmallFilesystem disk(toy.dir.path() / "disk", size);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (not root?); the injected faults cover it";
  const auto run = toy.dir.path() / "disk" / "run";
  const auto result = toy.train(run);
  expect_disk_full_failure(result, run, (run / "checkpoints" / "step-4.pt").string());
  ASSERT_EQ(list_checkpoints(run / "checkpoints").size(), 1u);
  EXPECT_EQ(list_checkpoints(run / "checkpoints")[0].step, 2);

  ASSERT_TRUE(disk.grow(64 << 20));  // the user frees space, then resumes
  const auto resumed = toy.resume(run);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_CONTAINS(resumed.out, "from step 2");
  EXPECT_EQ(status_of(run), "complete");
  EXPECT_EQ(test::loss_trace(run), test::loss_trace(reference));
}

// A complete run copied and marked unfinished, as a run killed after its last checkpoint.
std::filesystem::path unfinished_copy(FaultRun& toy) {
  const auto run = toy.dir.path() / "copy";
  std::filesystem::copy(toy.straight(), run, std::filesystem::copy_options::recursive);
  std::filesystem::remove(run / "model.pt");
  mark_unfinished(run);
  return run;
}

TEST(RunFaults, DamagedNewestCheckpointFallsBackToThePreviousOne) {
  FaultRun toy;
  const auto run = unfinished_copy(toy);
  const auto newest = run / "checkpoints" / "step-6.pt";
  truncate_file(newest);
  const auto result = toy.resume(run);
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "datamux: warning: " + newest.string() + ": not a readable checkpoint");
  EXPECT_CONTAINS(result.out, "resuming from the previous checkpoint " +
                                  (run / "checkpoints" / "step-4.pt").string() + " instead");
  EXPECT_CONTAINS(result.out, "from step 4");
  EXPECT_EQ(status_of(run), "complete");
  const auto record = record_of(run);
  ASSERT_TRUE(record.HasMember("resume_fallbacks"));
  ASSERT_EQ(record["resume_fallbacks"].Size(), 1u);
  EXPECT_EQ(record["resume_fallbacks"][0]["file"].GetString(), newest.string());
  EXPECT_CONTAINS(record["resume_fallbacks"][0]["error"].GetString(), "not a readable checkpoint");
  EXPECT_TRUE(std::filesystem::exists(newest.string() + ".damaged"));
  // From step 4 on, exactly what the undisturbed run did.
  EXPECT_EQ(test::loss_trace(run), test::loss_trace(toy.straight()));
}

TEST(RunFaults, FailedResumeRecordNeverContradictsItself) {
  FaultRun toy;
  const auto run = unfinished_copy(toy);
  ASSERT_EQ(record_of(run)["final_eval"]["step"].GetInt64(), 6);
  for (const auto& checkpoint : list_checkpoints(run / "checkpoints")) truncate_file(checkpoint.path);
  const auto result = toy.resume(run);
  EXPECT_EQ(result.exit_code, 1) << result.out;
  expect_one_line_failure(result.out, (run / "checkpoints" / "step-6.pt").string());
  EXPECT_CONTAINS(result.out, "no earlier checkpoint loads either");
  const auto record = record_of(run);
  EXPECT_STREQ(record["status"].GetString(), "failed");
  EXPECT_EQ(record["steps_done"].GetInt64(), 0);
  EXPECT_FALSE(record.HasMember("final_eval"));
  EXPECT_FALSE(record.HasMember("best_eval"));
  // Nothing was set aside: every damaged file is where it was, for the user to look at.
  EXPECT_EQ(list_checkpoints(run / "checkpoints").size(), 3u);
}

// A run the test always stops itself (signal or kill): far more steps than any machine trains
// in the test's lifetime, so a fast CI machine cannot finish it before the test acts.
const char* kSlowSections = R"(
    "data": {"train_examples": 600, "eval_examples": 32},
    "train": {"steps": 1000000, "batch_size": 32, "checkpoint_every": 0, "log_every": 5,
              "throughput_repeats": 0})";

std::int64_t steps_logged(const std::filesystem::path& run) {
  std::int64_t steps = 0;
  for (const auto& line : test::read_lines(run / "metrics.jsonl"))
    if (line.find("\"grad_norm\"") != std::string::npos) ++steps;
  return steps;
}

TEST(RunFaults, SecondProcessOnARunIsRefusedWithTheHoldersPid) {
  FaultRun toy(kSlowSections);
  {
    test::BackgroundDatamux first({"train", "--config", toy.config.string(), "--out", toy.run.string()},
                                  toy.dir.path() / "first.log");
    ASSERT_TRUE(test::wait_until([&] { return steps_logged(toy.run) >= 1; }, 120))
        << test::read_text(toy.dir.path() / "first.log");
    for (const std::string second : {"train --resume --out " + toy.run.string(),
                                     "train --config " + toy.config.string() + " --out " + toy.run.string()}) {
      const auto refused = test::run_datamux(second);
      EXPECT_EQ(refused.exit_code, 1) << refused.out;
      expect_one_line_failure(refused.out, toy.run.string() + ": in use by another datamux process (pid " +
                                       std::to_string(first.pid()) + ")");
    }
    EXPECT_EQ(status_of(toy.run), "running");  // the first run's record is untouched
    first.send(SIGKILL);
    EXPECT_EQ(first.wait(), 128 + SIGKILL);
  }
  // The kernel dropped the dead process's lock: the run is free again, nothing to clean up.
  EXPECT_NO_THROW(RunLock{toy.run});
}

TEST(RunFaults, SweepLeavesARunThatAnotherProcessHolds) {
  test::ScratchDir dir;
  const std::string common = R"("run": {"device": "cpu"}, "data": {"format": "toy", "train_examples": 40},
      "backbone": {"plugin": "lstm", "preset": "tiny"}, "train": {"steps": 1, "batch_size": 2},
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},)";
  dir.write("warmup.json", "{" + common + R"("task": {"plugin": "retrieval"}})");
  dir.write("classify.json", "{" + common + R"("task": {"plugin": "sequence_classification"},
      "auxiliary": {"plugin": "retrieval"}})");
  const auto config = dir.write("sweep.json", R"({"name": "locked", "backbones": {"lstm": {"plugin": "lstm"}},
      "num_instances": [2], "warmup": "warmup.json", "tasks": {"classify": "classify.json"}})");
  const auto warmup = dir.path() / "out" / "lstm" / "n2" / "warmup";
  std::filesystem::create_directories(warmup);
  const RunLock held(warmup);  // this test process stands for the other worker
  const auto result = test::run_datamux("sweep --config " + config.string() + " --out " +
                                        (dir.path() / "out").string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_CONTAINS(result.out, "lstm/n2/warmup: skipped (" + warmup.string() +
                                  ": in use by another datamux process (pid " +
                                  std::to_string(::getpid()) + ")");
  EXPECT_FALSE(std::filesystem::exists(warmup / "run.json"));
}

TEST(RunFaults, SighupStopsLikeSigtermWithACheckpoint) {
  FaultRun toy(kSlowSections);
  int code = 0;
  {
    test::BackgroundDatamux process({"train", "--config", toy.config.string(), "--out", toy.run.string()},
                                    toy.dir.path() / "run.log");
    ASSERT_TRUE(test::wait_until([&] { return steps_logged(toy.run) >= 2; }, 120));
    process.send(SIGHUP);
    code = process.wait();
  }
  const std::string log = test::read_text(toy.dir.path() / "run.log");
  EXPECT_EQ(code, 128 + SIGHUP) << log;
  EXPECT_CONTAINS(log, "interrupted by SIGHUP");
  EXPECT_EQ(status_of(toy.run), "interrupted");
  const auto checkpoints = list_checkpoints(toy.run / "checkpoints");
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_EQ(checkpoints[0].step, steps_logged(toy.run)) << "the step in progress was finished";
  EXPECT_CONTAINS(log, "--resume --out " + toy.run.string());
}

// SST-2-style files (read from disk, unlike the toy task) and a short run on them.
struct FileRun {
  FileRun() {
    DemoDataSizes sizes;
    sizes.sentiment_train = 200;
    sizes.sentiment_dev = 20;
    sizes.ner_train = sizes.ner_dev = sizes.corpus_paragraphs = 10;
    write_demo_data(dir.path() / "data", 5, sizes);
    config = dir.write("exp.json", test::tiny_config(2, R"(
      "data": {"format": "sst2", "train_file": ")" + train_file().string() + R"(",
               "eval_file": ")" + (dir.path() / "data/sst2/dev.tsv").string() + R"("},
      "train": {"steps": 4, "batch_size": 4, "checkpoint_every": 2, "throughput_repeats": 0})"));
    const auto result = test::run_datamux("train --config " + config.string() + " --out " + run().string());
    EXPECT_EQ(result.exit_code, 0) << result.out;
    mark_unfinished(run());
  }
  std::filesystem::path run() const { return dir.path() / "run"; }
  std::filesystem::path train_file() const { return dir.path() / "data/sst2/train.tsv"; }

  test::ScratchDir dir;
  std::filesystem::path config;
};

TEST(RunFaults, ChangedDataFileIsRefusedOnResumeUnlessAllowed) {
  FileRun saved;
  const auto record = record_of(saved.run());
  ASSERT_TRUE(record.HasMember("data_files"));
  ASSERT_EQ(record["data_files"].Size(), 2u);
  const auto& train = record["data_files"][0];
  EXPECT_STREQ(train["key"].GetString(), "data.train_file");
  EXPECT_EQ(train["sha256"].GetString(), sha256_file(saved.train_file()));
  EXPECT_EQ(train["size"].GetUint64(), std::filesystem::file_size(saved.train_file()));

  const std::string old_hash = sha256_file(saved.train_file());
  // One sentence edited, the number of examples unchanged (a different count is refused by
  // the data position the checkpoint holds, allowed or not).
  std::string content = test::read_text(saved.train_file());
  content.insert(content.find('\n') + 1, "edited ");
  std::ofstream(saved.train_file(), std::ios::binary | std::ios::trunc) << content;
  const std::string new_hash = sha256_file(saved.train_file());
  const std::string before = test::read_text(saved.run() / "run.json");
  const auto refused = test::run_datamux("train --resume --out " + saved.run().string());
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  expect_one_line_failure(refused.out, "data.train_file " + saved.train_file().string() +
                                   " changed since the run started (sha256 " +
                                   old_hash.substr(0, 12) + "... -> " + new_hash.substr(0, 12) + "...)");
  EXPECT_CONTAINS(refused.out, "--allow-changed-data");
  EXPECT_EQ(test::read_text(saved.run() / "run.json"), before);  // refused before touching it

  const auto allowed =
      test::run_datamux("train --resume --allow-changed-data --out " + saved.run().string());
  ASSERT_EQ(allowed.exit_code, 0) << allowed.out;
  EXPECT_CONTAINS(allowed.out, "datamux: warning: data.train_file");
  const auto after = record_of(saved.run());
  ASSERT_TRUE(after.HasMember("data_changes"));
  EXPECT_STREQ(after["data_changes"][0]["key"].GetString(), "data.train_file");
  EXPECT_EQ(after["data_changes"][0]["old_sha256"].GetString(), old_hash);
  EXPECT_EQ(after["data_changes"][0]["new_sha256"].GetString(), new_hash);
  EXPECT_EQ(after["data_files"][0]["sha256"].GetString(), new_hash);  // what it now trains on
}

TEST(RunFaults, ResumeRefusesADifferentConfigButNotTheSameOneElsewhere) {
  FileRun saved;
  const std::string content = test::read_text(saved.config);
  const auto same = saved.dir.write("copy-of-exp.json", content);
  std::string changed_content = content;
  changed_content.replace(changed_content.find("\"steps\": 4"), 10, "\"steps\": 9");
  const auto changed = saved.dir.write("other.json", changed_content);

  const auto refused = test::run_datamux("train --resume --config " + changed.string() + " --out " +
                                         saved.run().string());
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  expect_one_line_failure(refused.out, changed.string() + ": differs from the config of the run being resumed");
  EXPECT_CONTAINS(refused.out, "at train.steps");

  const auto accepted = test::run_datamux("train --resume --config " + same.string() + " --out " +
                                          saved.run().string());
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out;
  EXPECT_EQ(status_of(saved.run()), "complete");
}

}  // namespace
}  // namespace datamux
