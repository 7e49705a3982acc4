// Packing shared by the two bf16 gemms (gemm_bf16_amx.c, gemm_bf16_avx512.c), defined in bf16_pack_avx512.c.
// Private to CKernels (not under include/): Swift sees only ckernels.h.
//
// Both kernels multiply bf16 pairs: every instruction (TDPBF16PS, VDPBF16PS) takes, per output, two adjacent
// depth positions (2p, 2p+1) of each operand as one 32-bit lane. So both operands are stored as 32-bit pairs:
//   activations  16×32 bf16 tiles: row i of A, depth block kb (32 wide) → tile (i/16, kb), row i%16 — 16 pairs
//                in A's own order (ck_pack_activations_bf16 in ckernels.h; rows and depth past the edges zero).
//   weights      per group of 16 rows of W, per depth block kb, a 16×16 tile of pairs transposed: tile row p
//                holds pair p of each of the 16 weight rows ("VNNI" order), so one 64-byte row is what one
//                output vector of 16 columns needs at one depth pair.
#ifndef LMLAB_CKERNELS_BF16_PACK_H
#define LMLAB_CKERNELS_BF16_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int ck_round_up(int x, int to) { return (x + to - 1) / to * to; }

/// The cases both bf16 gemms answer without their kernel: nothing to compute (no rows or columns), or an empty sum
/// (k ≤ 0: C's columns [n0, n1) of its m rows become 0). True when the case was one of those and is done.
static inline bool ck_gemm_bf16_trivial(int m, int k, int n0, int n1, float *c, int ldc) {
    if (m <= 0 || n1 <= n0) return true;
    if (k > 0) return false;
    for (int i = 0; i < m; i++) memset(c + (size_t)i * ldc + n0, 0, (size_t)(n1 - n0) * sizeof(float));
    return true;
}

#if defined(__x86_64__)
/// Packs W rows [r0, r0+16) ∩ [r0, rEnd) into ⌈k/32⌉ VNNI tiles at dst (1 KiB apart): tile kb, row p holds for
/// each weight row j the depth pair (kb·32 + 2p, kb·32 + 2p + 1). Missing rows and depth past k are zero.
/// Needs AVX-512 F/BW (the caller has checked AVX512-BF16, which implies them here).
void ck_pack_weights_vnni(const uint16_t *w, int ldw, int k, int r0, int rEnd, uint16_t *dst);
#endif

#endif
