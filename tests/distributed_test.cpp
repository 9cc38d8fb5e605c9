// Data-parallel training on c10d/Gloo over a TCPStore on 127.0.0.1 (docs/distributed.md): the
// launch variables, equivalence with one process at the global batch, identical replicas, a
// dead or hung rank, resuming, and torchrun.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>

#include "datamux/core/batching.h"
#include "datamux/core/distributed.h"
#include "datamux/core/durable_file.h"
#include "datamux/core/json_file.h"
#include "datamux/core/toy_data.h"
#include "support/test_support.h"

namespace datamux {
namespace {

EnvironmentLookup lookup_in(const std::map<std::string, std::string>& variables) {
  return [variables](const char* name) -> const char* {
    const auto it = variables.find(name);
    return it == variables.end() ? nullptr : it->second.c_str();
  };
}

TEST(LaunchEnvironment, NoVariablesIsTheSingleProcessProgram) {
  const LaunchEnvironment env = read_launch_environment(lookup_in({}));
  EXPECT_FALSE(env.distributed());
  EXPECT_EQ(env.rank, 0);
  EXPECT_FALSE(read_launch_environment(lookup_in({{"WORLD_SIZE", "1"}, {"RANK", "0"}})).distributed());
  EXPECT_FALSE(read_launch_environment(lookup_in({{"SLURM_NTASKS", "1"}, {"SLURM_PROCID", "0"}})).distributed());
}

TEST(LaunchEnvironment, ReadsTorchrunsVariablesAndItsAgentStore) {
  const LaunchEnvironment env = read_launch_environment(lookup_in(
      {{"WORLD_SIZE", "4"}, {"RANK", "3"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "node7"},
       {"MASTER_PORT", "29400"}, {"TORCHELASTIC_USE_AGENT_STORE", "True"},
       {"TORCHELASTIC_RESTART_COUNT", "2"}, {"TORCHELASTIC_RUN_ID", "x"}}));
  EXPECT_TRUE(env.distributed());
  EXPECT_EQ(env.rank, 3);
  EXPECT_EQ(env.world_size, 4);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "node7");
  EXPECT_EQ(env.master_port, 29400);
  EXPECT_TRUE(env.agent_store);
  EXPECT_EQ(env.store_prefix, "/worker/attempt_2");
  EXPECT_EQ(env.launcher, "torchrun");
}

TEST(LaunchEnvironment, ReadsSlurmsVariablesWithTheFirstHostAsMaster) {
  const LaunchEnvironment env = read_launch_environment(lookup_in(
      {{"SLURM_NTASKS", "8"}, {"SLURM_PROCID", "5"}, {"SLURM_LOCALID", "1"},
       {"SLURM_JOB_NODELIST", "gpu[03-05,09],cpu1"}}));
  EXPECT_EQ(env.rank, 5);
  EXPECT_EQ(env.world_size, 8);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "gpu03");
  EXPECT_EQ(env.master_port, 29500);
  EXPECT_EQ(env.launcher, "slurm");
  EXPECT_FALSE(env.agent_store);
  EXPECT_EQ(first_host_of_nodelist("a1,b2"), "a1");
  EXPECT_EQ(first_host_of_nodelist("rack1-n[7]"), "rack1-n7");
}

