// The int4 decode kernel with AVX-512 VNNI: x quantised to int8 once per matvec, nibbles dotted with `vpdpbusd`.
//
// Per group of 32 weights (16 bytes: byte j holds n[j] in its low nibble and n[j+16] in its high one, n = q + 8):
//   Σ_j q[j]·x[j] ≈ dx · Σ_j (n[j] − 8)·qx[j] = dx · (Σ_j n[j]·qx[j] − 8·Σ_j qx[j])
// `vpdpbusd` multiplies unsigned bytes (the nibbles, 0…15) by signed bytes (qx) and adds each 4 products into one
// int32 lane, exactly (|sum| ≤ 32·15·127 < 2²⁴, so the int32 → float conversion is exact too). One 64-byte load
// holds 4 groups; `vpand` keeps the low nibbles, `vpsrlw` + `vpand` the high ones; their partners in x were
// rearranged once (`ck_int4_prepare_x`): per block of 4 groups, xlo = each group's first 16 qx, xhi = the last 16.
// The −8 folds into the accumulator's start value: lane l begins at −8 · Σ of the 8 qx it will meet. Lanes 4k…4k+3
// then hold group k's dot in parts; one conversion and one FMA by j[r, g]·dx[g] (the block's 32 int8 group scales
// widened with `vpmovsxbd` + `vcvtdq2ps`, times dx, each row's 4 spread over their 4 lanes with `vpermps`) add them
// to the row's float accumulator; the row's own scale s[r] multiplies the sum once, at the end of the row
// (d[r, g] = s[r] · j[r, g], MatVecInt4.swift).
//
// The weights are tiled (ckernels_int4.h): 8 rows per pass, and each tile's 8 rows × 128 columns with their group
// scales are one 544-byte block, the next block right after it, the tile's 8 row scales after its last block. A thread owning tiles [t0, t1) so reads ONE contiguous
// stream, which the hardware prefetcher follows; no software prefetch (measured: it only slows a long stream down,
// docs/PERFORMANCE.md, "int4: the tiled layout"). The row-major layout before it (4 rows + 4 scale rows = 8 streams
// a thread, prefetched 4 rows ahead) reached 18 GB/s with 2 threads where a plain read reaches 35.
//
// Prepared x, per block of 128 columns (256 bytes, 64-byte aligned):
//   [0, 64) xlo int8 · [64, 128) xhi int8 · [128, 192) start values int32 × 16 · [192, 256) dx per lane float × 16
// Padding groups (cols not a multiple of 128) are zero everywhere, and so are their weights and scales in the tiles.

#include <float.h>
#include "ckernels_int4.h"
#include <math.h>
#include <string.h>

#define CK_I4_BLOCK 256

size_t ck_int4_prepared_bytes(int cols) { return (size_t)((cols + 127) / 128) * CK_I4_BLOCK; }

#if defined(__x86_64__)
#include <immintrin.h>
#include <pthread.h>

static bool ck_vnni_ok = false;
static pthread_once_t ck_vnni_once = PTHREAD_ONCE_INIT;

