// The int4 matvec on AVX-512 VNNI (matvec_int4_vnni.c): LabCore's MatVecInt4VNNI.swift calls it and keeps the
// Swift path (MatVecInt4.swift) for CPUs without VNNI and for inputs with NaN or ±∞.
#ifndef LMLAB_CKERNELS_INT4_H
#define LMLAB_CKERNELS_INT4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// True when this CPU and OS run AVX-512 F/BW/VL and AVX512-VNNI (`vpdpbusd`). Checked once and cached.
bool ck_avx512vnni_supported(void);

/// Bytes `ck_int4_prepare_x` writes for a vector of `cols` floats: 256 per block of 128 columns (4 groups of 32),
/// the last block padded.
size_t ck_int4_prepared_bytes(int cols);

/// Quantises x [cols] (cols a multiple of 32) to int8 with one scale per group of 32, dx = max|x| / 127,
/// qx = round-to-even(x / dx) (0 when dx = 0), into `prepared` (64-byte aligned, `ck_int4_prepared_bytes(cols)`)
/// in the layout the kernels read. Returns false (the Swift path should run) without VNNI or when x holds NaN or ±∞.
bool ck_int4_prepare_x(const float *x, int cols, void *prepared);

/// y[r] = Σ_g d[r, g] · dx[g] · Σ_{j<32} (n[r, g, j] − 8) · qx[g, j] for r in [r0, r1): packed nibbles [rows, cols/2]
/// (LabCore's int4 layout), scales d [rows, cols/32] Float, x as prepared by `ck_int4_prepare_x`.
void ck_matvec_int4_vnni(const uint8_t *packed, const float *scales, int cols, const void *prepared,
                         int r0, int r1, float *y);

/// The same for `batch` prepared vectors laid end to end (`ck_int4_prepared_bytes(cols)` apart): y[b·ldy + r].
/// Each weight row is read from memory once for all vectors.
void ck_matvec_int4_vnni_batch(const uint8_t *packed, const float *scales, int cols, const void *prepared,
                               int batch, int r0, int r1, float *y, int ldy);

#ifdef __cplusplus
}
#endif

#endif
