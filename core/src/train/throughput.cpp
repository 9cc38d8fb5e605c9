#include "datamux/core/throughput.h"

#include <algorithm>
#include <chrono>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "datamux/core/inference_scope.h"

namespace datamux {
namespace {

void synchronise(torch::Device device) {
  // Kernels run asynchronously on CUDA: without this the clock measures only their launch.
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

void run_pass(MuxModel& model, const std::vector<Batch>& batches) {
  for (const Batch& batch : batches) model.forward(batch, /*with_auxiliary=*/false);
}

}  // namespace

Throughput measure_throughput(MuxModel& model, const std::vector<Batch>& batches,
                              std::int64_t instances, std::int64_t repeats, torch::Device device) {
  Throughput result;
  result.instances = instances;
  result.repeats = repeats;
  result.device = device.str();
  if (batches.empty() || repeats <= 0 || instances <= 0) return result;

  const bool was_training = model.is_training();
  model.eval();
  InferenceScope inference;
  run_pass(model, batches);  // warm-up: allocator, caches, lazy initialisation
  std::vector<double> seconds;
  for (std::int64_t repeat = 0; repeat < repeats; ++repeat) {
    synchronise(device);
    const auto start = std::chrono::steady_clock::now();
    run_pass(model, batches);
    synchronise(device);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  model.train(was_training);

  std::sort(seconds.begin(), seconds.end());
  const std::size_t middle = seconds.size() / 2;
  result.median_seconds = seconds.size() % 2 == 1 ? seconds[middle]
                                                  : (seconds[middle - 1] + seconds[middle]) / 2;
  result.median_seconds = std::max(result.median_seconds, 1e-9);
  result.passes_per_second = 1.0 / result.median_seconds;
  result.instances_per_second = double(instances) / result.median_seconds;
  return result;
}

}  // namespace datamux
