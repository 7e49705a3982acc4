// CKernels — the few kernels Swift cannot express: Intel AMX tile instructions and AVX512-BF16.
//
// Every function here is safe to *call* on any machine: the x86 instructions are compiled with per-function
// target attributes and only run after runtime detection (CPUID + the OS's permission for AMX tile state).
// Elsewhere (macOS arm64, an x86 without the instructions) the functions return false and the caller runs its
// Swift path, which is also the naive twin the tests compare against.
#ifndef LMLAB_CKERNELS_H
#define LMLAB_CKERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ckernels_gemm.h"   // f32 gemm packing (training); included here so cached module maps see the new header
#include "ckernels_hints.h"  // prefetch and pause hints for LabCore's kernels and thread pool
#include "ckernels_int4.h"   // the int4 matvec on AVX-512 VNNI

#ifdef __cplusplus
extern "C" {
#endif

/// True when this CPU has AMX-TILE + AMX-BF16 (CPUID.7.0:EDX[24,22]) and AVX-512 (for packing), the OS saves
/// tile state (XCR0 bits 17–18) and — on Linux — granted this process permission to use it
/// (arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)). Checked once and cached. Ignores LMLAB_NO_AMX.
bool ck_amx_bf16_supported(void);
/// True when this CPU has AVX-512 F/BW/VL and AVX512-BF16 (CPUID.7.1:EAX[5]: `vcvtne2ps2bf16`, `vdpbf16ps`) and the
/// OS saves the 512-bit registers (XCR0). Checked once and cached. AMX-BF16 support implies it.
bool ck_avx512bf16_supported(void);
/// True when this CPU has AVX-512F (CPUID via the compiler's __builtin_cpu_supports): the 16-lane f32 registers
/// the fallback's widened f32 gemm uses (lesson 8's "which matrix engine" cell reports it).
bool ck_avx512f_supported(void);

/// Bytes of the packed activation buffer `ck_pack_activations_bf16` writes for an [m, k] input:
/// ⌈m/32⌉·32 rows × ⌈k/32⌉·32 columns of bf16.
size_t ck_packed_activations_bytes(int m, int k);

/// Packs A [m, k] (f32, row stride lda floats) into the AMX "VNNI" layout as bf16 (round to nearest even),
/// zero-padded to whole 32×32 blocks, rows [m0, m1) only (m0, m1 multiples of 32, or m1 = m) so threads can
/// split the work. Both bf16 gemms below read this layout. Returns false (writes nothing) without AVX512-BF16.
bool ck_pack_activations_bf16(const float *a, int lda, int m, int k, int m0, int m1, uint16_t *packed);

/// C[i, j] = Σₚ A[i, p] · W[j, p] for i < m and j in [n0, n1): C = A·Wᵀ with W a bf16 weight matrix [n, k]
/// (row stride ldw elements, any 2-byte alignment), A given packed by `ck_pack_activations_bf16`, f32 products
/// summed in f32, C f32 with row stride ldc floats. Configures the AMX tiles of the calling thread on entry and
/// releases them on exit, so any thread may call it (split [0, n) across threads). Returns false (writes
/// nothing) without AMX support.
bool ck_gemm_bf16_amx(const uint16_t *packed, int m, int k,
                      const void *w, int ldw, int n0, int n1,
                      float *c, int ldc);

/// The same product as `ck_gemm_bf16_amx`, same arguments and packed A, on AVX512-BF16 dot products (VDPBF16PS,
/// gemm_bf16_avx512.c) for CPUs without AMX: f32 sums, bf16 inputs below 2⁻¹²⁶ read as zero. Any thread may call
/// it for its own [n0, n1). Returns false (writes nothing) without AVX512-BF16.
bool ck_gemm_bf16_avx512(const uint16_t *packed, int m, int k,
                         const void *w, int ldw, int n0, int n1,
                         float *c, int ldc);

#ifdef __cplusplus
}
#endif

#endif
