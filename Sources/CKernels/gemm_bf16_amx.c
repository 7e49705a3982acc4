// C = A·Wᵀ on Intel AMX: A f32 activations [m, k] rounded to bf16, W bf16 weights [n, k] read in place,
// products summed in f32 inside the tile unit (TDPBF16PS), C f32 [m, n].
//
// AMX (Intel® AMX, https://www.intel.com/content/www/us/en/products/docs/accelerator-engines/advanced-matrix-extensions/overview.html)
// adds eight 1 KiB tile registers (16 rows × 64 bytes) and one instruction that matters here:
//   TDPBF16PS C, A, B:   C[i, j] += Σ_{r<16} A[i, 2r]·B[r, 2j] + A[i, 2r+1]·B[r, 2j+1]
// with A a 16×32 bf16 tile (rows of the left operand), B a 16×32 bf16 tile in "VNNI" order (row r holds, for each
// of 16 output columns j, the pair of depth positions 2r, 2r+1), C a 16×16 f32 tile: 16·16·32 multiply-adds.
//
// So for C = A·Wᵀ the left tile is 16 rows of A × 32 depth (A's own row order) and the right tile is 16 rows of W
// × 32 depth, re-ordered so each tile row is a depth pair for 16 weight rows — a 16×16 transpose of 32-bit pairs.
//
// Blocking (per calling thread, over its own columns [n0, n1)):
//   A is packed once per product (ck_pack_activations_bf16): bf16, [⌈m/32⌉·32, ⌈k/32⌉·32], each 16×32 tile
//     stored contiguously (1 KiB, loaded with a 64-byte stride); rows/columns past the edges are zero.
//   for each block of 32 weight rows (W's rows = C's columns):
//     pack those rows into VNNI tiles (2 column tiles × ⌈k/32⌉ depth tiles; 64 KiB at k = 1024, reused for all m)
//     for each depth chunk of 16 tiles (512; the chunk's 32 KiB of packed W stays in L1):
//       for each block of 32 rows of A:
//         4 accumulator tiles (2 row tiles × 2 column tiles), zero or reloaded from the partial sums: per 32-deep
//         step, load 2 A tiles and 2 W tiles, issue 4 TDPBF16PS; store to the partial sums, or after the last
//         chunk straight to C (through the partial sums and clipped at the edges).
// Tile registers: 0–3 accumulators, 4–5 A, 6–7 W.

#include "ckernels.h"
#include "bf16_pack.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// Depth tiles (of 32) per chunk: the chunk of the two packed weight tiles (2 × 16 KiB) stays in L1 while every
/// row block of A streams past it; partial sums wait in a per-thread buffer between chunks.
#define CK_DEPTH_CHUNK 16

#define CK_TARGET __attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512vl,avx512bf16")))

/// The 64-byte tile configuration (palette 1): every tile used is 16 rows × 64 bytes.
typedef struct {
    uint8_t palette;
    uint8_t startRow;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} __attribute__((packed, aligned(64))) CKTileConfig;

/// Writes a 16×16 f32 result tile held in `t` (row stride ldt floats) to C rows [i0, i0+16) ∩ [.., m), columns
/// [j0, j0+16) ∩ [.., jEnd).
CK_TARGET static inline void ck_store_clipped(const float *t, int ldt, float *c, int ldc, int i0, int m, int j0,
                                              int jEnd) {
    int rows = m - i0 < 16 ? m - i0 : 16;
    int cols = jEnd - j0 < 16 ? jEnd - j0 : 16;
    if (rows <= 0 || cols <= 0) return;
    __mmask16 mask = (__mmask16)((1u << cols) - 1);
    for (int i = 0; i < rows; i++) _mm512_mask_storeu_ps(c + (size_t)(i0 + i) * ldc + j0, mask, _mm512_loadu_ps(t + i * ldt));
}