TEST(LaunchEnvironment, BadValuesNameTheVariable) {
  EXPECT_CONTAINS(test::error_of([] {
                    read_launch_environment(lookup_in({{"WORLD_SIZE", "2"}, {"RANK", "2"},
                                                       {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}));
                  }),
                  "RANK='2'");
  EXPECT_CONTAINS(test::error_of([] {
                    read_launch_environment(lookup_in({{"WORLD_SIZE", "two"}}));
                  }),
                  "WORLD_SIZE='two'");
  EXPECT_CONTAINS(test::error_of([] {
                    read_launch_environment(lookup_in({{"WORLD_SIZE", "2"}, {"RANK", "0"}}));
                  }),
                  "MASTER_ADDR");
  EXPECT_CONTAINS(test::error_of([] {
                    read_launch_environment(lookup_in({{"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "0"}}));
                  }),
                  "SLURM_JOB_NODELIST");
  EXPECT_CONTAINS(test::error_of([] { first_host_of_nodelist("gpu[1-2"); }), "unclosed");
}

// Each rank reads its own consecutive slice of the global batch; together they read what one
// process at the global batch reads, epoch after epoch (skipping the same tail).
TEST(DataShard, RanksTogetherReadTheGlobalBatch) {
  ToyDataOptions options;
  options.examples = 30;  // 2 global batches of 12 rows an epoch, 6 left over
  const Dataset data = generate_toy_sentiment(options, 5);
  TrainBatches single(data, 6, 2, 64, 9, torch::kCPU);
  TrainBatches rank0(data, 3, 2, 64, 9, torch::kCPU, {0, 2});
  TrainBatches rank1(data, 3, 2, 64, 9, torch::kCPU, {1, 2});
  for (int step = 0; step < 5; ++step) {
    const Batch whole = single.next(), first = rank0.next(), second = rank1.next();
    ASSERT_EQ(first.input_ids.size(0), 6);
    const auto length = std::max(first.input_ids.size(1), second.input_ids.size(1));
    auto padded = [&](const torch::Tensor& ids) {
      return torch::constant_pad_nd(ids, {0, length - ids.size(1)}, data.tokens.pad);
    };
    EXPECT_TRUE(torch::equal(torch::cat({padded(first.input_ids), padded(second.input_ids)}),
                             padded(whole.input_ids).narrow(1, 0, length)))
        << "step " << step;
    EXPECT_TRUE(torch::equal(torch::cat({first.labels, second.labels}), whole.labels));
  }
  EXPECT_EQ(rank0.state().position, single.state().position);
  EXPECT_EQ(rank1.skipped_examples(), single.skipped_examples());
  EXPECT_EQ(rank1.skipped_examples(), 12);  // two epochs' tails
  EXPECT_CONTAINS(test::error_of([&] { TrainBatches(data, 8, 2, 64, 9, torch::kCPU, {0, 2}); }),
                  "fewer than one batch of 32 (train.batch_size x model.num_instances x 2 ranks)");
}

// Tiny models without dropout, on sentences of one length: with equal-sized losses per
// instance, the mean of the ranks' gradients is the global batch's gradient.
std::string equivalence_config(const std::string& backbone, std::int64_t steps,
                               const std::string& train_extra = "") {
  test::ModelChoice choice;
  choice.backbone = backbone;
  const std::string dropout = backbone == "lstm" ? R"("dropout": 0.0)"
                                                 : R"("dropout": 0.0, "attention_dropout": 0.0)";
  return test::model_config(choice, R"(
    "backbone": {"plugin": ")" + backbone + R"(", "preset": ")" + backbone + R"(-tiny", )" + dropout + R"(},
    "model": {"auxiliary_weight": 0},
    "task": {"classifier_dropout": 0.0},
    "data": {"train_examples": 200, "eval_examples": 16, "min_words": 8, "max_words": 8},
    "train": {"steps": )" + std::to_string(steps) + R"(, "learning_rate": 0.002, "warmup_steps": 3,
              "log_every": 5, "throughput_repeats": 0)" + train_extra + "}");
}

// The per-step losses a run logged.
std::vector<double> step_losses(const std::filesystem::path& run) {
  std::vector<double> losses;
  for (const auto& line : test::read_lines(run / "metrics.jsonl")) {
    const auto record = parse_json(line, "metrics.jsonl");
    if (record.HasMember("grad_norm")) losses.push_back(record["loss"].GetDouble());
  }
  return losses;
}

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0), so that
// tests running in parallel do not meet in one store.
int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  if (!bound) throw std::runtime_error("cannot bind a port on 127.0.0.1");
  return ntohs(address.sin_port);
}

// The rank processes of one run over a TCPStore on 127.0.0.1, on a port of their own.
struct Ranks {
  Ranks(int world, const std::vector<std::string>& arguments, const std::filesystem::path& logs,
        const std::vector<std::string>& extra_environment = {}) {
    std::filesystem::create_directories(logs);
    const std::string port = std::to_string(free_local_port());
    for (int rank = 0; rank < world; ++rank) {
      std::vector<std::string> environment = {
          "RANK=" + std::to_string(rank), "LOCAL_RANK=" + std::to_string(rank),
          "WORLD_SIZE=" + std::to_string(world), "MASTER_ADDR=127.0.0.1", "MASTER_PORT=" + port,
          "GLOO_SOCKET_IFNAME=lo", "OMP_NUM_THREADS=1"};
      environment.insert(environment.end(), extra_environment.begin(), extra_environment.end());
      this->logs.push_back(logs / ("rank" + std::to_string(rank) + ".log"));
      processes.push_back(std::make_unique<test::BackgroundDatamux>(arguments, this->logs.back(), environment));
    }
  }
  std::vector<int> wait() {
    std::vector<int> codes;
    for (auto& process : processes) codes.push_back(process->wait());
    return codes;
  }
  // Every rank's log, for failure messages.
  std::string output() const {
    std::string text;
    for (std::size_t r = 0; r < logs.size(); ++r)
      text += "--- rank " + std::to_string(r) + "\n" + test::read_text(logs[r]);
    return text;
  }

  // Waits for `run`'s first checkpoint (fault_config writes one every 5 steps).
  void wait_for_first_checkpoint(const std::filesystem::path& run) const {
    ASSERT_TRUE(test::wait_until(
        [&] { return std::filesystem::exists(run / "checkpoints" / "step-5.pt"); }, 120))
        << output();
  }

  // Sends `signal` to rank 1 and waits for rank 0: its exit code, the seconds it took to
  // exit, and its last line.
  struct Survivor {
    int exit_code;
    double seconds;
    std::string last_line;
  };
  Survivor stop_rank_one(int signal) {
    processes[1]->send(signal);
    const auto start = std::chrono::steady_clock::now();
    Survivor survivor{processes[0]->wait(), 0, ""};
    survivor.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto lines = test::read_lines(logs[0]);
    if (!lines.empty()) survivor.last_line = lines.back();
    return survivor;
  }

  std::vector<std::filesystem::path> logs;
  std::vector<std::unique_ptr<test::BackgroundDatamux>> processes;
};

void expect_world_two_equals_world_one_at_double_batch(const std::string& backbone) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", equivalence_config(backbone, 20));
  const auto single = dir.path() / "single";
  auto result = test::run_datamux("train --config " + config.string() + " --out " + single.string() +
                                  " --set train.batch_size=8");
  ASSERT_EQ(result.exit_code, 0) << result.out;

  const auto parallel = dir.path() / "parallel";
  Ranks ranks(2, {"train", "--config", config.string(), "--out", parallel.string(), "--set",
                  "train.batch_size=4"},
              dir.path());
  ASSERT_EQ(ranks.wait(), (std::vector<int>{0, 0})) << ranks.output();

  const auto expected = step_losses(single);
  const auto actual = step_losses(parallel);
  ASSERT_EQ(expected.size(), 20u);
  ASSERT_EQ(actual.size(), 20u) << ranks.output();
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], 1e-5) << "step " << i + 1;

  const auto record = read_json_file(parallel / "run.json");
  EXPECT_STREQ(record["status"].GetString(), "complete");
  const auto& data_parallel = record["data_parallel"];
  EXPECT_EQ(data_parallel["world_size"].GetInt(), 2);
  EXPECT_STREQ(data_parallel["backend"].GetString(), "gloo");
  EXPECT_EQ(data_parallel["batch_size_per_rank"].GetInt(), 4);
  EXPECT_EQ(data_parallel["global_batch_size"].GetInt(), 8);
  // The final weights, bit for bit: each rank's digest of its own.
  const auto& digests = data_parallel["weights_sha256_by_rank"];
  ASSERT_EQ(digests.Size(), 2u);
  EXPECT_EQ(std::string(digests[0].GetString()).size(), 64u);
  EXPECT_STREQ(digests[0].GetString(), digests[1].GetString());
  // Rank 0 alone wrote; rank 1 printed nothing of the run.
  EXPECT_TRUE(std::filesystem::exists(parallel / "model.pt"));
  EXPECT_EQ(test::read_text(ranks.logs[1]), "");
}

