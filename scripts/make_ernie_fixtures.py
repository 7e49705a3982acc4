#!/usr/bin/env python3
"""Builds the ERNIE-4.5 fidelity fixtures: tiny random checkpoints and what transformers computes on them.

The Swift engine (Sources/ERNIE) is tested against these files (Tests/ERNIETests/ErnieFidelityTests.swift):
for each checkpoint, the log-probabilities at every position of a fixed 32-token input and the greedy
continuation of 32 tokens, as `Ernie4_5ForCausalLM` computes them.

Configurations (all tiny, all ≥ 3 layers, initializer_range 0.3 — 15× transformers' 0.02 — so the next-token
distributions are far from uniform and a wrong detail shows up as a large log-prob difference):
  gqa-tied      head_dim ≠ hidden/heads, 4 query heads sharing 2 KV heads, tied lm_head, rope_theta 500000
  mqa-untied    num_key_value_heads 1 (multi-query), untied lm_head, rope_theta 10000, 4 layers
  mha-tied      head_dim = hidden/heads, as many KV heads as query heads, vocab 1000
  gqa-tied-bf16 the gqa-tied shape with different weights, saved in bfloat16 (the dtype ERNIE-4.5 ships in)
  with-tokenizer a tiny model behind the ERNIE-like test tokenizer: texts → ids (LlamaTokenizerFast) → log P per token
Norm weights are randomised too (transformers initialises them to 1, which would hide a missing multiply).

The reference "logprobs" is transformers computing in float64 on the stored weights (no rounding of its own);
"torch_f32_vs_f64_max_abs_diff" records how far transformers' float32 run is from it (the scale of float32 error).
The greedy continuation is transformers' float32 generate(do_sample=False), checked against the float64 argmax.
For the bf16 checkpoint the script also records:
  "logprobs_bf16"  transformers computing in bfloat16, and "bf16_vs_f32_max_abs_diff" (its distance to
                   transformers' float32 run), the tolerance for comparing our engine with transformers' bf16 arithmetic.

Usage (from the repository root):
    python3 -m venv /tmp/ernie-venv
    /tmp/ernie-venv/bin/pip install --find-links /opt/wheels torch==2.13.0+cpu transformers==5.24.0 safetensors==0.8.0 \
        tokenizers==0.23.3 sentencepiece==0.2.1 protobuf==7.36.2
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
                  tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.3)),
    dict(name="mqa-untied", seed=2, dtype="float32",
         cfg=dict(vocab_size=384, hidden_size=48, intermediate_size=96, num_hidden_layers=4,
                  num_attention_heads=6, num_key_value_heads=1, head_dim=8,
                  tie_word_embeddings=False, rope_theta=10000.0, initializer_range=0.3)),
    dict(name="mha-tied", seed=3, dtype="float32",
         cfg=dict(vocab_size=1000, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=4, head_dim=16,
                  tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.3)),
    dict(name="gqa-tied-bf16", seed=4, dtype="bfloat16",
         cfg=dict(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=2, head_dim=24,
                  tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.3)),
]
# The final RMSNorm gain is scaled by this (on top of its random spread); > 1 sharpens the output distribution.
# At 1.0 with initializer_range 0.3 the mean entropy is 3.5–4.2 nats (uniform would be 5.9–6.9) and float32
# arithmetic stays within ~4e-5 of float64. Sharper settings (gain 3: entropy ≈ 0.6) put transformers' OWN
# float32 run 1.5–3e-4 away from float64 over the whole vocabulary, so no float32 engine could meet 1e-4 there.
FINAL_GAIN = 1.0


def make_config(cfg):
    cfg = dict(cfg)
    theta = cfg.pop("rope_theta")
    return Ernie4_5Config(**cfg, rope_parameters={"rope_type": "default", "rope_theta": theta},
                          max_position_embeddings=4096, rms_norm_eps=1e-5,
                          bos_token_id=1, eos_token_id=2, pad_token_id=0)


def rounded(rows):
    """Values to 9 significant digits (1e-7 of a log-prob of −100): far below the 1e-4 tolerance."""
    return [[float(f"{v:.9g}") for v in row] for row in rows]


def log_probs(model, ids):
    """log_softmax of the logits, in the model's dtype widened to at least float32 (ERNIE45.md §8)."""
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0]          # [T, V]
    if logits.dtype != torch.float64:
        logits = logits.float()
    return torch.log_softmax(logits, dim=-1)                   # [T, V]


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
        model.model.norm.weight.mul_(FINAL_GAIN)
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

    # The reference is computed in float64 from the stored weights, so it carries no rounding of its own;
    # transformers' float32 run is kept only to measure how far float32 arithmetic itself strays from it.
    ref64 = Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.float64, attn_implementation="eager").eval()
    lp = log_probs(ref64, ids)
    lp32 = log_probs(ref, ids)
    f32_error = float((lp32.double() - lp).abs().max())
    cont = greedy(ref, ids)
    margins = greedy_margins(ref64, ids, cont)
    # Cross-checks: float32 generate() equals the float64 argmax of a fresh (no cache) forward at every step.
    full = log_probs(ref64, ids + cont)
    assert full[len(ids) - 1:-1].argmax(-1).tolist() == cont, "generate() disagrees with argmax of a full forward"

    fixture = {
        "name": spec["name"],
        "versions": PINNED,
        "dtype": spec["dtype"],
        "input_ids": ids,
        "logprobs": rounded(lp.tolist()),                      # [T_INPUT][V] float64 reference; row t predicts input_ids[t+1]
        "torch_f32_vs_f64_max_abs_diff": f32_error,            # transformers' own float32 error, whole vocabulary
        "greedy": cont,                                        # argmax continuation, T_NEW tokens
        "greedy_min_margin": min(margins),
    }
    if spec["dtype"] == "bfloat16":
        ref16 = Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.bfloat16, attn_implementation="eager").eval()
        lp16 = log_probs(ref16, ids)
        fixture["logprobs_bf16"] = rounded(lp16.tolist())
        fixture["bf16_vs_f32_max_abs_diff"] = float((lp16 - lp32).abs().max())   # both transformers, bf16 vs f32

    # Per-layer hidden states of the last input position (for the recorder test): entry 0 is the embedding,
    # entry l+1 the residual stream after layer l.
    captured = []
    hooks = [ref64.model.embed_tokens.register_forward_hook(lambda m, i, o: captured.append(o[0, -1].tolist()))]
    for layer in ref64.model.layers:
        hooks.append(layer.register_forward_hook(
            lambda m, i, o: captured.append((o[0] if isinstance(o, tuple) else o)[0, -1].tolist())))
    with torch.no_grad():
        ref64(torch.tensor([ids]))
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
    print(f"    transformers f32 vs f64 max |Δ log p| = {f32_error:.2e}")


