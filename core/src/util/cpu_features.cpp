#include "datamux/core/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace datamux {
namespace {

struct Bf16Support {
  bool avx512_bf16 = false;
  bool amx_bf16 = false;
};

Bf16Support detect() {
  Bf16Support found;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return found;
  // The instructions are usable only when the OS saves the AVX-512 (opmask, ZMM) state.
  __cpuid(1, eax, ebx, ecx, edx);
  const bool has_xsave = (ecx & (1u << 27)) != 0;  // OSXSAVE
  if (!has_xsave) return found;
  unsigned xcr0_low = 0, xcr0_high = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
  const bool os_saves_avx512 = (xcr0_low & 0xE6u) == 0xE6u;  // SSE, AVX, opmask, ZMM
  const bool os_saves_amx = (xcr0_low & (3u << 17)) == (3u << 17);  // XTILECFG, XTILEDATA
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool amx_bf16 = (edx & (1u << 22)) != 0;
  const bool avx512f = (ebx & (1u << 16)) != 0;
  __cpuid_count(7, 1, eax, ebx, ecx, edx);
  const bool avx512_bf16 = (eax & (1u << 5)) != 0;
  found.avx512_bf16 = avx512f && avx512_bf16 && os_saves_avx512;
  found.amx_bf16 = amx_bf16 && os_saves_amx;
#endif
  return found;
}

const Bf16Support& support() {
  static const Bf16Support found = detect();
  return found;
}

}  // namespace

bool cpu_has_native_bf16() { return support().avx512_bf16 || support().amx_bf16; }

std::string cpu_bf16_features() {
  std::string names;
  if (support().avx512_bf16) names += "avx512_bf16";
  if (support().amx_bf16) names += names.empty() ? "amx_bf16" : " amx_bf16";
  return names;
}

}  // namespace datamux
