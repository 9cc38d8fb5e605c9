// The run's c10d process group: a TCPStore rendezvous, Gloo (or NCCL) collectives with a
// timeout, and, when one fails, a look in the store for the rank at fault.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef DATAMUX_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/csrc/utils/tensor_flatten.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "datamux/core/distributed.h"
#include "datamux/core/first_line.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

// Gradients are reduced in flat buckets of about this size: few collectives, bounded memory.
constexpr std::int64_t kBucketBytes = 25 << 20;
constexpr auto kHeartbeat = std::chrono::milliseconds(500);
// How long a survivor watches the heartbeats before it names the ranks that stopped.
constexpr auto kHeartbeatWatch = std::chrono::milliseconds(2000);
// The store's own timeout while a survivor asks it who failed: short, it may be gone too.
constexpr auto kInquiryTimeout = std::chrono::milliseconds(3000);

std::string key(const char* kind, int rank) { return std::string("datamux/") + kind + "/" + std::to_string(rank); }

std::string text(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }
std::vector<std::uint8_t> bytes(const std::string& value) { return {value.begin(), value.end()}; }

c10::intrusive_ptr<c10d::Store> connect_store(const LaunchEnvironment& env, bool server,
                                              std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(env.master_port);
  options.isServer = server;
  options.numWorkers = env.world_size;
  options.waitWorkers = false;
  options.timeout = timeout;
  c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, options);
  if (!env.store_prefix.empty()) store = c10::make_intrusive<c10d::PrefixStore>(env.store_prefix, store);
  return store;
}

}  // namespace

struct DataParallel::Group {
  LaunchEnvironment env;
  std::chrono::milliseconds timeout;
  c10::intrusive_ptr<c10d::Store> store;      // the rendezvous, and the notes on steps
  c10::intrusive_ptr<c10d::Store> heartbeat_store;  // a connection of the heartbeat's own
  c10::intrusive_ptr<c10d::ProcessGroup> group;
  const char* backend = "gloo";
  // Where the collectives' own small tensors live: NCCL reduces only tensors on its GPU.
  torch::Device device = torch::kCPU;
  std::int64_t step = 0;

  std::thread heartbeat;
  std::mutex mutex;
  std::condition_variable stop_beating;
  bool stopping = false;

  void beat() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      lock.unlock();
      try {
        heartbeat_store->add(key("beat", env.rank), 1);
      } catch (const std::exception&) {
        // The store's host is gone: the collectives say so, and the inquiry names it.
      }
      lock.lock();
      stop_beating.wait_for(lock, kHeartbeat, [this] { return stopping; });
    }
  }

  // Who is at fault, in words: a rank that said why it failed, else ranks whose heartbeat
  // stopped, else ranks behind this one's step.
  std::string culprit() {
    const int me = env.rank;
    const std::string world = " (of " + std::to_string(env.world_size) + ")";
    try {
      store->setTimeout(kInquiryTimeout);
      for (int r = 0; r < env.world_size; ++r)
        if (r != me && store->check({key("failed", r)}))
          return "rank " + std::to_string(r) + world + " failed: " + text(store->get(key("failed", r)));
      auto beats = [&] {
        std::vector<std::int64_t> counts(env.world_size, 0);
        for (int r = 0; r < env.world_size; ++r)
          if (r != me) counts[r] = store->add(key("beat", r), 0);
        return counts;
      };
      const auto before = beats();
      std::this_thread::sleep_for(kHeartbeatWatch);
      const auto after = beats();
      std::string stopped;
      for (int r = 0; r < env.world_size; ++r)
        if (r != me && after[r] == before[r]) stopped += (stopped.empty() ? "rank " : ", rank ") + std::to_string(r);
      if (!stopped.empty())
        return stopped + world + " stopped responding (died or hung) at step " + std::to_string(step);
      std::string behind;
      for (int r = 0; r < env.world_size; ++r) {
        if (r == me || !store->check({key("step", r)})) continue;
        const std::int64_t theirs = std::stoll(text(store->get(key("step", r))));
        if (theirs < step)
          behind += (behind.empty() ? "rank " : ", rank ") + std::to_string(r) + " (at step " +
                    std::to_string(theirs) + ")";
      }
      if (!behind.empty()) return behind + world + " fell behind this rank's step " + std::to_string(step);
      return "another rank" + world + " left the collective at step " + std::to_string(step);
    } catch (const std::exception&) {
      if (env.agent_store)
        return "the rendezvous store at " + env.master_addr + ":" + std::to_string(env.master_port) +
               " (torchrun's agent) is gone";
      return "rank 0" + world + ", which hosts the rendezvous store at " + env.master_addr + ":" +
             std::to_string(env.master_port) + ", is gone";
    }
  }

  void wait(const c10::intrusive_ptr<c10d::Work>& work) { work->wait(timeout); }
};