TOKENIZER_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TokenizersTests",
                                "Fixtures", "ernie")
TOKENIZER_FILES = ["tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"]
SCORED_TEXTS = [dict(text="hello, world", chat=False), dict(text="The cat sat on the mat.", chat=False),
                dict(text="Hello!", chat=True)]


def build_with_tokenizer():
    """with-tokenizer: a tiny model behind the ERNIE-like test tokenizer (3007 ids, trained by the sentencepiece
    library with ERNIE's settings; Tests/TokenizersTests/Fixtures/ernie), so `lmlab prob TEXT` can be checked end to
    end: transformers' LlamaTokenizerFast gives the ids, transformers (float64) the log-prob of every token."""
    import shutil
    from transformers import LlamaTokenizerFast
    folder = os.path.join(OUT, "with-tokenizer")
    os.makedirs(folder, exist_ok=True)
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(TOKENIZER_SOURCE, name), os.path.join(folder, name))
    tok = LlamaTokenizerFast.from_pretrained(folder, legacy=True, add_bos_token=False, add_eos_token=False,
                                             from_slow=True)
    torch.manual_seed(5)
    config = make_config(dict(vocab_size=3072, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                              num_attention_heads=4, num_key_value_heads=2, head_dim=8,
                              tie_word_embeddings=True, rope_theta=500000.0, initializer_range=0.3))
    model = Ernie4_5ForCausalLM(config)                        # 3072 rows ≥ len(tok): padding rows, like the 0.3B
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.25 * torch.randn_like(p))
    model.save_pretrained(folder, safe_serialization=True)
    ref64 = Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.float64, attn_implementation="eager").eval()
    scored = []
    for item in SCORED_TEXTS:
        if item["chat"]:                                       # the chat template starts with <|begin_of_sentence|>
            ids = tok.apply_chat_template([{"role": "user", "content": item["text"]}], tokenize=True,
                                          add_generation_prompt=True)
            ids = list(ids["input_ids"] if hasattr(ids, "keys") else ids)
        else:                                                  # <s> first, so the first text token is scored
            ids = [tok.bos_token_id] + tok.encode(item["text"], add_special_tokens=False)
        lp = log_probs(ref64, ids)
        per_token = [None] + [float(f"{lp[i - 1, ids[i]].item():.9g}") for i in range(1, len(ids))]
        scored.append({**item, "ids": ids, "logprobs": per_token})
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump({"name": "with-tokenizer", "versions": {**PINNED, "tokenizers": __import__("tokenizers").__version__},
                   "tokenizer_len": len(tok), "scored": scored}, f, indent=1)
    print(f"with-tokenizer: wrote {folder}")
    for item in scored:
        print(f"    {item['text']!r} chat={item['chat']}: ids {item['ids']}, total log P "
              f"{sum(x for x in item['logprobs'] if x is not None):.4f}")


if __name__ == "__main__":
    print("versions:", PINNED)
    for spec in CONFIGS:
        build(spec)
    build_with_tokenizer()
