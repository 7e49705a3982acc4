#!/usr/bin/env python3
"""Fixtures for LabCore's number formats, from independent references.

bf16: torch's float32 -> bfloat16 conversion (round to nearest, ties to even).
f16:  numpy's float16 -> float32 widening, over every one of the 65,536 bit patterns (checked in the test by a
      CRC-free spot list plus aggregate sums, to keep the fixture small).

Pinned: torch==2.13.0+cpu (wheel in /opt/wheels), numpy==2.4.6.
Run: python3 scripts/make_labcore_fixtures.py   (writes Tests/LabCoreTests/Fixtures/formats.json)
"""
import json, pathlib, struct
import numpy as np
import torch

assert torch.__version__.startswith("2.13.0"), torch.__version__
assert np.__version__ == "2.4.6", np.__version__

rng = np.random.default_rng(1234)
vals = list(rng.standard_normal(2000).astype(np.float32) * np.float32(10.0) ** rng.integers(-30, 30, 2000).astype(np.float32))
# Halfway cases and edges: ties to even must go both ways.
specials = []
for hi in [0x3F80, 0x3F81, 0x4049, 0xC2F7, 0x0001, 0x7F7F, 0x8000, 0x0000]:
    for lo in [0x0000, 0x7FFF, 0x8000, 0x8001, 0xFFFF]:
        specials.append(struct.unpack("<f", struct.pack("<I", (hi << 16) | lo))[0])
specials += [float("inf"), float("-inf"), 3.4028234663852886e38, 1e-45, -1e-45, 1.17549435e-38]
floats = np.array(vals + specials, dtype=np.float32)
bits = floats.view(np.uint32).tolist()
bf16 = torch.from_numpy(floats.copy()).to(torch.bfloat16).view(torch.int16).numpy().astype(np.uint16).tolist()

all_half = np.arange(65536, dtype=np.uint32).astype(np.uint16)
widened = all_half.view(np.float16).astype(np.float32)
finite = np.isfinite(widened)
f16 = {
    "bits": all_half[::97].tolist(),                     # a spread of patterns incl. subnormals
    "float32_bits": widened[::97].view(np.uint32).tolist(),
    "finite_sum": float(widened[finite].astype(np.float64).sum()),
    "finite_abs_sum": float(np.abs(widened[finite].astype(np.float64)).sum()),
    "nan_count": int(np.isnan(widened).sum()),
}
out = {"float32_bits": bits, "bf16_bits": bf16, "f16": f16,
       "versions": {"torch": torch.__version__, "numpy": np.__version__}}
path = pathlib.Path(__file__).resolve().parent.parent / "Tests/LabCoreTests/Fixtures/formats.json"
path.write_text(json.dumps(out))
print(f"wrote {path}: {len(bits)} bf16 cases, {len(f16['bits'])} f16 spot cases")
