#!/usr/bin/env python3
"""Mean |Δ log P| per scored token of llama.cpp on a GGUF against the lab's own log-probs of the same ids: the peer's
side of the ledger that `scripts/prob_precision_delta.py` keeps for the lab (issue 21; docs/PERFORMANCE.md, "int4:
int8 group scales and a step search"). The same two inputs as that script: `ids N` (N seeded ids in [259, 103424))
or `text FILE` (its first 40 lines, each scored on its own from the lab's tokenisation, <s> first).

Run in the venv of scripts/bench_ernie_vs_llamacpp.py (llama-cpp-python and numpy pinned there), which also makes
the GGUF files (~/.cache/lmlab/gguf; scripts/export_gguf.py for a model folder):
  ~/.cache/lmlab/llamacpp-venv/bin/python scripts/llamacpp_precision_delta.py LMLAB MODEL GGUF PRECISION ids 128
  ~/.cache/lmlab/llamacpp-venv/bin/python scripts/llamacpp_precision_delta.py LMLAB MODEL GGUF PRECISION text FILE
LMLAB's `prob … --precision PRECISION --json` is the reference.
"""
import json, random, subprocess, sys
import numpy as np
import llama_cpp

lab, model, gguf, precision, kind, arg = sys.argv[1:7]


def lab_prob(args):
    """The lab's ids and per-token log-probs (None for the first)."""
    out = subprocess.run([lab, "prob", *args, "--model", model, "--precision", precision, "--json"],
                         capture_output=True, text=True, check=True).stdout
    tokens = json.loads(out)["tokens"]
    return [t["id"] for t in tokens], [t["logprob"] for t in tokens]


if kind == "ids":
    rng = random.Random(0)
    inputs = [["--ids", ",".join(str(rng.randrange(259, 103424)) for _ in range(int(arg)))]]
else:
    inputs = [[line] for line in open(arg).read().split("\n")[:40] if line.strip()]
llm = llama_cpp.Llama(model_path=gguf, n_ctx=1024, n_batch=512, n_ubatch=512, n_threads=2, logits_all=True,
                      verbose=False)
d = []
for args in inputs:
    ids, reference = lab_prob(args)
    llm.reset()
    llm.eval(ids)
    logits = np.asarray(llm.scores[:len(ids)], dtype=np.float64)
    top = logits.max(axis=1, keepdims=True)
    logp = logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    d += [abs(logp[i - 1, ids[i]] - reference[i]) for i in range(1, len(ids)) if reference[i] is not None]
print(f"{gguf}: llama.cpp vs lab {precision}: {len(d)} tokens, mean |Δ log P| {sum(d) / len(d):.4f}, max {max(d):.4f}")
