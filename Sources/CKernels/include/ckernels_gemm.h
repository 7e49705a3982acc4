// CKernels — f32 gemm helpers that Swift cannot express well: a 16×16 register transpose with AVX-512 shuffles.
//
// Safe to call on any machine: the AVX-512 code is compiled with a per-function target attribute and runs only
// after a runtime CPUID check; elsewhere the functions return false and the caller runs its Swift loop (which is
// also the naive twin the tests compare against).
#ifndef LMLAB_CKERNELS_GEMM_H
#define LMLAB_CKERNELS_GEMM_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Packs up to 12 rows of a row-major matrix into gemm's A-panel layout, depth-major, zero-padded to 12:
///   dst[p·12 + r] = r < rows ? a[r·lda + p] : 0    for r < 12, p < depth
/// (a [rows, depth] block with row stride lda floats becomes its transpose [depth, 12]; rows past `rows` are never
/// read). Works in 16×16 register transposes (12 rows + 4 ignored) with a scalar tail for depth mod 16.
/// Returns false, writing nothing, when rows is not in 1…12, the CPU lacks AVX-512F, or on non-x86 builds.
bool ck_pack_rows12_f32(const float *a, long lda, long rows, long depth, float *dst);

/// Packs up to 32 rows of a row-major matrix (gemm's B stored transposed) into gemm's B-panel layout, zero-padded:
///   dst[p·32 + j] = j < cols ? b[j·ldb + p] : 0    for j < 32, p < depth
/// Two 16×16 register transposes per 16 depth steps, scalar tail for depth mod 16; rows past `cols` are never read.
/// Returns false, writing nothing, when cols is not in 1…32, the CPU lacks AVX-512F, or on non-x86 builds.
bool ck_pack_cols32_f32(const float *b, long ldb, long cols, long depth, float *dst);

#ifdef __cplusplus
}
#endif

#endif
