#!/usr/bin/env python3
"""Builds the ERNIE-4.5 fidelity fixtures: tiny random checkpoints and what transformers computes on them.

The Swift engine (Sources/ERNIE) is tested against these files (Tests/ERNIETests/ErnieFidelityTests.swift):
for each checkpoint, the log-probabilities at every position of a fixed 32-token input and the greedy
continuation of 32 tokens, as `Ernie4_5ForCausalLM` computes them.

Configurations (all tiny, all ≥ 3 layers, large initializer_range so the next-token distributions are peaked
and a wrong detail shows up as a large log-prob difference):
  gqa-tied      head_dim ≠ hidden/heads, 4 query heads sharing 2 KV heads, tied lm_head, rope_theta 500000
  mqa-untied    num_key_value_heads 1 (multi-query), untied lm_head, rope_theta 10000, 4 layers
  mha-tied      head_dim = hidden/heads, as many KV heads as query heads, vocab 1000
  gqa-tied-bf16 the gqa-tied shape with different weights, saved in bfloat16 (the dtype ERNIE-4.5 ships in)
Norm weights are randomised too (transformers initialises them to 1, which would hide a missing multiply).

For the bf16 checkpoint the script records two references:
  "logprobs"       transformers in float32 on the bf16-rounded weights (what our f32-accumulating engine computes);
  "logprobs_bf16"  transformers computing in bfloat16, and "bf16_vs_f32_max_abs_diff" between the two, which is
                   the tolerance for comparing our engine with transformers' own bf16 arithmetic.

Usage (from the repository root):
    python3 -m venv /tmp/ernie-venv
    /tmp/ernie-venv/bin/pip install --find-links /opt/wheels torch==2.13.0+cpu transformers==5.24.0 safetensors==0.8.0
    /tmp/ernie-venv/bin/python scripts/make_ernie_fixtures.py
"""

import json
import os
import sys

PINNED = {"torch": "2.13.0+cpu", "transformers": "5.24.0", "safetensors": "0.8.0"}

import safetensors  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import Ernie4_5Config, Ernie4_5ForCausalLM  # noqa: E402

for name, module in (("torch", torch), ("transformers", transformers), ("safetensors", safetensors)):
    if module.__version__ != PINNED[name]:
        sys.exit(f"{name} {module.__version__} found, {PINNED[name]} pinned: install the pinned versions (see the docstring)")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ERNIETests", "Fixtures")
T_INPUT = 32
T_NEW = 32

CONFIGS = [
    dict(name="gqa-tied", seed=1, dtype="float32",
         cfg=dict(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=2, head_dim=24,
                  tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.9)),
    dict(name="mqa-untied", seed=2, dtype="float32",
         cfg=dict(vocab_size=384, hidden_size=48, intermediate_size=96, num_hidden_layers=4,
                  num_attention_heads=6, num_key_value_heads=1, head_dim=8,
                  tie_word_embeddings=False, rope_theta=10000.0, initializer_range=1.0)),
    dict(name="mha-tied", seed=3, dtype="float32",
         cfg=dict(vocab_size=1000, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=4, head_dim=16,
                  tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.8)),
    dict(name="gqa-tied-bf16", seed=4, dtype="bfloat16",
         cfg=dict(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=2, head_dim=24,
                  tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.9)),
]


def make_config(cfg):
    cfg = dict(cfg)
    theta = cfg.pop("rope_theta")
    return Ernie4_5Config(**cfg, rope_parameters={"rope_type": "default", "rope_theta": theta},
                          max_position_embeddings=4096, rms_norm_eps=1e-5,
                          bos_token_id=1, eos_token_id=2, pad_token_id=0)


def rounded(rows):
    """Log-probs to 8 significant digits: far below the 1e-4 tolerance, a third of the JSON size."""
    return [[float(f"{v:.8g}") for v in row] for row in rows]


def log_probs(model, ids):
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0]          # [T, V]
    return torch.log_softmax(logits.float(), dim=-1)           # [T, V], fp32 like the spec (ERNIE45.md §8)


