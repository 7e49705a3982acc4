#!/usr/bin/env python3
"""Fixtures for Tests/ModelFilesTests: files written by the reference libraries, read back by our Swift code.

Pinned versions (install into a venv):
    pip install safetensors==0.8.0 numpy==2.4.6 transformers==5.24.0 torch==2.13.0+cpu

Writes Tests/ModelFilesTests/Fixtures/:
  python_written.safetensors   one tensor per dtype, written by safetensors.torch.save_file (metadata format=pt)
  python_written.json          for each tensor: dtype, shape, values (float32 bit patterns for float dtypes,
                               integers otherwise) and the raw bytes in hex
  tiny_ernie/                  Ernie4_5ForCausalLM(tiny config).save_pretrained(max_shard_size="20KB"):
                               config.json, generation_config.json, model.safetensors.index.json + shards
  tiny_ernie.json              every tensor name and shape, read back with safetensors.safe_open
  tiny_ernie_tf4/config.json   the same config written by transformers 4.57.6 (`--tf4-config`, in a second venv
                               with transformers==4.57.6): rope_theta on top, rope_scaling null

Usage:
    python scripts/make_modelfiles_fixtures.py             # (re)write the fixtures
    python scripts/make_modelfiles_fixtures.py --check F   # load a file written by our SafetensorsWriter with
                                                           # the Python library and compare it to the fixture
    python scripts/make_modelfiles_fixtures.py --check-model D   # load a folder written by our writers
                                                           # (ModelFilesTests leaves one in $TMPDIR) with transformers
Both --check paths are printed by `swift test --filter SafetensorsInteropTests`.
"""
import json
import os
import shutil
import sys

import numpy as np
import safetensors
import torch
import transformers
from safetensors import safe_open
from safetensors.torch import save_file, load_file

PINNED = {"safetensors": "0.8.0", "numpy": "2.4.6", "transformers": "5.24.0", "torch": "2.13.0+cpu"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ModelFilesTests", "Fixtures")

# Values chosen to exercise rounding in every 16-bit format: ties, subnormals, large magnitudes, signs.
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, -2.5, 3.14159265, 65504.0, 1e-7, -1e-3, 123456.78, 6e-8]

DTYPE_NAMES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16", torch.float64: "F64",
               torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
               torch.bool: "BOOL"}


def reference_tensors():
    """Deterministic tensors, one per dtype, with names not in dtype order (the writer must sort them)."""
    f = torch.tensor(FLOATS, dtype=torch.float32).reshape(3, 4)
    return {
        "a.bf16": f.to(torch.bfloat16),
        "b.f16": f.to(torch.float16),
        "c.f32": f.clone(),
        "d.f64": f.to(torch.float64),
        "e.i64": torch.tensor([0, -1, 2**62, -(2**62), 42, 1 << 40], dtype=torch.int64).reshape(2, 3),
        "f.i32": torch.tensor([0, -1, 2**31 - 1, -(2**31), 7, -123456], dtype=torch.int32),
        "g.u8": torch.tensor([0, 1, 127, 128, 255, 9], dtype=torch.uint8).reshape(3, 2),
        "h.i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "i.i8": torch.tensor([-128, 127, 0, 3], dtype=torch.int8),
        "j.bool": torch.tensor([True, False, True], dtype=torch.bool),
        "k.scalar": torch.tensor(2.5, dtype=torch.float32),
        "l.empty": torch.zeros((0, 3), dtype=torch.bfloat16),
    }


def describe(tensors):
    out = {}
    for name, t in tensors.items():
        raw = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        if t.dtype == torch.bool:
            raw = t.numpy().astype(np.uint8).tobytes()
        out[name] = {
            "dtype": DTYPE_NAMES[t.dtype],
            "shape": list(t.shape),
            # Floats widened to float32 the way our reader does (bf16/f16 exactly; f64 rounded to nearest), given as
            # float32 bit patterns so ±0, subnormals and the f16 overflow to +inf survive JSON exactly.
            "float_bits": t.to(torch.float32).flatten().numpy().view(np.uint32).tolist()
                          if t.dtype.is_floating_point else None,
            "values": None if t.dtype.is_floating_point else t.to(torch.int64).flatten().tolist(),
            "hex": raw.hex(),
        }
    return out


def write_safetensors_fixture():
    tensors = reference_tensors()
    path = os.path.join(OUT, "python_written.safetensors")
    save_file(tensors, path, metadata={"format": "pt"})
    with open(os.path.join(OUT, "python_written.json"), "w") as fh:
        json.dump({"versions": PINNED, "metadata": {"format": "pt"}, "tensors": describe(tensors)}, fh, indent=1)
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(tensors)} tensors) and python_written.json")


