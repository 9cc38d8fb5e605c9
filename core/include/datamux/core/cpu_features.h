#pragma once
// What the host CPU offers beyond the baseline, for choices libtorch does not make for us.
#include <string>

namespace datamux {

// True when the CPU executes bfloat16 dot products natively (AVX512_BF16 or AMX-BF16), so
// that bf16 matrix products run faster than fp32 instead of being emulated.
bool cpu_has_native_bf16();

// The native bf16 instruction sets found, e.g. "avx512_bf16 amx_bf16"; "" when none.
std::string cpu_bf16_features();

}  // namespace datamux
