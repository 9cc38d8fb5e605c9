#include "datamux/core/threads.h"

#include <algorithm>
#include <thread>

#include <torch/torch.h>

namespace datamux {

int apply_thread_setting(std::int64_t threads) {
  // libtorch's own default can be a single thread (it was here), so 0 means every core.
  const auto cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int count = threads > 0 ? static_cast<int>(threads) : cores;
  torch::set_num_threads(count);
  return count;
}

}  // namespace datamux
