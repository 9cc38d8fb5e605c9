#pragma once
// Independent random streams derived from one seed, so that every consumer of randomness
// (a component's weights, a generated file) gets its own, all fixed by the run seed.
#include <cstdint>

namespace datamux {

// splitmix64 of (seed, stream): well-mixed, and stable across platforms and libtorch versions.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace datamux