static void ck_detect_vnni(void) {
    __builtin_cpu_init();                         // compiler-rt also checks the OS saves the ZMM state (XCR0)
    ck_vnni_ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
              && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

bool ck_avx512vnni_supported(void) {
    pthread_once(&ck_vnni_once, ck_detect_vnni);
    return ck_vnni_ok;
}

#define CK_I4_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// Per group of 32: dx = max|x| / 127 and qx = round(x / dx) (`vcvtps2dq` rounds to nearest, ties to even — the
/// default mode, as `nearbyintf`), clamped to ±127, narrowed to bytes with `vpmovdb`. A NaN or ±∞ (x − x not 0)
/// stops it.
CK_I4_TARGET bool ck_int4_prepare_x(const float *x, int cols, void *prepared) {
    if (!ck_avx512vnni_supported() || cols % 32 != 0) return false;
    const int groups = cols / 32;
    const __m512 zero = _mm512_setzero_ps();
    const __m512i lim = _mm512_set1_epi32(127), nlim = _mm512_set1_epi32(-127);
    memset(prepared, 0, ck_int4_prepared_bytes(cols));
    for (int g = 0; g < groups; g++) {
        __m512 v0 = _mm512_loadu_ps(x + 32 * g), v1 = _mm512_loadu_ps(x + 32 * g + 16);
        if (_mm512_cmp_ps_mask(_mm512_sub_ps(v0, v0), zero, _CMP_EQ_OQ) != 0xFFFF
            || _mm512_cmp_ps_mask(_mm512_sub_ps(v1, v1), zero, _CMP_EQ_OQ) != 0xFFFF) return false;
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
        float dx = amax / 127.0f;
        uint8_t *block = (uint8_t *)prepared + (size_t)(g / 4) * CK_I4_BLOCK;
        int k = g % 4;
        int8_t *xlo = (int8_t *)block + 16 * k, *xhi = (int8_t *)block + 64 + 16 * k;
        int32_t *start = (int32_t *)(block + 128) + 4 * k;
        float *scale = (float *)(block + 192) + 4 * k;
        __m512i q0 = _mm512_setzero_si512(), q1 = _mm512_setzero_si512();
        if (dx != 0) {                                                  // dx = 0: every qx stays 0
            __m512 d = _mm512_set1_ps(dx);
            q0 = _mm512_max_epi32(nlim, _mm512_min_epi32(lim, _mm512_cvtps_epi32(_mm512_div_ps(v0, d))));
            q1 = _mm512_max_epi32(nlim, _mm512_min_epi32(lim, _mm512_cvtps_epi32(_mm512_div_ps(v1, d))));
        }
        _mm_storeu_si128((__m128i *)xlo, _mm512_cvtepi32_epi8(q0));
        _mm_storeu_si128((__m128i *)xhi, _mm512_cvtepi32_epi8(q1));
        for (int l = 0; l < 4; l++) {                                   // lane l meets xlo[4l…4l+3] and xhi[4l…4l+3]
            int s = 0;
            for (int t = 0; t < 4; t++) s += xlo[4 * l + t] + xhi[4 * l + t];
            start[l] = -8 * s;
            scale[l] = dx;
        }
    }
    return true;
}

/// facc + cvt(Σ nibbles·qx − 8·Σqx per lane) · s for one row's 64 bytes (4 groups) of a block; s holds the row's
/// d[g]·dx[g] in lanes 4g…4g+3.
CK_I4_TARGET static inline __m512 ck_i4_row(__m512 facc, __m512i w, const uint8_t *xb, __m512 s) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    __m512i lo = _mm512_and_si512(w, low);
    __m512i hi = _mm512_and_si512(_mm512_srli_epi16(w, 4), low);
    __m512i acc = _mm512_load_si512((const void *)(xb + 128));
    acc = _mm512_dpbusd_epi32(acc, lo, _mm512_load_si512((const void *)xb));
    acc = _mm512_dpbusd_epi32(acc, hi, _mm512_load_si512((const void *)(xb + 64)));
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc), s, facc);
}

/// The group scales of rows 4h…4h+3 of a block times x's dx: element 4k + g = j[4h + k, g] · dx[g].
CK_I4_TARGET static inline __m512 ck_i4_scales(const uint8_t *tb, int h, const uint8_t *xb) {
    const __m512i every4 = _mm512_set_epi32(12, 8, 4, 0, 12, 8, 4, 0, 12, 8, 4, 0, 12, 8, 4, 0);
    __m512 d = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(tb + 512 + 16 * h))));
    return _mm512_mul_ps(d, _mm512_permutexvar_ps(every4, _mm512_load_ps((const float *)(xb + 192))));
}

/// Row k's (k < 4) d·dx spread from element 4k + g of `ds` to lanes 4g…4g+3.
#define CK_I4_SPREAD(ds, k) \
    _mm512_permutexvar_ps(_mm512_set_epi32(4 * (k) + 3, 4 * (k) + 3, 4 * (k) + 3, 4 * (k) + 3, 4 * (k) + 2, \
        4 * (k) + 2, 4 * (k) + 2, 4 * (k) + 2, 4 * (k) + 1, 4 * (k) + 1, 4 * (k) + 1, 4 * (k) + 1, \
        4 * (k), 4 * (k), 4 * (k), 4 * (k)), ds)

