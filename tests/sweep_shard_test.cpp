// Sweeps on a cluster: `sweep --list`, the shards of a job array and several shards sharing one
// sweep directory (docs/distributed.md).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <set>

#include "datamux/core/json_file.h"
#include "datamux/core/sweep.h"
#include "support/test_support.h"

namespace datamux {
namespace {

std::vector<SweepRun> grid(int backbones, int ns, int tasks) {
  std::vector<SweepRun> runs;
  for (int b = 0; b < backbones; ++b)
    for (int n = 1; n <= ns; ++n) {
      const std::string prefix = "b" + std::to_string(b) + "/n" + std::to_string(n) + "/";
      runs.push_back({prefix + "warmup", "b", n, "warmup", "warmup", ""});
      for (int t = 0; t < tasks; ++t)
        runs.push_back({prefix + "t" + std::to_string(t), "b", n, "t", "finetune", prefix + "warmup"});
    }
  return runs;
}

TEST(SweepShard, ShardsAreDisjointCoverTheGridAndTrainWarmupsFirst) {
  const auto runs = grid(3, 3, 2);  // the demo's shape: 9 warm-ups, 18 finetunes
  for (int count : {1, 2, 4, 30}) {
    std::multiset<std::string> seen;
    for (int index = 0; index < count; ++index) {
      const auto mine = shard_runs(runs, {index, count});
      bool finetunes_began = false;
      for (const auto& run : mine) {
        seen.insert(run.id);
        if (run.role == "finetune") finetunes_began = true;
        else EXPECT_FALSE(finetunes_began) << run.id << " in shard " << index << "/" << count;
        const auto at = std::find_if(runs.begin(), runs.end(), [&](const SweepRun& r) { return r.id == run.id; });
        EXPECT_EQ(shard_of_run(runs, at - runs.begin(), count), index);
      }
      if (count <= 9) EXPECT_FALSE(mine.empty());
    }
    EXPECT_EQ(seen.size(), runs.size());
    for (const auto& run : runs) EXPECT_EQ(seen.count(run.id), 1u) << run.id;
  }
}

TEST(SweepShard, ParsesIOfKAndRefusesTheRest) {
  const SweepShard shard = parse_sweep_shard("3/8");
  EXPECT_EQ(shard.index, 3);
  EXPECT_EQ(shard.count, 8);
  for (const char* bad : {"8/8", "-1/2", "1", "a/2", "1/0", "1/2x", ""})
    EXPECT_CONTAINS(test::error_of([&] { parse_sweep_shard(bad); }), "expected I/K") << bad;
}

// A toy grid shaped like the demo's: two backbones, N in {1, 2}, the warm-up and two tasks.
struct ToyGrid {
  ToyGrid() {
    const std::string common = R"(
      "run": {"seed": 4, "device": "cpu"},
      "model": {"max_seq_length": 16},
      "data": {"format": "toy", "train_examples": 96, "eval_examples": 16},
      "backbone": {"plugin": "lstm", "preset": "tiny"},
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
      "train": {"steps": 3, "batch_size": 4, "learning_rate": 0.002, "throughput_repeats": 0},)";
    dir.write("warmup.json", "{" + common + R"("task": {"plugin": "retrieval"}})");
    dir.write("classify.json", "{" + common + R"("task": {"plugin": "sequence_classification"},
      "auxiliary": {"plugin": "retrieval"}})");
    config = dir.write("sweep.json", R"({"name": "grid",
      "backbones": {"lstm": {"plugin": "lstm", "preset": "tiny"},
                    "roberta": {"plugin": "roberta", "preset": "tiny"}},
      "num_instances": [1, 2], "warmup": "warmup.json",
      "tasks": {"classify": "classify.json", "again": "classify.json"}})");
  }
  test::ScratchDir dir;
  std::filesystem::path config;
};

TEST(SweepShard, ListPrintsTheGridInOrderWithItsWarmups) {
  ToyGrid grid;
  const auto result = test::run_datamux("sweep --list --config " + grid.config.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::vector<std::string> expected = {
      "0\tlstm/n1/warmup\twarmup", "1\tlstm/n1/classify\tfinetune\tafter lstm/n1/warmup",
      "2\tlstm/n1/again\tfinetune\tafter lstm/n1/warmup", "3\tlstm/n2/warmup\twarmup"};
  std::istringstream lines(result.out);
  std::vector<std::string> printed;
  for (std::string line; std::getline(lines, line);) printed.push_back(line);
  ASSERT_EQ(printed.size(), 12u) << result.out;
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(printed[i], expected[i]);

  const auto shard = test::run_datamux("sweep --list --shard 1/2 --config " + grid.config.string());
  ASSERT_EQ(shard.exit_code, 0) << shard.out;
  EXPECT_EQ(shard.out.substr(0, shard.out.find('\n')), "3\tlstm/n2/warmup\twarmup\tshard 1/2");
  EXPECT_CONTAINS(test::run_datamux("sweep --list --shard 2/2 --config " + grid.config.string()).out,
                  "--shard 2/2: expected I/K");
}

// The report, less what differs between any two sweeps (when it was written).
std::string comparable_report(const std::filesystem::path& sweep) {
  rapidjson::Document report = read_json_file(sweep / "report.json");
  report.RemoveMember("generated_at");
  return to_json_text(report);
}

TEST(SweepShard, TwoShardsOnOneDirectoryTrainEachRunOnceAndReportAsOneSweep) {
  ToyGrid grid;
  const auto single = grid.dir.path() / "single";
  auto result = test::run_datamux("sweep --config " + grid.config.string() + " --out " + single.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;

  const auto shared = grid.dir.path() / "shared";
  std::vector<std::unique_ptr<test::BackgroundDatamux>> shards;
  for (const char* shard : {"0/2", "1/2"})
    shards.push_back(std::make_unique<test::BackgroundDatamux>(
        std::vector<std::string>{"sweep", "--config", grid.config.string(), "--out", shared.string(),
                                 "--shard", shard},
        grid.dir.path() / (std::string("shard") + shard[0] + ".log")));
  const int first = shards[0]->wait(), second = shards[1]->wait();
  const std::string logs = test::read_text(grid.dir.path() / "shard0.log") + "\n" +
                           test::read_text(grid.dir.path() / "shard1.log");
  ASSERT_EQ(first, 0) << logs;
  ASSERT_EQ(second, 0) << logs;

  // Each run trained exactly once over both shards: the heading a shard prints as it starts one.
  std::map<std::string, int> trained;
  const std::regex own(R"(^== \[\d+/\d+ of shard \d/2\] (\S+)$)"), borrowed(R"(^== (\S+) \(for \S+\)$)");
  std::istringstream lines(logs);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, own) || std::regex_match(line, match, borrowed)) ++trained[match[1]];
  }
  const auto record = read_json_file(shared / "sweep.json");
  EXPECT_STREQ(record["status"].GetString(), "complete");
  ASSERT_EQ(record["runs"].Size(), 12u);
  for (const auto& run : record["runs"].GetArray()) {
    const std::string id = run["id"].GetString();
    EXPECT_STREQ(run["status"].GetString(), "complete") << id;
    EXPECT_EQ(trained[id], 1) << id << "\n" << logs;
    EXPECT_EQ(test::loss_trace(shared / id), test::loss_trace(single / id)) << id;
  }
  EXPECT_EQ(comparable_report(shared), comparable_report(single));
}

}  // namespace
}  // namespace datamux