def greedy(model, ids):
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                             do_sample=False, max_new_tokens=T_NEW, min_new_tokens=0,
                             eos_token_id=None, pad_token_id=0)
    return out[0, len(ids):].tolist()


def greedy_margins(model, ids, continuation):
    """Gap between the chosen and the runner-up log-prob at each greedy step: a tiny gap would make the test fragile."""
    lp = log_probs(model, ids + continuation)[len(ids) - 1:-1]   # rows that predicted each new token
    top2 = torch.topk(lp, 2, dim=-1).values
    return (top2[:, 0] - top2[:, 1]).tolist()


def build(spec):
    torch.manual_seed(spec["seed"])
    config = make_config(spec["cfg"])
    model = Ernie4_5ForCausalLM(config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.25 * torch.randn_like(p))     # randomise the RMSNorm gains
    model.eval()
    model.config._attn_implementation = "eager"               # softmax in fp32, as the spec describes

    folder = os.path.join(OUT, spec["name"])
    os.makedirs(folder, exist_ok=True)
    dtype = getattr(torch, spec["dtype"])
    model.to(dtype).save_pretrained(folder, safe_serialization=True)

    # Reload from disk, so the reference runs on exactly the bytes the Swift engine will read.
    ref = Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
    g = torch.Generator().manual_seed(100 + spec["seed"])
    ids = torch.randint(3, config.vocab_size, (T_INPUT,), generator=g).tolist()

    lp = log_probs(ref, ids)
    cont = greedy(ref, ids)
    margins = greedy_margins(ref, ids, cont)
    # Cross-check: greedy continuation is the argmax of a fresh (no cache) forward pass at every step.
    full = log_probs(ref, ids + cont)
    assert full[len(ids) - 1:-1].argmax(-1).tolist() == cont, "generate() disagrees with argmax of a full forward"

    fixture = {
        "name": spec["name"],
        "versions": PINNED,
        "dtype": spec["dtype"],
        "input_ids": ids,
        "logprobs": rounded(lp.tolist()),                      # [T_INPUT][V]; row t predicts input_ids[t+1]
        "greedy": cont,                                        # argmax continuation, T_NEW tokens
        "greedy_min_margin": min(margins),
    }
    if spec["dtype"] == "bfloat16":
        ref16 = Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.bfloat16, attn_implementation="eager").eval()
        lp16 = log_probs(ref16, ids)
        fixture["logprobs_bf16"] = rounded(lp16.tolist())
        fixture["bf16_vs_f32_max_abs_diff"] = float((lp16 - lp).abs().max())

    # Per-layer hidden states of the last input position (for the recorder test): entry 0 is the embedding,
    # entry l+1 the residual stream after layer l.
    captured = []
    hooks = [ref.model.embed_tokens.register_forward_hook(lambda m, i, o: captured.append(o[0, -1].tolist()))]
    for layer in ref.model.layers:
        hooks.append(layer.register_forward_hook(
            lambda m, i, o: captured.append((o[0] if isinstance(o, tuple) else o)[0, -1].tolist())))
    with torch.no_grad():
        ref(torch.tensor([ids]))
    for h in hooks:
        h.remove()
    fixture["hidden_last"] = rounded(captured)

    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))

    sizes = {n: os.path.getsize(os.path.join(folder, n)) for n in sorted(os.listdir(folder))}
    print(f"{spec['name']}: wrote {folder}")
    for n, s in sizes.items():
        print(f"    {n:24s} {s:9d} bytes")
    entropy = -(lp.exp() * lp).sum(-1).mean().item()
    print(f"    mean next-token entropy {entropy:.3f} nats, greedy min margin {min(margins):.4f}, "
          f"greedy {cont[:8]}…")
    if "bf16_vs_f32_max_abs_diff" in fixture:
        print(f"    transformers bf16 vs f32 max |Δ log p| = {fixture['bf16_vs_f32_max_abs_diff']:.5f}")


if __name__ == "__main__":
    print("versions:", PINNED)
    for spec in CONFIGS:
        build(spec)