def write_tiny_ernie():
    """A random tiny ERNIE-4.5 saved by transformers itself: its config.json format and its sharded layout."""
    torch.manual_seed(0)
    config = transformers.Ernie4_5Config(**TINY)
    model = transformers.Ernie4_5ForCausalLM(config).to(torch.bfloat16)
    model.generation_config.do_sample = True
    model.generation_config.top_p = 0.8
    model.generation_config.temperature = 0.8
    folder = os.path.join(OUT, "tiny_ernie")
    shutil.rmtree(folder, ignore_errors=True)
    model.save_pretrained(folder, max_shard_size="20KB")
    names = {}
    for fname in sorted(os.listdir(folder)):
        if fname.endswith(".safetensors"):
            with safe_open(os.path.join(folder, fname), framework="pt") as f:
                for k in f.keys():
                    names[k] = {"shard": fname, "shape": list(f.get_slice(k).get_shape()),
                                "dtype": f.get_slice(k).get_dtype()}
    # The first values of the norm weight (ones at init) and of the embedding, widened to float.
    first = {}
    for fname in sorted(os.listdir(folder)):
        if fname.endswith(".safetensors"):
            for k, t in load_file(os.path.join(folder, fname)).items():
                first[k] = t.to(torch.float32).flatten()[:4].tolist()
    with open(os.path.join(OUT, "tiny_ernie.json"), "w") as fh:
        json.dump({"versions": PINNED, "tensors": names, "first_values": first}, fh, indent=1, sort_keys=True)
    listing = ", ".join(f"{f} ({os.path.getsize(os.path.join(folder, f))} B)" for f in sorted(os.listdir(folder)))
    print(f"wrote {folder}: {listing}")
    print(f"  {len(names)} tensors; lm_head stored: {'lm_head.weight' in names}")


def check_swift_file(path):
    """Loads a file written by our SafetensorsWriter with the Python library and compares it to the fixture."""
    expected = reference_tensors()
    got = load_file(path)
    assert sorted(got) == sorted(expected), (sorted(got), sorted(expected))
    for name, t in expected.items():
        assert got[name].dtype == t.dtype and got[name].shape == t.shape, name
        assert torch.equal(got[name], t), name
    with safe_open(path, framework="pt") as f:
        meta = f.metadata()
    ours = open(path, "rb").read()
    theirs = open(os.path.join(OUT, "python_written.safetensors"), "rb").read()
    print(f"{path}: loaded by safetensors {safetensors.__version__}, {len(got)} tensors equal to the reference, "
          f"metadata {meta}, byte-identical to python_written.safetensors: {ours == theirs}")


def check_swift_model(folder):
    """Loads a folder written by our Swift writers (model.safetensors + config.json) with transformers and compares
    every tensor with the transformers-saved fixture it was copied from."""
    model = transformers.Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.bfloat16)
    ref = transformers.Ernie4_5ForCausalLM.from_pretrained(os.path.join(OUT, "tiny_ernie"), dtype=torch.bfloat16)
    for key in ["hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
                "intermediate_size", "vocab_size", "max_position_embeddings", "rms_norm_eps", "tie_word_embeddings",
                "use_bias", "bos_token_id", "eos_token_id", "pad_token_id"]:
        assert getattr(model.config, key) == getattr(ref.config, key), (key, getattr(model.config, key))
    assert model.config.rope_parameters["rope_theta"] == ref.config.rope_parameters["rope_theta"]
    a, b = model.state_dict(), ref.state_dict()
    assert sorted(a) == sorted(b)
    worst = max((x.float() - b[k].float()).abs().max().item() for k, x in a.items())
    ids = torch.tensor([[1, 5, 9, 3]])
    diff = (model(ids).logits.float() - ref(ids).logits.float()).abs().max().item()
    print(f"{folder}: loaded by transformers {transformers.__version__}; config equal; {len(a)} tensors, "
          f"max abs diff {worst}; logits max abs diff {diff}")


TINY = dict(hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
            head_dim=16, vocab_size=64, max_position_embeddings=128, tie_word_embeddings=True)


def write_tf4_config():
    """config.json of the same tiny ERNIE as written by transformers 4.x (rope_theta on top, rope_scaling null).
    Run in a second venv: pip install transformers==4.57.6 (plus the pins above)."""
    assert transformers.__version__ == "4.57.6", f"run --tf4-config under transformers 4.57.6, not {transformers.__version__}"
    folder = os.path.join(OUT, "tiny_ernie_tf4")
    os.makedirs(folder, exist_ok=True)
    transformers.Ernie4_5Config(**TINY).save_pretrained(folder)
    print(f"wrote {folder}/config.json with transformers {transformers.__version__}")


def main():
    if sys.argv[1:2] == ["--tf4-config"]:
        PINNED["transformers"] = "4.57.6"
    for pkg, version in [("safetensors", safetensors.__version__), ("numpy", np.__version__),
                         ("transformers", transformers.__version__), ("torch", torch.__version__)]:
        if version != PINNED[pkg]:
            print(f"warning: {pkg} {version} is not the pinned {PINNED[pkg]}", file=sys.stderr)
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check_swift_file(sys.argv[2])
        return
    if len(sys.argv) == 2 and sys.argv[1] == "--tf4-config":
        write_tf4_config()
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--check-model":
        check_swift_model(sys.argv[2])
        return
    os.makedirs(OUT, exist_ok=True)
    write_safetensors_fixture()
    write_tiny_ernie()


if __name__ == "__main__":
    main()
