// gemm panel packing — A panels of row-major A, B panels of transposed B (see ckernels_gemm.h, LabCore GEMM.swift).
//
// gemm's microkernel reads A as a [depth, 12] panel: at every depth step p it broadcasts the 12 values
// A[0..<12, p]. For A stored row-major (a linear layer's input, ∂L/∂output in the backward pass) that is a
// transpose of a 12-row strip. Written as a plain loop it becomes one scatter (or 12 scalar stores) per depth
// step, which cost as much as a sixth of the multiply itself at the tiny ERNIE's shapes (N = 96…192 columns, so
// each packed panel feeds only 3–6 register tiles).
//
// Here 16 depth steps go at once: load 12 row vectors of 16 floats (rows ≥ `rows` and 12–15 read as zeros),
// transpose the 16×16 block in registers (`ck_transpose16x16`), store the first 12 lanes of each result (a masked
// store) at dst + p·12. The transpose:
//   1. unpacklo/hi_ps on row pairs          → per 128-bit lane, pairs (r, r+1) of columns 4l, 4l+1 / 4l+2, 4l+3
//   2. shuffle_ps on pair results           → u[4g + j] holds rows 4g…4g+3 of column 4l + j in lane l
//   3. shuffle_f32x4 twice across lanes     → out[4l + j] = lane l of u[j], u[4+j], u[8+j], u[12+j]
// 12 loads, 16 + 16 + 32 shuffles and 16 masked stores per 192 values, instead of 192 scalar moves.
//
// gemm's B panel for a transposed B (attention's Q·Kᵀ) is the same transpose of ≤ 32 stored rows: both are
// ck_pack_panel_avx512 below, with the panel's width as a constant.

#include "ckernels_gemm.h"

#if defined(__x86_64__)
#include <immintrin.h>

static int ck_avx512f_state = -1;      // -1 unknown, 0 no, 1 yes (benign race: every thread computes the same)

static bool ck_has_avx512f(void) {
    if (ck_avx512f_state < 0) ck_avx512f_state = __builtin_cpu_supports("avx512f") ? 1 : 0;
    return ck_avx512f_state == 1;
}

/// 16×16 transpose in registers: out[c] lane i = r[i] lane c (the three shuffle stages described above).
__attribute__((target("avx512f")))
static inline void ck_transpose16x16(const __m512 r[16], __m512 out[16]) {
    __m512 t[16], u[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int g = 0; g < 4; g++) {
        u[4 * g + 0] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * g + 1] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[4 * g + 2] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * g + 3] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        __m512 x0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x44);
        __m512 x1 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xEE);
        __m512 y0 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x44);
        __m512 y1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xEE);
        out[0 + j] = _mm512_shuffle_f32x4(x0, y0, 0x88);
        out[4 + j] = _mm512_shuffle_f32x4(x0, y0, 0xDD);
        out[8 + j] = _mm512_shuffle_f32x4(x1, y1, 0x88);
        out[12 + j] = _mm512_shuffle_f32x4(x1, y1, 0xDD);
    }
}

// The two panels are one transpose: `width` stored rows of `depth` floats (rows ≥ n read as zeros) become a
// [depth, width] panel, dst[p·width + i] = i < n ? src[i·ld + p] : 0. gemm's A panel of a row-major A has width 12;
// its B panel of a transposed B (attention's S = Q·Kᵀ reads K as Bᵀ) has width 32. Each 16-deep step transposes
// ⌈width/16⌉ blocks of 16 stored rows and stores the panel's lanes of each (12 of A's one block, a masked store;
// all 16 of both of B's), instead of 192 or 512 scalar scatters. Inlined into each caller with its width constant.
__attribute__((target("avx512f"), always_inline))
static inline void ck_pack_panel_avx512(const float *src, long ld, long n, long depth, float *dst, const long width) {
    long p0 = 0;
    for (; p0 + 16 <= depth; p0 += 16) {
        for (long h = 0; 16 * h < width; h++) {
            __m512 r[16], out[16];
            for (long i = 0; i < 16; i++) {
                long j = 16 * h + i;
                r[i] = j < n ? _mm512_loadu_ps(src + j * ld + p0) : _mm512_setzero_ps();
            }
            ck_transpose16x16(r, out);
            const long lanes = width - 16 * h < 16 ? width - 16 * h : 16;
            const __mmask16 keep = (__mmask16)((1u << lanes) - 1);
            for (int c = 0; c < 16; c++) _mm512_mask_storeu_ps(dst + (p0 + c) * width + 16 * h, keep, out[c]);
        }
    }
    for (long p = p0; p < depth; p++)
        for (long i = 0; i < width; i++) dst[p * width + i] = i < n ? src[i * ld + p] : 0.0f;
}

__attribute__((target("avx512f")))
static void ck_pack_rows12_avx512(const float *a, long lda, long rows, long depth, float *dst) {
    ck_pack_panel_avx512(a, lda, rows, depth, dst, 12);
}

__attribute__((target("avx512f")))
static void ck_pack_cols32_avx512(const float *b, long ldb, long cols, long depth, float *dst) {
    ck_pack_panel_avx512(b, ldb, cols, depth, dst, 32);
}

bool ck_pack_rows12_f32(const float *a, long lda, long rows, long depth, float *dst) {
    if (!ck_has_avx512f() || rows < 1 || rows > 12) return false;
    ck_pack_rows12_avx512(a, lda, rows, depth, dst);
    return true;
}

bool ck_pack_cols32_f32(const float *b, long ldb, long cols, long depth, float *dst) {
    if (!ck_has_avx512f() || cols < 1 || cols > 32) return false;
    ck_pack_cols32_avx512(b, ldb, cols, depth, dst);
    return true;
}

#else

bool ck_pack_rows12_f32(const float *a, long lda, long rows, long depth, float *dst) {
    (void)a; (void)lda; (void)rows; (void)depth; (void)dst;
    return false;                                                         // not x86-64: the Swift loop runs
}

bool ck_pack_cols32_f32(const float *b, long ldb, long cols, long depth, float *dst) {
    (void)b; (void)ldb; (void)cols; (void)depth; (void)dst;
    return false;
}

#endif
