#pragma once
// libtorch's CPU thread count, as run.threads and `datamux bench --threads` set it.
#include <cstdint>

namespace datamux {

// Sets libtorch's intra-op threads: `threads` > 0 exactly that many, 0 the default (see
// docs/performance.md, "Threads"). Returns the count set.
int apply_thread_setting(std::int64_t threads);

}  // namespace datamux
