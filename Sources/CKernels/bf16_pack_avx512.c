// The bf16 packing both bf16 gemms share (see bf16_pack.h for the layouts): activations rounded from f32 to bf16
// (nearest even, `vcvtne2ps2bf16`) into 16×32 tiles, and weight rows re-ordered into depth-pair ("VNNI") tiles by
// a 16×16 transpose of 32-bit pairs in registers.

#include "ckernels.h"
#include "bf16_pack.h"

size_t ck_packed_activations_bytes(int m, int k) {
    if (m <= 0 || k <= 0) return 0;
    return (size_t)ck_round_up(m, 32) * (size_t)ck_round_up(k, 32) * 2;
}

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_PACK_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

/// Transposes 16 rows of 16 32-bit lanes in place: r[i][j] ↔ r[j][i]. Four stages; stage b swaps, between rows
/// i and i+b (i with bit b clear), the lanes whose index has bit b set in row i with those clear in row i+b —
/// exchanging one bit of the row index with the same bit of the lane index. All four exchanges = transpose.
CK_PACK_TARGET static inline void ck_transpose16x16(__m512i r[16]) {
    for (int b = 8; b >= 1; b >>= 1) {
        int loIdx[16], hiIdx[16];
        for (int j = 0; j < 16; j++) {
            // new r[i][j]   = (j & b) ? r[i+b][j-b] : r[i][j]
            // new r[i+b][j] = (j & b) ? r[i+b][j]   : r[i][j+b]
            loIdx[j] = (j & b) ? (16 | (j - b)) : j;
            hiIdx[j] = (j & b) ? (16 | j) : (j + b);
        }
        __m512i lo = _mm512_loadu_si512(loIdx), hi = _mm512_loadu_si512(hiIdx);
        for (int i = 0; i < 16; i++) {
            if (i & b) continue;
            __m512i x = r[i], y = r[i + b];
            r[i] = _mm512_permutex2var_epi32(x, lo, y);
            r[i + b] = _mm512_permutex2var_epi32(x, hi, y);
        }
    }
}

/// Row i of A, depth block kb → 32 bf16 at tile (i/16, kb), row i%16. Rows ≥ m and depth ≥ k are zero.
CK_PACK_TARGET static void ck_pack_activations_bf16_impl(const float *a, int lda, int m, int k, int m0, int m1,
                                                    uint16_t *packed) {
    const int kBlocks = ck_round_up(k, 32) / 32;
    const int mPadded = ck_round_up(m, 32);
    int end = m1 >= m ? mPadded : m1;
    for (int i = m0; i < end; i++) {
        uint16_t *rowBase = packed + ((size_t)(i / 16) * kBlocks) * 512 + (size_t)(i % 16) * 32;
        for (int kb = 0; kb < kBlocks; kb++) {
            uint16_t *dst = rowBase + (size_t)kb * 512;
            if (i >= m) { _mm512_storeu_si512(dst, _mm512_setzero_si512()); continue; }
            const float *src = a + (size_t)i * lda + kb * 32;
            int valid = k - kb * 32;
            __m512 lo, hi;
            if (valid >= 32) {
                lo = _mm512_loadu_ps(src);
                hi = _mm512_loadu_ps(src + 16);
            } else {
                __mmask16 mlo = valid >= 16 ? 0xFFFF : (__mmask16)((1u << valid) - 1);
                __mmask16 mhi = valid <= 16 ? 0 : (__mmask16)((1u << (valid - 16)) - 1);
                lo = _mm512_maskz_loadu_ps(mlo, src);
                hi = _mm512_maskz_loadu_ps(mhi, src + 16);
            }
            __m512bh v = _mm512_cvtne2ps_pbh(hi, lo);                // round to nearest even; lo → lanes 0–15
            _mm512_storeu_si512(dst, (__m512i)v);
        }
    }
}

bool ck_pack_activations_bf16(const float *a, int lda, int m, int k, int m0, int m1, uint16_t *packed) {
    if (!ck_avx512bf16_supported()) return false;
    if (m <= 0 || k <= 0) return true;
    ck_pack_activations_bf16_impl(a, lda, m, k, m0, m1, packed);
    return true;
}

CK_PACK_TARGET void ck_pack_weights_vnni(const uint16_t *w, int ldw, int k, int r0, int rEnd, uint16_t *dst) {
    const int kBlocks = ck_round_up(k, 32) / 32;
    int rows = rEnd - r0;
    if (rows > 16) rows = 16;
    for (int kb = 0; kb < kBlocks; kb++) {
        __m512i r[16];
        int valid = k - kb * 32;
        __mmask32 mask = valid >= 32 ? 0xFFFFFFFFu : (__mmask32)((1ull << valid) - 1);
        for (int j = 0; j < 16; j++) {
            if (j < rows) {
                const uint16_t *src = w + (size_t)(r0 + j) * ldw + kb * 32;
                r[j] = valid >= 32 ? _mm512_loadu_si512(src) : _mm512_maskz_loadu_epi16(mask, src);
            } else {
                r[j] = _mm512_setzero_si512();
            }
        }
        ck_transpose16x16(r);                                        // r[pair][row j]
        uint16_t *tile = dst + (size_t)kb * 512;
        for (int p = 0; p < 16; p++) _mm512_storeu_si512(tile + p * 32, r[p]);
    }
}

#else

bool ck_pack_activations_bf16(const float *a, int lda, int m, int k, int m0, int m1, uint16_t *packed) {
    (void)a; (void)lda; (void)m; (void)k; (void)m0; (void)m1; (void)packed;
    return false;                                                    // not x86-64: the Swift path runs
}

#endif
