// C = A·Wᵀ with AVX512-BF16 dot products: A f32 activations [m, k] rounded to bf16, W bf16 weights [n, k] read in
// place, products summed in f32 (VDPBF16PS), C f32 [m, n]. For CPUs with AVX512-BF16 and no AMX (AMD Zen 4,
// Intel Cooper Lake): the same arithmetic as the AMX path and as PyTorch's bf16 linear there (oneDNN).
//
//   VDPBF16PS acc, x, y:   acc[j] += x[2j+1]·y[2j+1] + x[2j]·y[2j]      for the 16 f32 lanes j of a zmm
// 32 bf16 multiply-adds per instruction where an f32 FMA does 16, at the same issue rate on Zen 4, so the same
// register tile does twice the work (measured: ≈ 2× the f32 gemm per thread, docs/PERFORMANCE.md). Products of two bf16 are exact in f32; the instruction treats
// bf16 inputs below 2⁻¹²⁶ as zero and flushes f32 results below it to zero (DAZ/FTZ, whatever MXCSR says).
//
// Register tile: 8 rows of A × 48 columns of C (three groups of 16 weight rows) in 24 zmm accumulators.
// At each depth pair p it loads three 64-byte rows of packed W (pair p of 48 weight rows, bf16_pack.h's VNNI
// tiles) and broadcasts A's pair p of each of the 8 rows as one 32-bit value: 24 VDPBF16PS per 3 vector loads
// and 8 broadcast loads (`vbroadcastss`).
//
// Blocking (per calling thread, over its own columns [n0, n1), in panels of 48):
//   A is packed once per product (ck_pack_activations_bf16, shared with AMX): bf16 16×32 tiles, so an 8-row strip
//     reads 8 × 64 contiguous bytes per 32-deep block.
//   for each panel of 48 weight rows:
//     pack them into 3 groups of VNNI tiles (48·k bf16: 96 KiB at k = 1024, in L2; reused for all m rows)
//     for each 8-row strip of A: the 8×48 tile over the whole depth, stored to C once (clipped at the edges:
//       rows ≥ m and columns ≥ n1 are computed on zero padding and never stored).
// The panel streams from L2 at ≈ 8 bytes per cycle, well within what L2 delivers; splitting the depth into chunks
// that stay in L1 (as the AMX kernel does) measured slower here (1 thread, m = 512: 168 / 188 / 199 / 207 GFLOP/s
// for chunks of 128 / 256 / 512 / all of k = 1024), because every chunk stores and reloads the C tile.

#include "ckernels.h"
#include "bf16_pack.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

/// Rows of A and weight-row groups (of 16) in one register tile.
#define CK_MR 8
#define CK_NG 3

/// C[r, g·16 + j] = Σ_p A[r, pair p] · W[g·16 + j, pair p] for the 8 × (16·groups) register tile, r < rows,
/// g·16 + j < cols. `a` points at the strip's first row inside its 16×32 activation tiles (rows 64 bytes apart,
/// depth blocks 1 KiB apart); `w` at group 0's VNNI tiles, groups `wGroup` u32 apart. `groups` is a constant at
/// every call (1, 2, 3), so the compiler unrolls its loops away.
CK_BF16_TARGET static inline __attribute__((always_inline))
void ck_tile8(const uint32_t *a, const uint32_t *w, size_t wGroup, int kBlocks, int groups,
              float *c, int ldc, int rows, int cols) {
    __m512 acc[CK_MR][CK_NG];
    for (int r = 0; r < CK_MR; r++)
        for (int g = 0; g < CK_NG; g++) acc[r][g] = _mm512_setzero_ps();
    for (int kb = 0; kb < kBlocks; kb++) {
        const uint32_t *ab = a + (size_t)kb * 256;
        const uint32_t *wb = w + (size_t)kb * 256;
        for (int p = 0; p < 16; p++) {
            __m512bh b[CK_NG];
            for (int g = 0; g < groups; g++) b[g] = (__m512bh)_mm512_loadu_si512(wb + g * wGroup + p * 16);
            for (int r = 0; r < CK_MR; r++) {
                __m512bh x = (__m512bh)_mm512_set1_epi32((int)ab[r * 16 + p]);
                for (int g = 0; g < groups; g++) acc[r][g] = _mm512_dpbf16_ps(acc[r][g], x, b[g]);
            }
        }
    }
    for (int r = 0; r < CK_MR && r < rows; r++)
        for (int g = 0; g < groups; g++) {
            int valid = cols - 16 * g;
            if (valid <= 0) break;
            __mmask16 mask = valid >= 16 ? 0xFFFF : (__mmask16)((1u << valid) - 1);
            _mm512_mask_storeu_ps(c + (size_t)r * ldc + 16 * g, mask, acc[r][g]);
        }
}