DataParallel::DataParallel(const LaunchEnvironment& env, torch::Device device)
    : group_(std::make_unique<Group>()) {
  Group& g = *group_;
  g.env = env;
  g.timeout = collective_timeout([](const char* name) { return std::getenv(name); });
  const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
  try {
    const bool server = env.rank == 0 && !env.agent_store;
    g.store = connect_store(env, server, g.timeout);
    g.heartbeat_store = connect_store(env, false, g.timeout);
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>("datamux-pg", g.store);
#ifdef DATAMUX_C10D_NCCL
    if (device.is_cuda()) {
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = g.timeout;
      g.group = c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, env.rank, env.world_size, options);
      g.backend = "nccl";
      g.device = device;
    }
#endif
    if (!g.group) {
      auto options = c10d::ProcessGroupGloo::Options::create(g.timeout);
      // GLOO_SOCKET_IFNAME picks the network interface, as in PyTorch; else the host's name.
      const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
      options->devices.push_back(interface != nullptr && interface[0] != '\0'
                                     ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                                     : c10d::ProcessGroupGloo::createDefaultDevice());
      g.group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, env.rank, env.world_size, options);
    }
  } catch (const std::exception& error) {
    throw Error("rank " + std::to_string(env.rank) + " (of " + std::to_string(env.world_size) +
                "): cannot join the other ranks at " + where + " within " +
                std::to_string(g.timeout.count() / 1000) + " s (MASTER_ADDR, MASTER_PORT; " +
                "DATAMUX_DIST_TIMEOUT): " + first_line(error.what()));
  }
  g.heartbeat = std::thread([&g] { g.beat(); });
}

DataParallel::~DataParallel() {
  {
    std::lock_guard<std::mutex> lock(group_->mutex);
    group_->stopping = true;
  }
  group_->stop_beating.notify_all();
  if (group_->heartbeat.joinable()) group_->heartbeat.join();
}

int DataParallel::rank() const { return group_->env.rank; }
int DataParallel::world_size() const { return group_->env.world_size; }
const char* DataParallel::backend() const { return group_->backend; }

void DataParallel::fail(const std::string& what, const std::string& error) const {
  throw Error("rank " + std::to_string(rank()) + ": " + what + " failed: " + group_->culprit() +
              " (" + first_line(error) + "; the collective timeout is " +
              std::to_string(group_->timeout.count() / 1000) + " s, DATAMUX_DIST_TIMEOUT)");
}

void DataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
  try {
    torch::NoGradGuard no_grad;
    for (const auto& tensor : tensors) {
      std::vector<torch::Tensor> one = {tensor.is_contiguous() ? tensor : tensor.contiguous()};
      group_->wait(group_->group->broadcast(one));
      if (!one[0].is_same(tensor)) tensor.copy_(one[0]);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& error) {
    fail("broadcasting rank 0's weights", error.what());
  }
}

void DataParallel::average_gradients(const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> bucket;
  std::int64_t bucket_bytes = 0;
  auto reduce = [&] {
    if (bucket.empty()) return;
    std::vector<torch::Tensor> flat = {torch::utils::flatten_dense_tensors(bucket)};
    try {
      group_->wait(group_->group->allreduce(flat));
    } catch (const std::exception& error) {
      fail("averaging the gradients of step " + std::to_string(group_->step), error.what());
    }
    flat[0].div_(world_size());
    const auto parts = torch::utils::unflatten_dense_tensors(flat[0], bucket);
    for (std::size_t i = 0; i < bucket.size(); ++i) bucket[i].copy_(parts[i]);
    bucket.clear();
    bucket_bytes = 0;
  };
  for (const auto& parameter : parameters) {
    const torch::Tensor& grad = parameter.grad();
    if (!grad.defined()) continue;  // the same on every rank: the graph is the same
    if (!bucket.empty() && bucket.front().scalar_type() != grad.scalar_type()) reduce();
    bucket.push_back(grad);
    bucket_bytes += grad.numel() * static_cast<std::int64_t>(grad.element_size());
    if (bucket_bytes >= kBucketBytes) reduce();
  }
  reduce();
}

