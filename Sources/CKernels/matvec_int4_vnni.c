// The int4 decode kernel with AVX-512 VNNI: x quantised to int8 once per matvec, nibbles dotted with `vpdpbusd`.
//
// Per group of 32 weights (16 bytes: byte j holds n[j] in its low nibble and n[j+16] in its high one, n = q + 8):
//   Σ_j q[j]·x[j] ≈ dx · Σ_j (n[j] − 8)·qx[j] = dx · (Σ_j n[j]·qx[j] − 8·Σ_j qx[j])
// `vpdpbusd` multiplies unsigned bytes (the nibbles, 0…15) by signed bytes (qx) and adds each 4 products into one
// int32 lane, exactly (|sum| ≤ 32·15·127 < 2²⁴, so the int32 → float conversion is exact too). One 64-byte load
// holds 4 groups; `vpand` keeps the low nibbles, `vpsrlw` + `vpand` the high ones; their partners in x were
// rearranged once (`ck_int4_prepare_x`): per block of 4 groups, xlo = each group's first 16 qx, xhi = the last 16.
// The −8 folds into the accumulator's start value: lane l begins at −8 · Σ of the 8 qx it will meet. Lanes 4k…4k+3
// then hold group k's dot in parts; one conversion and one FMA by d[r, g]·dx[g] (d's 4 floats spread over their 4
// lanes with `vpermps`) add them to the row's float accumulator. 4 rows per pass; the rows 4 ahead are prefetched.
//
// Prepared x, per block of 128 columns (256 bytes, 64-byte aligned):
//   [0, 64) xlo int8 · [64, 128) xhi int8 · [128, 192) start values int32 × 16 · [192, 256) dx per lane float × 16
// Padding groups (cols not a multiple of 128) are zero everywhere, and their weights and scales are loaded masked.

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

bool ck_int4_prepare_x(const float *x, int cols, void *prepared) {
    if (!ck_avx512vnni_supported() || cols % 32 != 0) return false;
    int groups = cols / 32;
    memset(prepared, 0, ck_int4_prepared_bytes(cols));
    for (int g = 0; g < groups; g++) {
        const float *xg = x + 32 * g;
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            if (!isfinite(xg[j])) return false;
            float a = fabsf(xg[j]);
            if (a > amax) amax = a;
        }
        float dx = amax / 127.0f;
        uint8_t *block = (uint8_t *)prepared + (size_t)(g / 4) * CK_I4_BLOCK;
        int k = g % 4;
        int8_t *xlo = (int8_t *)block + 16 * k, *xhi = (int8_t *)block + 64 + 16 * k;
        int32_t *start = (int32_t *)(block + 128) + 4 * k;
        float *scale = (float *)(block + 192) + 4 * k;
        for (int j = 0; j < 32; j++) {
            float q = dx == 0 ? 0 : nearbyintf(xg[j] / dx);      // the default rounding mode: to nearest, ties to even
            q = q > 127 ? 127 : (q < -127 ? -127 : q);
            if (j < 16) xlo[j] = (int8_t)q; else xhi[j - 16] = (int8_t)q;
        }
        for (int l = 0; l < 4; l++) {
            int s = 0;
            for (int t = 0; t < 4; t++) s += xlo[4 * l + t] + xhi[4 * l + t];
            start[l] = -8 * s;
            scale[l] = dx;
        }
    }
    return true;
}

#define CK_I4_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// facc + cvt(Σ nibbles·qx − 8·Σqx per lane) · (d spread over lanes · dx) for one block of 4 groups.
CK_I4_TARGET static inline __m512 ck_i4_step(__m512 facc, __m512i w, __m128 d4, const uint8_t *xb) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    const __m512i spread = _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
    __m512i lo = _mm512_and_si512(w, low);
    __m512i hi = _mm512_and_si512(_mm512_srli_epi16(w, 4), low);
    __m512i acc = _mm512_load_si512((const void *)(xb + 128));
    acc = _mm512_dpbusd_epi32(acc, lo, _mm512_load_si512((const void *)xb));
    acc = _mm512_dpbusd_epi32(acc, hi, _mm512_load_si512((const void *)(xb + 64)));
    __m512 s = _mm512_mul_ps(_mm512_permutexvar_ps(spread, _mm512_castps128_ps512(d4)),
                             _mm512_load_ps((const float *)(xb + 192)));
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc), s, facc);
}

/// The weights and scales of block b of a row (masked in the last, partial block).
#define CK_I4_LOAD(W, D, b) \
    (b < full ? _mm512_loadu_si512((const void *)((W) + 64 * (b))) : _mm512_maskz_loadu_epi8(wmask, (W) + 64 * (b)))
#define CK_I4_LOADD(D, b) \
    (b < full ? _mm_loadu_ps((D) + 4 * (b)) : _mm_maskz_loadu_ps(dmask, (D) + 4 * (b)))