TEST(DataParallel, TwoRanksEqualOneProcessAtTheGlobalBatchTransformer) {
  expect_world_two_equals_world_one_at_double_batch("roberta");
}

TEST(DataParallel, TwoRanksEqualOneProcessAtTheGlobalBatchLstm) {
  expect_world_two_equals_world_one_at_double_batch("lstm");
}

// Slow enough per step (32 groups per rank, long sentences) that a test can act between the
// first checkpoint and the end, even on a fast machine.
std::string fault_config() {
  return equivalence_config("roberta", 60, R"(, "batch_size": 32, "checkpoint_every": 5)");
}

TEST(DataParallel, DeadRankIsNamedAndTheRunResumesToTheSameTrace) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", fault_config());
  const std::vector<std::string> timeout = {"DATAMUX_DIST_TIMEOUT=30"};
  const auto straight = dir.path() / "straight";
  {
    Ranks ranks(2, {"train", "--config", config.string(), "--out", straight.string()},
                dir.path() / "s", timeout);
    ASSERT_EQ(ranks.wait(), (std::vector<int>{0, 0})) << ranks.output();
  }

  const auto killed = dir.path() / "killed";
  Ranks ranks(2, {"train", "--config", config.string(), "--out", killed.string()}, dir.path() / "k",
              timeout);
  ranks.wait_for_first_checkpoint(killed);
  if (HasFatalFailure()) return;
  const auto survivor = ranks.stop_rank_one(SIGKILL);
  EXPECT_EQ(ranks.processes[1]->wait(), 128 + SIGKILL);
  EXPECT_EQ(survivor.exit_code, 1) << ranks.output();
  EXPECT_LT(survivor.seconds, 30.0);  // at once, in fact: Gloo sees the connection close
  EXPECT_CONTAINS(survivor.last_line, "datamux: error: rank 0: ");
  EXPECT_CONTAINS(survivor.last_line, "rank 1 (of 2)");
  EXPECT_STREQ(read_json_file(killed / "run.json")["status"].GetString(), "failed");

  Ranks resumed(2, {"train", "--resume", "--out", killed.string()}, dir.path() / "r", timeout);
  ASSERT_EQ(resumed.wait(), (std::vector<int>{0, 0})) << resumed.output();
  EXPECT_EQ(test::loss_trace(killed), test::loss_trace(straight));
  EXPECT_STREQ(read_json_file(killed / "run.json")["status"].GetString(), "complete");
}