std::vector<double> DataParallel::average(const std::vector<double>& values) {
  std::vector<torch::Tensor> tensor = {torch::tensor(values, torch::kDouble).to(group_->device)};
  try {
    group_->wait(group_->group->allreduce(tensor));
  } catch (const std::exception& error) {
    fail("averaging the losses of step " + std::to_string(group_->step), error.what());
  }
  const torch::Tensor mean = tensor[0].div(world_size()).cpu();
  return {mean.data_ptr<double>(), mean.data_ptr<double>() + values.size()};
}

std::int64_t DataParallel::maximum(std::int64_t value) {
  return reduce_integer(value, c10d::ReduceOp::MAX);
}

std::int64_t DataParallel::minimum(std::int64_t value) {
  return reduce_integer(value, c10d::ReduceOp::MIN);
}

std::int64_t DataParallel::reduce_integer(std::int64_t value, const c10d::ReduceOp& op) {
  std::vector<torch::Tensor> tensor = {torch::tensor({value}, torch::kLong).to(group_->device)};
  try {
    group_->wait(group_->group->allreduce(tensor, c10d::AllreduceOptions{op}));
  } catch (const std::exception& error) {
    fail("agreeing with the other ranks at step " + std::to_string(group_->step), error.what());
  }
  return tensor[0].item<std::int64_t>();
}

std::vector<std::string> DataParallel::gather_digests(const std::string& digest) {
  const auto size = static_cast<std::int64_t>(digest.size());
  torch::Tensor bytes = torch::empty({size}, torch::kUInt8);
  std::memcpy(bytes.data_ptr(), digest.data(), digest.size());
  std::vector<torch::Tensor> input = {bytes.to(group_->device)};
  std::vector<std::vector<torch::Tensor>> output(1);
  for (int r = 0; r < world_size(); ++r)
    output[0].push_back(torch::empty({size}, torch::TensorOptions(torch::kUInt8).device(group_->device)));
  try {
    group_->wait(group_->group->allgather(output, input));
  } catch (const std::exception& error) {
    fail("comparing the final weights", error.what());
  }
  std::vector<std::string> digests;
  for (const auto& tensor : output[0]) {
    const torch::Tensor cpu = tensor.cpu();
    digests.emplace_back(static_cast<const char*>(cpu.data_ptr()), digest.size());
  }
  return digests;
}

void DataParallel::barrier() {
  try {
    c10d::BarrierOptions options;
    options.timeout = group_->timeout;
    group_->wait(group_->group->barrier(options));
  } catch (const std::exception& error) {
    fail("waiting for the other ranks at step " + std::to_string(group_->step), error.what());
  }
}

void DataParallel::note_step(std::int64_t step) {
  group_->step = step;
  try {
    group_->store->set(key("step", rank()), bytes(std::to_string(step)));
  } catch (const std::exception& error) {
    fail("noting step " + std::to_string(step) + " in the store", error.what());
  }
}

void DataParallel::note_failure(const std::string& message) {
  try {
    group_->store->setTimeout(kInquiryTimeout);
    group_->store->set(key("failed", rank()), bytes(first_line(message)));
  } catch (const std::exception&) {
    // Best effort: the others then name this rank by its silence.
  }
}

void DataParallel::use_local_gpu(const LaunchEnvironment& env) {
  if (!torch::cuda::is_available()) return;
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (env.local_rank >= count)
    throw Error("rank " + std::to_string(env.rank) + ": LOCAL_RANK " + std::to_string(env.local_rank) +
                " has no GPU of its own (this node has " + std::to_string(count) + ")");
  c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)
      ->setDevice(c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(env.local_rank)));
}

void DataParallel::seed_step(std::uint64_t seed, int rank, std::int64_t step) {
  // splitmix64 of (seed, rank, step): independent streams, the same on every platform.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(rank) + 1) +
                    0xbf58476d1ce4e5b9ULL * static_cast<std::uint64_t>(step + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  torch::manual_seed(z ^ (z >> 31));
}

}  // namespace datamux