CK_I4_TARGET void ck_matvec_int4_vnni(const uint8_t *tiles, int rows, int cols, const void *prepared, int t0, int t1,
                                      float *y) {
    const int blocks = (cols + 127) / 128;
    const size_t tileBytes = ck_int4_tile_bytes(cols);
    const uint8_t *xp = (const uint8_t *)prepared;
    for (int t = t0; t < t1; t++) {                                     // one tile: 8 rows, one contiguous run
        const uint8_t *tp = tiles + (size_t)t * tileBytes;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        __m512 a4 = _mm512_setzero_ps(), a5 = _mm512_setzero_ps(), a6 = _mm512_setzero_ps(), a7 = _mm512_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            const uint8_t *tb = tp + (size_t)b * CK_I4_TILE_BLOCK, *xb = xp + (size_t)b * CK_I4_BLOCK;
            __m512 lo = ck_i4_scales(tb, 0, xb), hi = ck_i4_scales(tb, 1, xb);
            a0 = ck_i4_row(a0, _mm512_loadu_si512((const void *)tb), xb, CK_I4_SPREAD(lo, 0));
            a1 = ck_i4_row(a1, _mm512_loadu_si512((const void *)(tb + 64)), xb, CK_I4_SPREAD(lo, 1));
            a2 = ck_i4_row(a2, _mm512_loadu_si512((const void *)(tb + 128)), xb, CK_I4_SPREAD(lo, 2));
            a3 = ck_i4_row(a3, _mm512_loadu_si512((const void *)(tb + 192)), xb, CK_I4_SPREAD(lo, 3));
            a4 = ck_i4_row(a4, _mm512_loadu_si512((const void *)(tb + 256)), xb, CK_I4_SPREAD(hi, 0));
            a5 = ck_i4_row(a5, _mm512_loadu_si512((const void *)(tb + 320)), xb, CK_I4_SPREAD(hi, 1));
            a6 = ck_i4_row(a6, _mm512_loadu_si512((const void *)(tb + 384)), xb, CK_I4_SPREAD(hi, 2));
            a7 = ck_i4_row(a7, _mm512_loadu_si512((const void *)(tb + 448)), xb, CK_I4_SPREAD(hi, 3));
        }
        float out[8] = {
            _mm512_reduce_add_ps(a0), _mm512_reduce_add_ps(a1), _mm512_reduce_add_ps(a2), _mm512_reduce_add_ps(a3),
            _mm512_reduce_add_ps(a4), _mm512_reduce_add_ps(a5), _mm512_reduce_add_ps(a6), _mm512_reduce_add_ps(a7)};
        const float *rs = (const float *)(tp + (size_t)blocks * CK_I4_TILE_BLOCK);     // the tile's row scales
        for (int k = 0; k < CK_I4_TILE_ROWS && 8 * t + k < rows; k++) y[8 * t + k] = out[k] * rs[k];   // padding rows: not stored
    }
}

/// Rows 4h…4h+3 of one tile against `nv` (1…4) prepared vectors `stride` bytes apart: out[k][v].
CK_I4_TARGET static inline __attribute__((always_inline))
void ck_i4_half_tile(const uint8_t *tp, int blocks, int h, const uint8_t *x0, size_t stride, int nv, float out[4][4]) {
    __m512 a[4][4];
    for (int k = 0; k < 4; k++) for (int v = 0; v < nv; v++) a[k][v] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const uint8_t *tb = tp + (size_t)b * CK_I4_TILE_BLOCK + 256 * h, *xb = x0 + (size_t)b * CK_I4_BLOCK;
        __m512i w0 = _mm512_loadu_si512((const void *)tb), w1 = _mm512_loadu_si512((const void *)(tb + 64));
        __m512i w2 = _mm512_loadu_si512((const void *)(tb + 128)), w3 = _mm512_loadu_si512((const void *)(tb + 192));
        for (int v = 0; v < nv; v++) {                                  // the 4 rows stay in registers
            const uint8_t *xv = xb + v * stride;
            __m512 ds = ck_i4_scales(tp + (size_t)b * CK_I4_TILE_BLOCK, h, xv);
            a[0][v] = ck_i4_row(a[0][v], w0, xv, CK_I4_SPREAD(ds, 0));
            a[1][v] = ck_i4_row(a[1][v], w1, xv, CK_I4_SPREAD(ds, 1));
            a[2][v] = ck_i4_row(a[2][v], w2, xv, CK_I4_SPREAD(ds, 2));
            a[3][v] = ck_i4_row(a[3][v], w3, xv, CK_I4_SPREAD(ds, 3));
        }
    }
    for (int k = 0; k < 4; k++) for (int v = 0; v < nv; v++) out[k][v] = _mm512_reduce_add_ps(a[k][v]);
}