CK_I4_TARGET void ck_matvec_int4_vnni(const uint8_t *packed, const float *scales, int cols, const void *prepared,
                                      int r0, int r1, float *y) {
    const int groups = cols / 32, rb = cols / 2, full = groups / 4, blocks = (groups + 3) / 4;
    const int tail = groups % 4;
    const __mmask64 wmask = tail ? (((__mmask64)1 << (16 * tail)) - 1) : ~(__mmask64)0;
    const __mmask8 dmask = (__mmask8)((1u << tail) - 1);
    const uint8_t *xp = (const uint8_t *)prepared;
    int r = r0;
    for (; r + 4 <= r1; r += 4) {
        const uint8_t *w0 = packed + (size_t)r * rb;
        const float *d0 = scales + (size_t)r * groups;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            const uint8_t *xb = xp + (size_t)b * CK_I4_BLOCK;
            if (r + 8 <= r1) {
                const char *next = (const char *)(w0 + 4 * (size_t)rb + 64 * (size_t)b);
                _mm_prefetch(next, _MM_HINT_T0); _mm_prefetch(next + rb, _MM_HINT_T0);
                _mm_prefetch(next + 2 * (size_t)rb, _MM_HINT_T0); _mm_prefetch(next + 3 * (size_t)rb, _MM_HINT_T0);
            }
            a0 = ck_i4_step(a0, CK_I4_LOAD(w0, d0, b), CK_I4_LOADD(d0, b), xb);
            a1 = ck_i4_step(a1, CK_I4_LOAD(w0 + rb, d0, b), CK_I4_LOADD(d0 + groups, b), xb);
            a2 = ck_i4_step(a2, CK_I4_LOAD(w0 + 2 * rb, d0, b), CK_I4_LOADD(d0 + 2 * groups, b), xb);
            a3 = ck_i4_step(a3, CK_I4_LOAD(w0 + 3 * rb, d0, b), CK_I4_LOADD(d0 + 3 * groups, b), xb);
        }
        y[r] = _mm512_reduce_add_ps(a0); y[r + 1] = _mm512_reduce_add_ps(a1);
        y[r + 2] = _mm512_reduce_add_ps(a2); y[r + 3] = _mm512_reduce_add_ps(a3);
    }
    for (; r < r1; r++) {                                               // leftover rows, one at a time
        const uint8_t *wr = packed + (size_t)r * rb;
        const float *dr = scales + (size_t)r * groups;
        __m512 a = _mm512_setzero_ps();
        for (int b = 0; b < blocks; b++) a = ck_i4_step(a, CK_I4_LOAD(wr, dr, b), CK_I4_LOADD(dr, b), xp + (size_t)b * CK_I4_BLOCK);
        y[r] = _mm512_reduce_add_ps(a);
    }
}

CK_I4_TARGET void ck_matvec_int4_vnni_batch(const uint8_t *packed, const float *scales, int cols, const void *prepared,
                                            int batch, int r0, int r1, float *y, int ldy) {
    const int groups = cols / 32, rb = cols / 2, full = groups / 4, blocks = (groups + 3) / 4;
    const int tail = groups % 4;
    const __mmask64 wmask = tail ? (((__mmask64)1 << (16 * tail)) - 1) : ~(__mmask64)0;
    const __mmask8 dmask = (__mmask8)((1u << tail) - 1);
    const size_t stride = ck_int4_prepared_bytes(cols);
    const uint8_t *xp = (const uint8_t *)prepared;
    for (int r = r0; r < r1; r++) {
        const uint8_t *wr = packed + (size_t)r * rb;
        const float *dr = scales + (size_t)r * groups;
        int v = 0;
        for (; v + 4 <= batch; v += 4) {                                // 4 vectors per pass; the row stays in L1
            const uint8_t *x0 = xp + v * stride;
            __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
            for (int b = 0; b < blocks; b++) {
                __m512i w = CK_I4_LOAD(wr, dr, b);
                __m128 d4 = CK_I4_LOADD(dr, b);
                const uint8_t *xb = x0 + (size_t)b * CK_I4_BLOCK;
                a0 = ck_i4_step(a0, w, d4, xb);
                a1 = ck_i4_step(a1, w, d4, xb + stride);
                a2 = ck_i4_step(a2, w, d4, xb + 2 * stride);
                a3 = ck_i4_step(a3, w, d4, xb + 3 * stride);
            }
            y[(size_t)v * ldy + r] = _mm512_reduce_add_ps(a0);
            y[(size_t)(v + 1) * ldy + r] = _mm512_reduce_add_ps(a1);
            y[(size_t)(v + 2) * ldy + r] = _mm512_reduce_add_ps(a2);
            y[(size_t)(v + 3) * ldy + r] = _mm512_reduce_add_ps(a3);
        }
        for (; v < batch; v++) {                                        // the last 1…3 vectors
            const uint8_t *x0 = xp + v * stride;
            __m512 a = _mm512_setzero_ps();
            for (int b = 0; b < blocks; b++) a = ck_i4_step(a, CK_I4_LOAD(wr, dr, b), CK_I4_LOADD(dr, b), x0 + (size_t)b * CK_I4_BLOCK);
            y[(size_t)v * ldy + r] = _mm512_reduce_add_ps(a);
        }
    }
}

#else

bool ck_avx512vnni_supported(void) { return false; }                   // not x86-64: the Swift path runs
bool ck_int4_prepare_x(const float *x, int cols, void *prepared) { (void)x; (void)cols; (void)prepared; return false; }
void ck_matvec_int4_vnni(const uint8_t *packed, const float *scales, int cols, const void *prepared,
                         int r0, int r1, float *y) {
    (void)packed; (void)scales; (void)cols; (void)prepared; (void)r0; (void)r1; (void)y;
}
void ck_matvec_int4_vnni_batch(const uint8_t *packed, const float *scales, int cols, const void *prepared,
                               int batch, int r0, int r1, float *y, int ldy) {
    (void)packed; (void)scales; (void)cols; (void)prepared; (void)batch; (void)r0; (void)r1; (void)y; (void)ldy;
}

#endif
