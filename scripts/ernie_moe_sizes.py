#!/usr/bin/env python3
"""Weight bytes of ERNIE-4.5-21B-A3B(-Base)-PT per precision, computed from the shapes of its config.json
(issue 21; the numbers in Models/catalog.json come from here). No download, no dependencies.

Shapes (baidu/ERNIE-4.5-21B-A3B-PT config.json): D 2560, 28 layers, 20 query / 4 KV heads x 128, dense FFN 12288
(layer 0), 64 experts of width 1536 (top 6) and 2 shared experts (one SwiGLU of width 3072) in layers 1..27,
vocab 103424, tied embeddings. Multi-token-prediction (mtp) tensors that the Hub files may also hold are not
counted: the lab does not load them.

Per precision, as the lab's engine holds the weights (Sources/ERNIE/WeightPrecision.swift):
  bf16  2 bytes a weight (what the .safetensors files hold; routers are float32 there, 4 bytes)
  int8  1 byte a weight + one float32 scale per matrix row
  int4  the tiled layout of LabCore's MatVecInt4.swift: per tile of 8 rows x 128 columns 512 bytes of nibbles and
        32 int8 group scales, per tile of 8 rows 8 float32 row scales (rows padded to 8, columns to 128; 4.26 bits
        a weight for 2560 columns)
  in every precision the RMSNorm gains, the routers and the correction biases stay float32 (4 bytes).
Per token, a decode step reads the attention, layer 0's dense FFN, each MoE layer's router, shared experts and
6 of the 64 experts, and one row of the embedding; the tied output matrix is read whole.
"""
import json

D, L, H, HKV, DH, F, V = 2560, 28, 20, 4, 128, 12288, 103424
E, K, FE, S, FIRST_MOE = 64, 6, 1536, 2, 1


def matrices():
    """(name, rows, cols, count per token) for every weight matrix; count per token = fraction read per token."""
    out = [("embed_tokens", V, D)]
    for i in range(L):
        out += [("q", H * DH, D), ("k", HKV * DH, D), ("v", HKV * DH, D), ("o", D, H * DH)]
        if i < FIRST_MOE:
            out += [("gate", F, D), ("up", F, D), ("down", D, F)]
        else:
            for _ in range(E):
                out += [("expert_gate", FE, D), ("expert_up", FE, D), ("expert_down", D, FE)]
            out += [("shared_gate", S * FE, D), ("shared_up", S * FE, D), ("shared_down", D, S * FE)]
    return out


def float32_params():
    """RMSNorm gains (2 per layer + final), routers [E, D] and correction biases [E] of the MoE layers."""
    moe_layers = L - FIRST_MOE
    return (2 * L + 1) * D + moe_layers * (E * D + E)


def bytes_of(precision):
    total = 4 * float32_params()
    for _, rows, cols in matrices():
        n = rows * cols
        if precision == "bf16":
            total += 2 * n
        elif precision == "int8":
            total += n + 4 * rows
        elif precision == "int4":
            tiles, blocks = -(-rows // 8), -(-cols // 128)
            total += tiles * (blocks * 544 + 32)
    return total


def main():
    params = sum(r * c for _, r, c in matrices()) + float32_params()
    moe_layers = L - FIRST_MOE
    skipped = moe_layers * (E - K) * 3 * FE * D
    report = {
        "parameters": params,
        "active_parameters_per_token": params - skipped,
        "bytes": {p: bytes_of(p) for p in ("bf16", "int8", "int4")},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
