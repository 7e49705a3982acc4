#!/usr/bin/env python3
"""Builds the decoding fixtures: what transformers' logits processors, greedy search and beam search compute.

Tests/DecodingTests/Fixtures/processors.json
    For each setting (temperature, top-k, top-p, min-p, repetition penalty, and the whole sampling chain in the order
    `generate` applies it), 24 random float32 logit vectors [V = 40] and transformers' processed scores
    (-inf written as null). Half the vectors are drawn on a coarse grid (multiples of 0.5), so equal logits — ties at
    the top-k boundary and tied probabilities straddling the top-p boundary — occur often; the script counts them.
Tests/DecodingTests/Fixtures/generate.json
    transformers `generate` on the tiny ERNIE checkpoints of Tests/ERNIETests/Fixtures (made by
    make_ernie_fixtures.py): greedy, and beam search with several length penalties, early-stopping modes,
    num_return_sequences and end-of-sequence ids, and one greedy and one beam run with a repetition penalty. Ids are the new tokens only; scores are `sequences_scores`.
    The end-of-sequence ids are chosen among tokens the beams actually produce, so hypotheses do finish early.

Usage (from the repository root):
    python3 -m venv /tmp/ernie-venv
    /tmp/ernie-venv/bin/pip install --find-links /opt/wheels torch==2.13.0+cpu transformers==5.24.0 safetensors==0.8.0
    /tmp/ernie-venv/bin/python scripts/make_decoding_fixtures.py
"""

import collections
import json
import math
import os
import sys

PINNED = {"torch": "2.13.0+cpu", "transformers": "5.24.0"}

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import Ernie4_5ForCausalLM  # noqa: E402
from transformers.generation.logits_process import (  # noqa: E402
    LogitsProcessorList, MinPLogitsWarper, RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper,
    TopKLogitsWarper, TopPLogitsWarper)

for name, module in (("torch", torch), ("transformers", transformers)):
    if module.__version__ != PINNED[name]:
        sys.exit(f"{name} {module.__version__} found, {PINNED[name]} pinned: install the pinned versions (see the docstring)")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "DecodingTests", "Fixtures")
ERNIE = os.path.join(ROOT, "Tests", "ERNIETests", "Fixtures")
V = 40
N_VECTORS = 24


def floats(t):
    """float32 values as JSON numbers (exact: a float32 is a double), -inf as null."""
    return [None if math.isinf(v) and v < 0 else float(v) for v in t.tolist()]


def with_stable_sort(f):
    """Runs f with torch.sort forced to stable=True (used only for the "expected_stable" column)."""
    original = torch.sort

    def stable(*args, **kw):
        kw["stable"] = True
        return original(*args, **kw)
    torch.sort = stable
    try:
        return f()
    finally:
        torch.sort = original


def logit_vectors(g):
    """Half smooth (normal × 3), half on a 0.5 grid (many exact ties)."""
    out = []
    for i in range(N_VECTORS):
        if i % 2 == 0:
            out.append(torch.randn(V, generator=g) * 3)
        else:
            out.append(torch.randint(-6, 7, (V,), generator=g).float() * 0.5)
    return out


def processors_fixture():
    g = torch.Generator().manual_seed(2026)
    settings = []
    for t in (0.3, 0.7, 1.5, 2.5):
        settings.append(({"temperature": t}, [TemperatureLogitsWarper(t)]))
    for k in (1, 3, 7, 20):
        settings.append(({"top_k": k}, [TopKLogitsWarper(k)]))
    for p in (0.05, 0.3, 0.6, 0.9, 0.95):
        settings.append(({"top_p": p}, [TopPLogitsWarper(p)]))
    for m in (0.05, 0.2, 0.5):
        settings.append(({"min_p": m}, [MinPLogitsWarper(m)]))
    for r in (0.8, 1.3, 2.0):
        settings.append(({"repetition_penalty": r}, [RepetitionPenaltyLogitsProcessor(r)]))
    # The sampling chain in generate's order (GenerationMixin._get_logits_processor): repetition penalty first,
    # then temperature, top-k, top-p, min-p.
    chain = {"repetition_penalty": 1.2, "temperature": 0.8, "top_k": 12, "top_p": 0.9, "min_p": 0.05}
    settings.append((chain, [RepetitionPenaltyLogitsProcessor(1.2), TemperatureLogitsWarper(0.8),
                             TopKLogitsWarper(12), TopPLogitsWarper(0.9), MinPLogitsWarper(0.05)]))
    cases = []
    ties_k = ties_p = unstable = 0
    for setting, procs in settings:
        chain_list = LogitsProcessorList(procs)
        vectors = []
        for x in logit_vectors(g):
            history = torch.randint(0, V, (12,), generator=g)            # repeats on purpose
            y = chain_list(history[None, :], x[None, :].clone())[0]
            entry = {"logits": floats(x), "history": history.tolist(), "expected": floats(y)}
            # torch.sort is not stable: inside a run of equal logits its order is an implementation detail, so a
            # top-p cut inside such a run keeps an arbitrary member. The Swift port sorts stably (ties by index);
            # "expected_stable" is transformers' same code with torch.sort made stable, written when it differs.
            y_stable = with_stable_sort(lambda: chain_list(history[None, :], x[None, :].clone())[0])
            if not torch.equal(y, y_stable):
                entry["expected_stable"] = floats(y_stable)
                unstable += 1
            vectors.append(entry)
            if "top_k" in setting and len(setting) == 1:
                s = torch.sort(x, descending=True).values
                k = setting["top_k"]
                if k < V and s[k - 1] == s[k]:
                    ties_k += 1
            if "top_p" in setting and len(setting) == 1:
                kept = int((~torch.isinf(y)).sum())
                s = torch.sort(x, descending=True).values
                if kept < V and s[kept - 1] == s[kept]:
                    ties_p += 1
        cases.append({"setting": setting, "vectors": vectors})
    path = os.path.join(OUT, "processors.json")
    with open(path, "w") as f:
        json.dump({"versions": PINNED, "vocab": V, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes): {len(cases)} settings × {N_VECTORS} vectors; "
          f"{ties_k} top-k vectors tie at the k-th logit, {ties_p} top-p vectors cut inside a run of equal logits, "
          f"{unstable} vectors where torch's unstable sort picks a different tied member than a stable sort")


