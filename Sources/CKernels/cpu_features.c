// Runtime detection of AMX-BF16 for ckernels.h: CPUID bits, the OS's XSAVE state, and Linux's per-process
// permission for the 8 KiB of tile data (arch_prctl ARCH_REQ_XCOMP_PERM, kernel ≥ 5.16). Checked once, cached.
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

static bool ck_amx_ok = false;
static pthread_once_t ck_amx_once = PTHREAD_ONCE_INIT;

static unsigned long long ck_xgetbv0(void) {
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

static void ck_detect_amx(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    if (!(c & (1u << 27))) return;                                   // OSXSAVE: xgetbv is usable
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return;
    bool avx512f = b & (1u << 16), avx512bw = b & (1u << 30), avx512vl = b & (1u << 31);
    bool amxBF16 = d & (1u << 22), amxTile = d & (1u << 24);
    if (!(avx512f && avx512bw && avx512vl && amxBF16 && amxTile)) return;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return;
    if (!(a & (1u << 5))) return;                                    // AVX512-BF16 (packing converts with it)
    // XCR0: SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM (bits 1,2,5,6,7) for AVX-512; XTILECFG, XTILEDATA (17,18) for AMX.
    unsigned long long xcr0 = ck_xgetbv0();
    unsigned long long need = (1ull << 1) | (1ull << 2) | (1ull << 5) | (1ull << 6) | (1ull << 7)
                            | (1ull << 17) | (1ull << 18);
    if ((xcr0 & need) != need) return;
#if defined(__linux__)
    // Linux keeps tile data out of the signal frame unless the process asks first; refused → fall back.
    if (syscall(SYS_arch_prctl, CK_ARCH_REQ_XCOMP_PERM, CK_XFEATURE_XTILEDATA) != 0) return;
#endif
    ck_amx_ok = true;
}

bool ck_amx_bf16_supported(void) {
    pthread_once(&ck_amx_once, ck_detect_amx);
    return ck_amx_ok;
}

bool ck_avx512f_supported(void) { return __builtin_cpu_supports("avx512f"); }

#else

bool ck_amx_bf16_supported(void) { return false; }                   // not x86-64: the Swift path runs
bool ck_avx512f_supported(void) { return false; }

#endif