CK_I4_TARGET void ck_matvec_int4_vnni_batch(const uint8_t *tiles, int rows, int cols, const void *prepared, int batch,
                                            int t0, int t1, float *y, int ldy) {
    const int blocks = (cols + 127) / 128;
    const size_t tileBytes = ck_int4_tile_bytes(cols), stride = ck_int4_prepared_bytes(cols);
    const uint8_t *xp = (const uint8_t *)prepared;
    for (int t = t0; t < t1; t++) {
        const uint8_t *tp = tiles + (size_t)t * tileBytes;
        for (int v = 0; v < batch; v += 4) {                            // 4 vectors per pass; the tile stays in L1/L2
            const int nv = batch - v < 4 ? batch - v : 4;
            const uint8_t *x0 = xp + (size_t)v * stride;
            for (int h = 0; h < 2; h++) {
                float out[4][4];
                switch (nv) {                                           // a constant count: the loops unroll
                case 1: ck_i4_half_tile(tp, blocks, h, x0, stride, 1, out); break;
                case 2: ck_i4_half_tile(tp, blocks, h, x0, stride, 2, out); break;
                case 3: ck_i4_half_tile(tp, blocks, h, x0, stride, 3, out); break;
                default: ck_i4_half_tile(tp, blocks, h, x0, stride, 4, out); break;
                }
                const float *rs = (const float *)(tp + (size_t)blocks * CK_I4_TILE_BLOCK) + 4 * h;
                for (int k = 0; k < 4; k++) {
                    const int r = 8 * t + 4 * h + k;
                    if (r >= rows) break;                               // padding rows: not stored
                    for (int j = 0; j < nv; j++) y[(size_t)(v + j) * ldy + r] = out[k][j] * rs[k];
                }
            }
        }
    }
}

/// The steps the quantiser tries for a group, as factors of round(−127 · m / M) (LabCore's `int4StepFactors`, in
/// the same order: the first of equal errors wins, so absmax's step is kept unless another is strictly better).
#define CK_I4_STEP_TRIES 9
static const float ck_i4_step_factors[CK_I4_STEP_TRIES] = {
    1.0f, 0.96875f, 1.03125f, 0.9375f, 1.0625f, 0.90625f, 1.09375f, 0.875f, 1.125f};

/// Σ of 16 lanes in a fixed order, as `int4TreeSum`: lanes i and i + 8, then i and i + 4, i + 2, i + 1.
CK_I4_TARGET static inline float ck_i4_tree_sum(__m512 v) {
    __m256 a = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 b = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    __m128 c = _mm_add_ps(b, _mm_movehl_ps(b, b));
    __m128 d = _mm_add_ss(c, _mm_shuffle_ps(c, c, 1));
    return _mm_cvtss_f32(d);
}

/// Codes of 16 weights for a step's inverse: round-to-even(clamp(w · inverse, −8, 7)), as floats.
CK_I4_TARGET static inline __m512 ck_i4_codes(__m512 w, __m512 inverse) {
    const __m512 lo = _mm512_set1_ps(-8.0f), hi = _mm512_set1_ps(7.0f);
    return _mm512_roundscale_ps(_mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_mul_ps(w, inverse))),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

