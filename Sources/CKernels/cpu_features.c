// Runtime detection for ckernels.h, checked once and cached: AVX512-BF16 (CPUID bits and the OS's XSAVE state for
// the 512-bit registers), and on top of it AMX-BF16 (tile bits, tile state, and Linux's per-process permission for
// the 8 KiB of tile data: arch_prctl ARCH_REQ_XCOMP_PERM, kernel ≥ 5.16).
//
// Intel® Architecture Instruction Set Extensions Programming Reference, ch. 3 (AMX):
//   CPUID.(EAX=7,ECX=0):EDX[bit 24] AMX-TILE, [bit 22] AMX-BF16; CPUID.(EAX=7,ECX=1):EAX[bit 5] AVX512-BF16;
//   XCR0 bits 17 (XTILECFG) and 18 (XTILEDATA) must be enabled by the OS.

#include "ckernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <pthread.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

#define CK_ARCH_REQ_XCOMP_PERM 0x1023
#define CK_XFEATURE_XTILEDATA 18

static bool ck_bf16_ok = false, ck_amx_ok = false;
static pthread_once_t ck_bf16_once = PTHREAD_ONCE_INIT, ck_amx_once = PTHREAD_ONCE_INIT;

static unsigned long long ck_xgetbv0(void) {
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

/// AVX-512 F/BW/VL and AVX512-BF16 (`vcvtne2ps2bf16`, `vdpbf16ps`), with the OS saving the 512-bit state.
static void ck_detect_avx512bf16(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    if (!(c & (1u << 27))) return;                                   // OSXSAVE: xgetbv is usable
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return;
    bool avx512f = b & (1u << 16), avx512bw = b & (1u << 30), avx512vl = b & (1u << 31);
    if (!(avx512f && avx512bw && avx512vl)) return;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return;
    if (!(a & (1u << 5))) return;                                    // AVX512-BF16
    // XCR0: SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM (bits 1,2,5,6,7) for AVX-512.
    unsigned long long need = (1ull << 1) | (1ull << 2) | (1ull << 5) | (1ull << 6) | (1ull << 7);
    if ((ck_xgetbv0() & need) != need) return;
    ck_bf16_ok = true;
}

static void ck_detect_amx(void) {
    if (!ck_avx512bf16_supported()) return;                          // packing converts with AVX512-BF16
    unsigned int a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return;
    bool amxBF16 = d & (1u << 22), amxTile = d & (1u << 24);
    if (!(amxBF16 && amxTile)) return;
    // XCR0 bits 17 (XTILECFG) and 18 (XTILEDATA): the OS saves tile state.
    unsigned long long need = (1ull << 17) | (1ull << 18);
    if ((ck_xgetbv0() & need) != need) return;
#if defined(__linux__)
    // Linux keeps tile data out of the signal frame unless the process asks first; refused → fall back.
    if (syscall(SYS_arch_prctl, CK_ARCH_REQ_XCOMP_PERM, CK_XFEATURE_XTILEDATA) != 0) return;
#endif
    ck_amx_ok = true;
}

bool ck_avx512bf16_supported(void) {
    pthread_once(&ck_bf16_once, ck_detect_avx512bf16);
    return ck_bf16_ok;
}

bool ck_amx_bf16_supported(void) {
    pthread_once(&ck_amx_once, ck_detect_amx);
    return ck_amx_ok;
}

bool ck_avx512f_supported(void) { return __builtin_cpu_supports("avx512f"); }

#else

bool ck_amx_bf16_supported(void) { return false; }                   // not x86-64: the Swift path runs
bool ck_avx512bf16_supported(void) { return false; }
bool ck_avx512f_supported(void) { return false; }

#endif
