// The int4 matvec on AVX-512 VNNI (matvec_int4_vnni.c): LabCore's MatVecInt4VNNI.swift calls it and keeps the
// Swift path (MatVecInt4.swift) for CPUs without VNNI and for inputs with NaN or ±∞.
//
// The weights are in LabCore's tiled int4 layout (MatVecInt4.swift has the format): tiles of 8 rows, each tile one
// contiguous run of blocks of 128 columns and then its 8 row scales (f32); a block is 544 bytes — 8 rows × 64 bytes
// of nibbles, then the 8 rows' 4 group scales as int8 (row k's at bytes 512 + 4k). A thread that owns a range of
// tiles reads one contiguous stream.
#ifndef LMLAB_CKERNELS_INT4_H
#define LMLAB_CKERNELS_INT4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rows in a tile of the int4 layout.
#define CK_I4_TILE_ROWS 8
/// Columns in a block of a tile: 4 groups of 32, one 64-byte load of nibbles per row.
#define CK_I4_BLOCK_COLS 128
/// Bytes of one block (8 rows × 128 columns) of a tile: 512 of nibbles + 32 of int8 group scales.
#define CK_I4_TILE_BLOCK 544

/// Bytes of one tile of W `cols` wide: its blocks, then 8 f32 row scales (32 bytes).
static inline size_t ck_int4_tile_bytes(int cols) {
    return (size_t)((cols + CK_I4_BLOCK_COLS - 1) / CK_I4_BLOCK_COLS) * CK_I4_TILE_BLOCK + 32;
}

/// True when this CPU and OS run AVX-512 F/BW/VL and AVX512-VNNI (`vpdpbusd`). Checked once and cached.
bool ck_avx512vnni_supported(void);

/// Bytes `ck_int4_prepare_x` writes for a vector of `cols` floats: 256 per block of 128 columns (4 groups of 32),
/// the last block padded.
size_t ck_int4_prepared_bytes(int cols);

/// Quantises x [cols] (cols a multiple of 32) to int8 with one scale per group of 32, dx = max|x| / 127,
/// qx = round-to-even(x / dx) (0 when dx = 0), into `prepared` (64-byte aligned, `ck_int4_prepared_bytes(cols)`)
/// in the layout the kernels read. Returns false (the Swift path should run) without VNNI or when x holds NaN or ±∞.
bool ck_int4_prepare_x(const float *x, int cols, void *prepared);

/// Quantises one row of weights w [count] (count a multiple of 32) to int4 codes, packed [count / 2], one int8
/// scale a group, scales [count / 32], and the row's scale — byte for byte LabCore's `quantizeRowInt4Naive`.
/// Returns false (run the Swift twin, which also tells a bad row) without AVX-512 VNNI or when w holds NaN or ±∞.
bool ck_int4_quantize_row(const float *w, int count, uint8_t *packed, int8_t *scales, float *rowScale);

/// y[r] = s[r] · Σ_g j[r, g] · dx[g] · Σ_{i<32} (n[r, g, i] − 8) · qx[g, i] for the rows r < `rows` of tiles [t0, t1):
/// `tiles` in the tiled layout (at least 4-byte aligned: the row scales are read as floats; 544-byte blocks straddle
/// cache lines whatever the base), `cols` its padded width (a multiple of 32), x as prepared by
/// `ck_int4_prepare_x`.
void ck_matvec_int4_vnni(const uint8_t *tiles, int rows, int cols, const void *prepared, int t0, int t1, float *y);

/// The same for `batch` prepared vectors laid end to end (`ck_int4_prepared_bytes(cols)` apart): y[b·ldy + r].
/// Each tile is read from memory once for all vectors.
void ck_matvec_int4_vnni_batch(const uint8_t *tiles, int rows, int cols, const void *prepared, int batch,
                               int t0, int t1, float *y, int ldy);

#ifdef __cplusplus
}
#endif

#endif
