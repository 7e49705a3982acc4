#!/usr/bin/env python3
"""How closely three int4 formats rebuild a checkpoint's weight matrices (issue 21; docs/PERFORMANCE.md, "int4: int8
group scales"): relative squared error sum((w - w')^2) / sum(w^2) over every 2-D matrix but the norms, per format:

  f16 absmax   groups of 32, step d = m / -8 rounded to a half (4.5 bits a weight; the lab's int4 until 2026-12-07)
  int8 steps   groups of 32, d = j * s with s = M / 1016 per row and j = round(-127 m / M) in int8 (4.28 bits)
  + search     the same, j chosen among 9 steps around absmax's (factors 0.875 ... 1.125) by least squared error
               (what LabCore's quantizeRowInt4 does)

m is a group's weight of largest magnitude, M the row's. Codes q = clamp(round(w / d), -8, 7) in every format.
Rows of more than 20,000 (the embedding) are sampled: the first 8192. This is numpy in float32/float64, an
independent re-statement of the formats, not the lab's code; the lab's own numbers are its tests' and the ledger's.

Pinned: numpy==2.4.6 safetensors==0.8.0 torch==2.13.0+cpu (pip install ... --find-links /opt/wheels), Python 3.11.
Run: python3 -m venv /tmp/v && /tmp/v/bin/pip install --find-links /opt/wheels numpy==2.4.6 safetensors==0.8.0 \
         torch==2.13.0+cpu
     /tmp/v/bin/python scripts/int4_scale_error.py Models/tiny-ernie/model.safetensors [more checkpoints]
"""
import sys
import numpy as np
from safetensors.torch import load_file

FACTORS = [1, 0.96875, 1.03125, 0.9375, 1.0625, 0.90625, 1.09375, 0.875, 1.125]


def group_error(g, d):
    inv = np.where(d == 0, 0, 1 / np.where(d == 0, 1, d))
    q = np.rint(np.clip(g * inv[..., None], -8, 7))
    return ((g - d[..., None] * q) ** 2).sum(2)


def errors(w):
    rows, cols = w.shape
    g = w.reshape(rows, cols // 32, 32).astype(np.float32)
    m = np.take_along_axis(g, np.abs(g).argmax(axis=2)[..., None], axis=2)[..., 0]
    f16 = group_error(g, (m / -8).astype(np.float16).astype(np.float32)).sum()
    big = np.abs(m).max(axis=1, keepdims=True)
    s = (big / 1016).astype(np.float32)
    t = (-127 / np.where(big == 0, 1, big)).astype(np.float32)
    per_step = [group_error(g, np.clip(np.rint(m * t * f), -127, 127) * s) for f in FACTORS]
    return f16, per_step[0].sum(), np.minimum.reduce(per_step).sum(), (g.astype(np.float64) ** 2).sum()


for path in sys.argv[1:]:
    totals = np.zeros(4)
    for name, tensor in load_file(path).items():
        if tensor.dim() != 2 or "norm" in name or tensor.shape[1] % 32:
            continue
        w = tensor.float().numpy()
        totals += errors(w[:8192] if w.shape[0] > 20000 else w)
    f16, steps, search, energy = totals
    print(f"{path}: relative squared error  f16 absmax {f16 / energy:.5f}  int8 steps {steps / energy:.5f}  "
          f"+ search {search / energy:.5f}")