/// Prefetches cache lines [l0, l1) of weight rows stored `ldw` apart, `rowLines` lines a row, into L2. Packing a
/// panel reads 48 rows of W straight from memory (the mapped file: each weight is read once per product), which
/// left the packing waiting on DRAM (3–4 % of prefill CPU); fetched while the previous panel computes, they come from
/// cache. The window of the last strips keeps the lines from being pushed out of L2 by A's tiles before use.
CK_BF16_TARGET static inline void ck_prefetch_rows(const uint16_t *w, int ldw, long rowLines, long l0, long l1) {
    for (long l = l0; l < l1; l++)
        _mm_prefetch((const char *)(w + (size_t)(l / rowLines) * ldw) + (l % rowLines) * 64, _MM_HINT_T1);
}

CK_BF16_TARGET static void ck_gemm_bf16_avx512_impl(const uint16_t *packed, int m, int k, const uint16_t *w,
                                                    int ldw, int n0, int n1, float *c, int ldc) {
    const int kBlocks = ck_round_up(k, 32) / 32;
    const size_t wGroup = (size_t)kBlocks * 256;                    // u32 per group of 16 packed weight rows
    uint32_t *wPacked = aligned_alloc(64, (size_t)CK_NG * wGroup * sizeof(uint32_t));
    const uint32_t *a32 = (const uint32_t *)packed;

    // The next panel's weight rows are fetched into cache during the last strips of this one (see ck_prefetch_rows).
    const int strips = (m + CK_MR - 1) / CK_MR;
    int window = (256 * 1024) / (CK_MR * 2 * k);                     // strips whose A tiles fit in 256 KiB
    if (window < 1) window = 1;
    if (window > strips) window = strips;
    const long rowLines = ((long)k * 2 + 63) / 64;

    for (int nb = n0; nb < n1; nb += 16 * CK_NG) {
        const int cols = n1 - nb < 16 * CK_NG ? n1 - nb : 16 * CK_NG;
        const int groups = (cols + 15) / 16;
        for (int g = 0; g < groups; g++)
            ck_pack_weights_vnni(w, ldw, k, nb + 16 * g, n1, (uint16_t *)(wPacked + g * wGroup));
        const int next = nb + 16 * CK_NG, nextRows = n1 - next < 16 * CK_NG ? n1 - next : 16 * CK_NG;
        const long nextLines = nextRows > 0 ? (long)nextRows * rowLines : 0;
        const long perStrip = (nextLines + window - 1) / window;
        for (int i0 = 0; i0 < m; i0 += CK_MR) {
            const int s = i0 / CK_MR - (strips - window);               // ≥ 0 inside the window
            if (s >= 0 && nextLines > 0)
                ck_prefetch_rows(w + (size_t)next * ldw, ldw, rowLines, s * perStrip,
                                 (s + 1) * perStrip < nextLines ? (s + 1) * perStrip : nextLines);
            // Strip i0 sits in 16-row tile i0/16 at row i0%16: rows 64 bytes apart, depth blocks 1 KiB apart.
            const uint32_t *a = a32 + (size_t)(i0 / 16) * kBlocks * 256 + (size_t)(i0 % 16) * 16;
            const int rows = m - i0 < CK_MR ? m - i0 : CK_MR;
            float *cTile = c + (size_t)i0 * ldc + nb;
            switch (groups) {
            case 3: ck_tile8(a, wPacked, wGroup, kBlocks, 3, cTile, ldc, rows, cols); break;
            case 2: ck_tile8(a, wPacked, wGroup, kBlocks, 2, cTile, ldc, rows, cols); break;
            default: ck_tile8(a, wPacked, wGroup, kBlocks, 1, cTile, ldc, rows, cols); break;
            }
        }
    }
    free(wPacked);
}

bool ck_gemm_bf16_avx512(const uint16_t *packed, int m, int k, const void *w, int ldw, int n0, int n1,
                         float *c, int ldc) {
    if (!ck_avx512bf16_supported()) return false;
    if (ck_gemm_bf16_trivial(m, k, n0, n1, c, ldc)) return true;
    ck_gemm_bf16_avx512_impl(packed, m, k, (const uint16_t *)w, ldw, n0, n1, c, ldc);
    return true;
}

#else

bool ck_gemm_bf16_avx512(const uint16_t *packed, int m, int k, const void *w, int ldw, int n0, int n1,
                         float *c, int ldc) {
    (void)packed; (void)m; (void)k; (void)w; (void)ldw; (void)n0; (void)n1; (void)c; (void)ldc;
    return false;                                                    // not x86-64: the Swift path runs
}

#endif
