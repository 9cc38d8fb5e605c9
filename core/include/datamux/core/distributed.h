#pragma once
// Data-parallel training on PyTorch's own engine (c10d): one process per rank, launched by
// torchrun, Slurm's srun or by hand. Gloo on CPU, NCCL on CUDA where this libtorch has it.
// The c10d types stay inside core/src/distributed; this header needs only libtorch's tensors.
// Semantics, launch lines and fault behaviour: docs/distributed.md.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

namespace c10d {
struct ReduceOp;
}

namespace datamux {

// Where this process stands among the ranks, from the launcher's environment variables.
struct LaunchEnvironment {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;           // the rank's index on its node (its GPU there)
  std::string master_addr;      // the rendezvous store's host
  int master_port = 29500;
  bool agent_store = false;     // torchrun hosts the store; every rank is its client
  std::string store_prefix;     // torchrun's key prefix ("/worker/attempt_<restart>")
  std::string launcher;         // "torchrun", "slurm", "environment", or "" when single

  bool distributed() const { return world_size > 1; }
};

// Reads RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT (torchrun, by hand), else
// Slurm's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID and the first host of
// SLURM_JOB_NODELIST. Neither set (or a world of 1): the single-process program. A value that
// does not parse, or a rank outside the world, is an error naming the variable.
using EnvironmentLookup = std::function<const char*(const char*)>;
LaunchEnvironment read_launch_environment(const EnvironmentLookup& lookup);
LaunchEnvironment launch_environment();  // of this process

// The first host of a Slurm node list: "gpu[03-05,09],cpu1" -> "gpu03".
std::string first_host_of_nodelist(const std::string& nodelist);

// How long a rank waits for the others in one collective before it gives up: a hung rank is
// detected after this (a dead one at once). DATAMUX_DIST_TIMEOUT (seconds), default 600.
std::chrono::milliseconds collective_timeout(const EnvironmentLookup& lookup);

// The process group of one run: rendezvous, collectives with their timeout, and errors that
// name the rank at fault.
class DataParallel {
 public:
  // Connects to the other ranks (rank 0 hosts the TCPStore unless torchrun does) and builds
  // the process group for tensors on `device`.
  DataParallel(const LaunchEnvironment& environment, torch::Device device);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const;
  int world_size() const;
  const char* backend() const;  // "gloo" or "nccl"

  // Rank 0's values into every rank's tensors, in place (parameters and buffers at start).
  void broadcast(const std::vector<torch::Tensor>& tensors);
  // Each defined gradient replaced by its mean over the ranks (bucketed allreduces).
  void average_gradients(const std::vector<torch::Tensor>& parameters);
  // The mean of each value over the ranks.
  std::vector<double> average(const std::vector<double>& values);
  // The largest of the ranks' values (a signal any rank received, a step they must agree on).
  std::int64_t maximum(std::int64_t value);
  std::int64_t minimum(std::int64_t value);
  // Every rank's bytes, in rank order (all of the same size).
  std::vector<std::string> gather_digests(const std::string& digest);
  void barrier();

  // Written to the store before each step, so a survivor can say which rank fell behind.
  void note_step(std::int64_t step);
  // Best effort, before this rank gives up: the others then name it with this message.
  void note_failure(const std::string& message);

  // On a machine with GPUs: makes the rank's own one (LOCAL_RANK) the current CUDA device,
  // so "cuda" means it for this process. Does nothing without CUDA.
  static void use_local_gpu(const LaunchEnvironment& environment);

  // For ranks in a world > 1: the RNG of each step is seeded from (seed, rank, step), so
  // ranks draw independently (dropout, the retrieval draw) and a resumed run draws exactly
  // what an uninterrupted one would have.
  static void seed_step(std::uint64_t seed, int rank, std::int64_t step);

 private:
  struct Group;
  [[noreturn]] void fail(const std::string& what, const std::string& error) const;
  std::int64_t reduce_integer(std::int64_t value, const c10d::ReduceOp& op);
  std::unique_ptr<Group> group_;
};

}  // namespace datamux