TEST(DataParallel, HungRankIsNamedAfterTheTimeout) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", fault_config());
  const auto run = dir.path() / "run";
  Ranks ranks(2, {"train", "--config", config.string(), "--out", run.string()}, dir.path(),
              {"DATAMUX_DIST_TIMEOUT=4"});
  ranks.wait_for_first_checkpoint(run);
  if (HasFatalFailure()) return;
  const auto survivor = ranks.stop_rank_one(SIGSTOP);
  ranks.processes[1]->send(SIGKILL);
  EXPECT_EQ(survivor.exit_code, 1) << ranks.output();
  EXPECT_LT(survivor.seconds, 4 + 20.0);  // the timeout, the look at the heartbeats, run.json
  EXPECT_CONTAINS(survivor.last_line, "rank 1 (of 2) stopped responding");
  EXPECT_STREQ(read_json_file(run / "run.json")["status"].GetString(), "failed");
}

TEST(DataParallel, SigtermOnOneRankStopsEveryRankAtOneCheckpoint) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", fault_config());
  const auto run = dir.path() / "run";
  Ranks ranks(2, {"train", "--config", config.string(), "--out", run.string()}, dir.path());
  ranks.wait_for_first_checkpoint(run);
  if (HasFatalFailure()) return;
  ranks.processes[1]->send(SIGTERM);
  EXPECT_EQ(ranks.wait(), (std::vector<int>{128 + SIGTERM, 128 + SIGTERM})) << ranks.output();
  const auto record = read_json_file(run / "run.json");
  EXPECT_STREQ(record["status"].GetString(), "interrupted");
  const std::int64_t reached = record["steps_done"].GetInt64();
  EXPECT_TRUE(std::filesystem::exists(run / "checkpoints" / ("step-" + std::to_string(reached) + ".pt")))
      << reached;
}

TEST(DataParallel, ResumingOnAnotherNumberOfRanksIsRefused) {
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", equivalence_config("roberta", 6, R"(, "checkpoint_every": 3)"));
  const auto run = dir.path() / "run";
  // A one-process run, marked unfinished: resuming it reads its run.json first.
  auto result = test::run_datamux("train --config " + config.string() + " --out " + run.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  std::filesystem::remove(run / "model.pt");
  rapidjson::Document record = read_json_file(run / "run.json");
  record["status"].SetString("interrupted");
  write_file_atomically(run / "run.json", to_json_text(record));
  Ranks ranks(2, {"train", "--resume", "--out", run.string()}, dir.path() / "logs");
  EXPECT_EQ(ranks.wait(), (std::vector<int>{1, 1})) << ranks.output();
  for (const auto& log : ranks.logs)
    EXPECT_CONTAINS(test::read_lines(log).back(), "the run trained on 1 rank; resume it on 1 too (now 2)");
}

// torchrun from Debian's python3-torch, as docs/distributed.md launches it.
TEST(DataParallel, TorchrunStartsTwoRanks) {
  const char* torchrun = "/usr/bin/torchrun";
  if (!std::filesystem::exists(torchrun)) GTEST_SKIP() << "no torchrun (python3-torch) installed";
  test::ScratchDir dir;
  const auto config = dir.write("exp.json", equivalence_config("roberta", 4));
  const auto run = dir.path() / "run";
  const std::string port = std::to_string(free_local_port());
  const std::string command =
      "GLOO_SOCKET_IFNAME=lo OMP_NUM_THREADS=1 " + std::string(torchrun) +
      " --nproc_per_node 2 --master_addr 127.0.0.1 --master_port " + port +
      " --redirects 1 --tee 1 --no_python " + test::datamux_binary().string() + " train --config " +
      config.string() + " --out " + run.string() + " --set train.batch_size=4 > " +
      (dir.path() / "torchrun.log").string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_EQ(status, 0) << test::read_text(dir.path() / "torchrun.log");
  const auto record = read_json_file(run / "run.json");
  EXPECT_STREQ(record["status"].GetString(), "complete");
  EXPECT_EQ(record["data_parallel"]["world_size"].GetInt(), 2);
  EXPECT_STREQ(record["data_parallel"]["launcher"].GetString(), "torchrun");
  EXPECT_EQ(step_losses(run).size(), 4u);
}

}  // namespace
}  // namespace datamux
