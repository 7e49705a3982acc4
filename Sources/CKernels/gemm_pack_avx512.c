// gemm A-panel packing for row-major A (see ckernels_gemm.h and LabCore/Kernels/GEMM.swift).
//
// gemm's microkernel reads A as a [depth, 12] panel: at every depth step p it broadcasts the 12 values
// A[0..<12, p]. For A stored row-major (a linear layer's input, ∂L/∂output in the backward pass) that is a
// transpose of a 12-row strip. Written as a plain loop it becomes one scatter (or 12 scalar stores) per depth
// step, which cost as much as a sixth of the multiply itself at the tiny ERNIE's shapes (N = 96…192 columns, so
// each packed panel feeds only 3–6 register tiles).
//
// Here 16 depth steps go at once: load 12 row vectors of 16 floats (rows ≥ `rows` read as zeros, 12–15 are
// don't-cares), transpose the
// 16×16 block in registers, store the first 12 lanes of each result (a masked store) at dst + p·12:
//   1. unpacklo/hi_ps on row pairs          → per 128-bit lane, pairs (r, r+1) of columns 4l, 4l+1 / 4l+2, 4l+3
//   2. shuffle_ps on pair results           → u[4g + j] holds rows 4g…4g+3 of column 4l + j in lane l
//   3. shuffle_f32x4 twice across lanes     → out[4l + j] = lane l of u[j], u[4+j], u[8+j], u[12+j]
// 12 loads, 12 + 12 + 32 shuffles and 16 masked stores per 192 values, instead of 192 scalar moves.

#include "ckernels_gemm.h"

#if defined(__x86_64__)
#include <immintrin.h>

static int ck_avx512f_state = -1;      // -1 unknown, 0 no, 1 yes (benign race: every thread computes the same)

static bool ck_has_avx512f(void) {
    if (ck_avx512f_state < 0) ck_avx512f_state = __builtin_cpu_supports("avx512f") ? 1 : 0;
    return ck_avx512f_state == 1;
}

__attribute__((target("avx512f")))
static void ck_pack_rows12_avx512(const float *a, long lda, long rows, long depth, float *dst) {
    const __mmask16 twelve = 0x0FFF;
    long p0 = 0;
    for (; p0 + 16 <= depth; p0 += 16) {
        __m512 r[12];
        for (int i = 0; i < 12; i++) r[i] = i < rows ? _mm512_loadu_ps(a + i * lda + p0) : _mm512_setzero_ps();
        __m512 t[12];
        for (int i = 0; i < 6; i++) {
            t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
            t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
        }
        __m512 u[16];
        for (int g = 0; g < 3; g++) {
            u[4 * g + 0] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(1, 0, 1, 0));
            u[4 * g + 1] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(3, 2, 3, 2));
            u[4 * g + 2] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(1, 0, 1, 0));
            u[4 * g + 3] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(3, 2, 3, 2));
        }
        for (int j = 0; j < 4; j++) u[12 + j] = u[8 + j];                  // rows 12–15: don't care (masked off)
        float *out = dst + p0 * 12;
        for (int j = 0; j < 4; j++) {
            __m512 x0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x44);        // [A0 A1 B0 B1]
            __m512 x1 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xEE);        // [A2 A3 B2 B3]
            __m512 y0 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x44);   // [C0 C1 D0 D1]
            __m512 y1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xEE);   // [C2 C3 D2 D3]
            _mm512_mask_storeu_ps(out + (0 + j) * 12, twelve, _mm512_shuffle_f32x4(x0, y0, 0x88));
            _mm512_mask_storeu_ps(out + (4 + j) * 12, twelve, _mm512_shuffle_f32x4(x0, y0, 0xDD));
            _mm512_mask_storeu_ps(out + (8 + j) * 12, twelve, _mm512_shuffle_f32x4(x1, y1, 0x88));
            _mm512_mask_storeu_ps(out + (12 + j) * 12, twelve, _mm512_shuffle_f32x4(x1, y1, 0xDD));
        }
    }
    for (long p = p0; p < depth; p++)
        for (int i = 0; i < 12; i++) dst[p * 12 + i] = i < rows ? a[i * lda + p] : 0.0f;
}

bool ck_pack_rows12_f32(const float *a, long lda, long rows, long depth, float *dst) {
    if (!ck_has_avx512f() || rows < 1 || rows > 12) return false;
    ck_pack_rows12_avx512(a, lda, rows, depth, dst);
    return true;
}

#else

bool ck_pack_rows12_f32(const float *a, long lda, long rows, long depth, float *dst) {
    (void)a; (void)lda; (void)rows; (void)depth; (void)dst;
    return false;                                                         // not x86-64: the Swift loop runs
}

#endif