CK_TARGET static void ck_gemm_bf16_amx_impl(const uint16_t *packed, int m, int k, const uint16_t *w, int ldw,
                                            int n0, int n1, float *c, int ldc) {
    const int kBlocks = ck_round_up(k, 32) / 32;
    const int mBlocks = ck_round_up(m, 32) / 32;
    CKTileConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (int t = 0; t < 8; t++) { cfg.rows[t] = 16; cfg.colsb[t] = 64; }
    _tile_loadconfig(&cfg);

    uint16_t *wPacked = aligned_alloc(64, (size_t)2 * kBlocks * 1024);
    // Partial sums of the current 32 columns for every row block between depth chunks: [mBlocks·32, 32] f32.
    float *partial = aligned_alloc(64, (size_t)mBlocks * 32 * 32 * sizeof(float));
    const size_t partialStride = 32 * sizeof(float);

    for (int nb = n0; nb < n1; nb += 32) {
        // The two column tiles of this block: weight rows [nb, nb+16) and [nb+16, nb+32).
        ck_pack_weights_vnni(w, ldw, k, nb, n1, wPacked);
        ck_pack_weights_vnni(w, ldw, k, nb + 16, n1, wPacked + (size_t)kBlocks * 512);
        const uint16_t *w0 = wPacked, *w1 = wPacked + (size_t)kBlocks * 512;
        const bool fullCols = nb + 32 <= n1;
        for (int kc0 = 0; kc0 < kBlocks; kc0 += CK_DEPTH_CHUNK) {
            const int kc1 = kc0 + CK_DEPTH_CHUNK < kBlocks ? kc0 + CK_DEPTH_CHUNK : kBlocks;
            const bool first = kc0 == 0, last = kc1 == kBlocks;
            for (int mb = 0; mb < mBlocks; mb++) {
                const uint16_t *a0 = packed + (size_t)(2 * mb) * kBlocks * 512;
                const uint16_t *a1 = a0 + (size_t)kBlocks * 512;
                float *p = partial + (size_t)mb * 32 * 32;
                if (first) {
                    _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
                } else {
                    _tile_loadd(0, p, partialStride);
                    _tile_loadd(1, p + 16, partialStride);
                    _tile_loadd(2, p + 16 * 32, partialStride);
                    _tile_loadd(3, p + 16 * 32 + 16, partialStride);
                }
                for (int kb = kc0; kb < kc1; kb++) {
                    _tile_loadd(4, a0 + kb * 512, 64);
                    _tile_loadd(5, a1 + kb * 512, 64);
                    _tile_loadd(6, w0 + kb * 512, 64);
                    _tile_loadd(7, w1 + kb * 512, 64);
                    _tile_dpbf16ps(0, 4, 6);
                    _tile_dpbf16ps(1, 4, 7);
                    _tile_dpbf16ps(2, 5, 6);
                    _tile_dpbf16ps(3, 5, 7);
                }
                const int i0 = 32 * mb;
                if (last && fullCols && i0 + 32 <= m) {                  // whole block inside C: store straight
                    float *cBlock = c + (size_t)i0 * ldc + nb;
                    size_t stride = (size_t)ldc * sizeof(float);
                    _tile_stored(0, cBlock, stride);
                    _tile_stored(1, cBlock + 16, stride);
                    _tile_stored(2, cBlock + (size_t)16 * ldc, stride);
                    _tile_stored(3, cBlock + (size_t)16 * ldc + 16, stride);
                } else {
                    _tile_stored(0, p, partialStride);
                    _tile_stored(1, p + 16, partialStride);
                    _tile_stored(2, p + 16 * 32, partialStride);
                    _tile_stored(3, p + 16 * 32 + 16, partialStride);
                    if (last) {                                           // an edge block: clip to C
                        ck_store_clipped(p, 32, c, ldc, i0, m, nb, n1);
                        ck_store_clipped(p + 16, 32, c, ldc, i0, m, nb + 16, n1);
                        ck_store_clipped(p + 16 * 32, 32, c, ldc, i0 + 16, m, nb, n1);
                        ck_store_clipped(p + 16 * 32 + 16, 32, c, ldc, i0 + 16, m, nb + 16, n1);
                    }
                }
            }
        }
    }
    free(partial);
    free(wPacked);
    _tile_release();
}

bool ck_gemm_bf16_amx(const uint16_t *packed, int m, int k, const void *w, int ldw, int n0, int n1,
                      float *c, int ldc) {
    if (!ck_amx_bf16_supported()) return false;
    if (ck_gemm_bf16_trivial(m, k, n0, n1, c, ldc)) return true;
    ck_gemm_bf16_amx_impl(packed, m, k, (const uint16_t *)w, ldw, n0, n1, c, ldc);
    return true;
}

#else

bool ck_gemm_bf16_amx(const uint16_t *packed, int m, int k, const void *w, int ldw, int n0, int n1,
                      float *c, int ldc) {
    (void)packed; (void)m; (void)k; (void)w; (void)ldw; (void)n0; (void)n1; (void)c; (void)ldc;
    return false;
}

#endif