/// One row of weights → int4 codes, group scales and the row scale, byte for byte as LabCore's `quantizeRowInt4`
/// (its scalar definition, kept as the naive twin). Two passes over the row: the first finds each group's m (the
/// first weight of largest magnitude, +0 for an all-zero group) and M = max |m|; then s = M / 1016 (0 when that is
/// not a normal float), t = −127 / M, and per group, for each factor f of `ck_i4_step_factors`,
/// j = clamp(round-to-even((m · t) · f), −127, 127), d = j · s, codes q = round-to-even(clamp(w · (1/d), −8, 7))
/// (0 when d = 0) and the error Σ (w − d·q)² (products and differences rounded one at a time, no FMA; summed as
/// (e[i]² + e[i+16]²) over 16 lanes, then `ck_i4_tree_sum`); the j of least error is kept (the first of equals),
/// and byte i = q[i] + 8 | (q[i+16] + 8) << 4. Returns false for a NaN or ±∞ weight.
CK_I4_TARGET bool ck_int4_quantize_row(const float *w, int count, uint8_t *packed, int8_t *scales, float *rowScale) {
    if (!ck_avx512vnni_supported() || count % 32 != 0) return false;
    const __m512 zero = _mm512_setzero_ps();
    const __m512i eight = _mm512_set1_epi32(8);
    const int groups = count / 32;
    float big = 0.0f;
    for (int g = 0; g < groups; g++) {                                  // pass 1: M, the largest magnitude in the row
        __m512 v0 = _mm512_loadu_ps(w + 32 * g), v1 = _mm512_loadu_ps(w + 32 * g + 16);
        if (_mm512_cmp_ps_mask(_mm512_sub_ps(v0, v0), zero, _CMP_EQ_OQ) != 0xFFFF
            || _mm512_cmp_ps_mask(_mm512_sub_ps(v1, v1), zero, _CMP_EQ_OQ) != 0xFFFF) return false;
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
        if (amax > big) big = amax;
    }
    const float s = big / 1016.0f;
    const bool normal = s >= FLT_MIN;                                   // M below ~1.2e-35 reads as zeros
    const float rs = normal ? s : 0.0f, t = normal ? -127.0f / big : 0.0f;
    *rowScale = rs;
    for (int g = 0; g < groups; g++) {
        __m512 v0 = _mm512_loadu_ps(w + 32 * g), v1 = _mm512_loadu_ps(w + 32 * g + 16);
        __m512 a0 = _mm512_abs_ps(v0), a1 = _mm512_abs_ps(v1);
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(a0, a1));
        float m = 0.0f;
        if (amax != 0) {
            __m512 am = _mm512_set1_ps(amax);
            uint32_t at = (uint32_t)_mm512_cmp_ps_mask(a0, am, _CMP_EQ_OQ)
                        | (uint32_t)_mm512_cmp_ps_mask(a1, am, _CMP_EQ_OQ) << 16;
            m = w[32 * g + __builtin_ctz(at)];
        }
        const float base = m * t;
        float err[CK_I4_STEP_TRIES], step[CK_I4_STEP_TRIES];
        for (int c = 0; c < CK_I4_STEP_TRIES; c++) {                   // each tried step's squared error, no branch
            float jf = nearbyintf(base * ck_i4_step_factors[c]);
            step[c] = jf < -127.0f ? -127.0f : jf > 127.0f ? 127.0f : jf;
            const float d = step[c] * rs;
            const __m512 inverse = _mm512_set1_ps(d == 0 ? 0.0f : 1.0f / d), dv = _mm512_set1_ps(d);
            const __m512 c0 = ck_i4_codes(v0, inverse), c1 = ck_i4_codes(v1, inverse);
            const __m512 e0 = _mm512_sub_ps(v0, _mm512_mul_ps(dv, c0)), e1 = _mm512_sub_ps(v1, _mm512_mul_ps(dv, c1));
            err[c] = ck_i4_tree_sum(_mm512_add_ps(_mm512_mul_ps(e0, e0), _mm512_mul_ps(e1, e1)));
        }
        int kept = 0;                                                   // the least error, the first of equals
        for (int c = 1; c < CK_I4_STEP_TRIES; c++) kept = err[c] < err[kept] ? c : kept;
        scales[g] = (int8_t)step[kept];
        const float d = step[kept] * rs;
        const __m512 inverse = _mm512_set1_ps(d == 0 ? 0.0f : 1.0f / d);
        __m512i q0 = _mm512_add_epi32(eight, _mm512_cvtps_epi32(ck_i4_codes(v0, inverse)));
        __m512i q1 = _mm512_add_epi32(eight, _mm512_cvtps_epi32(ck_i4_codes(v1, inverse)));
        __m128i bytes = _mm_or_si128(_mm512_cvtepi32_epi8(q0), _mm_slli_epi16(_mm512_cvtepi32_epi8(q1), 4));
        _mm_storeu_si128((__m128i *)(packed + 16 * g), bytes);
    }
    return true;
}

#else

bool ck_avx512vnni_supported(void) { return false; }                   // not x86-64: the Swift path runs
bool ck_int4_prepare_x(const float *x, int cols, void *prepared) { (void)x; (void)cols; (void)prepared; return false; }
bool ck_int4_quantize_row(const float *w, int count, uint8_t *packed, int8_t *scales, float *rowScale) {
    (void)w; (void)count; (void)packed; (void)scales; (void)rowScale; return false;
}
void ck_matvec_int4_vnni(const uint8_t *tiles, int rows, int cols, const void *prepared, int t0, int t1, float *y) {
    (void)tiles; (void)rows; (void)cols; (void)prepared; (void)t0; (void)t1; (void)y;
}
void ck_matvec_int4_vnni_batch(const uint8_t *tiles, int rows, int cols, const void *prepared, int batch,
                               int t0, int t1, float *y, int ldy) {
    (void)tiles; (void)rows; (void)cols; (void)prepared; (void)batch; (void)t0; (void)t1; (void)y; (void)ldy;
}

#endif