class LogSoftmax:
    """A logits processor that turns scores into log-probabilities (what a LanguageModel returns)."""

    def __call__(self, input_ids, scores):
        return torch.log_softmax(scores.float(), dim=-1)


def generate(model, prompt, **kw):
    with torch.no_grad():
        out = model.generate(torch.tensor([prompt]), attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
                             pad_token_id=0, min_new_tokens=0, return_dict_in_generate=True, output_scores=True,
                             do_sample=False, **kw)
    eos = set(kw.get("eos_token_id") or [])
    seqs = []
    for i, row in enumerate(out.sequences):
        new = row[len(prompt):].tolist()
        for j, t in enumerate(new):
            if t in eos:
                new = new[: j + 1]
                break
        entry = {"ids": new}
        if getattr(out, "sequences_scores", None) is not None:
            entry["score"] = float(out.sequences_scores[i])
        seqs.append(entry)
    return seqs


def generate_fixture():
    runs = []
    for name in ("gqa-tied", "mqa-untied"):
        folder = os.path.join(ERNIE, name)
        model = Ernie4_5ForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
        with open(os.path.join(folder, "expected.json")) as f:
            prompt = json.load(f)["input_ids"][:6]
        # End-of-sequence ids that beams really produce: the most common new tokens of a plain beam search.
        probe = generate(model, prompt, num_beams=4, num_return_sequences=4, max_new_tokens=8, eos_token_id=None)
        counts = collections.Counter(t for s in probe for t in s["ids"][1:])
        common = [t for t, _ in counts.most_common(3)]
        eos1, eos2 = [common[0]], common[:2]
        specs = [
            dict(strategy="greedy", max_new_tokens=10, eos_token_id=None),
            dict(strategy="greedy", max_new_tokens=10, eos_token_id=eos1),
            dict(strategy="beam", num_beams=4, length_penalty=1.0, early_stopping=False, max_new_tokens=8,
                 eos_token_id=eos1),
            dict(strategy="beam", num_beams=4, length_penalty=0.0, early_stopping=True, max_new_tokens=8,
                 eos_token_id=eos1, num_return_sequences=2),
            dict(strategy="beam", num_beams=3, length_penalty=2.0, early_stopping="never", max_new_tokens=8,
                 eos_token_id=eos2, num_return_sequences=3),
            dict(strategy="beam", num_beams=5, length_penalty=-0.5, early_stopping=False, max_new_tokens=7,
                 eos_token_id=eos2, num_return_sequences=5),
            dict(strategy="beam", num_beams=2, length_penalty=1.0, early_stopping="never", max_new_tokens=9,
                 eos_token_id=eos1),
            dict(strategy="beam", num_beams=4, length_penalty=1.0, early_stopping=True, max_new_tokens=6,
                 eos_token_id=None, num_return_sequences=4),
            # Processors inside search: transformers applies them to each beam's log-probs (and greedy's scores).
            dict(strategy="greedy", max_new_tokens=10, eos_token_id=None, repetition_penalty=1.5),
            dict(strategy="beam", num_beams=3, length_penalty=1.0, early_stopping=False, max_new_tokens=8,
                 eos_token_id=eos1, num_return_sequences=3, repetition_penalty=1.5),
        ]
        for spec in specs:
            kw = {k: v for k, v in spec.items() if k != "strategy"}
            if spec["strategy"] == "greedy":
                kw["num_beams"] = 1
            if spec["strategy"] == "greedy" and "repetition_penalty" in kw:
                # A LanguageModel gives log-probabilities, not logits, and the repetition penalty is not invariant
                # to the log_softmax shift (z/θ vs z·θ depends on the sign of z). transformers' beam search applies
                # its processors after log_softmax; its greedy search applies them to raw logits. For greedy we
                # therefore run transformers' own processor after a log_softmax, as its beam search does.
                kw["logits_processor"] = LogitsProcessorList(
                    [LogSoftmax(), RepetitionPenaltyLogitsProcessor(kw.pop("repetition_penalty"))])
                spec = {**spec, "penalty_applied_to": "log_softmax"}
            seqs = generate(model, prompt, **kw)
            runs.append({"model": name, "prompt": prompt, **spec, "sequences": seqs})
            print(f"  {name} {spec}: " + "; ".join(f"{s['ids']} {s.get('score', '')}" for s in seqs))
    path = os.path.join(OUT, "generate.json")
    with open(path, "w") as f:
        json.dump({"versions": PINNED, "runs": runs}, f, indent=1)
    print(f"wrote {path} ({os.path.getsize(path)} bytes): {len(runs)} runs")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    print("versions:", PINNED)
    processors_fixture()
    generate_fixture()
