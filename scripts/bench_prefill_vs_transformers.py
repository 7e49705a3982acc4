#!/usr/bin/env python3
"""The lab's bf16 prefill and transformers' on the same random ERNIE-4.5-0.3B weights, in one run (issue 21.5).

Pinned: torch==2.13.0 (CPU wheel), transformers==5.24.0 — the versions the fixture scripts use
        (pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0; pip install transformers==5.24.0).
Run:    python scripts/bench_prefill_vs_transformers.py --lmlab .build/release/lmlab [--tokens 512] [--rounds 5]
        [--threads 2] [--json OUT]
What:   `lmlab bench prefill --random-0.3b` writes the seeded random checkpoint once ($TMPDIR/lmlab-random-0.3b-seed0,
        bf16, tied embeddings) and times one call over T seeded ids with only the last position's logits kept.
        transformers loads the same folder as Ernie4_5ForCausalLM in torch.bfloat16 (its CPU matmuls use oneDNN:
        AMX tiles where the CPU has them, else AVX512-BF16 or AVX-512) and times model(ids, logits_to_keep=1) under
        torch.inference_mode() after one warm-up call, with torch.set_num_threads(T). Rounds alternate the two so both
        see the same machine; each lab sample is a fresh process (as `lmlab prob` would run), transformers keeps its
        model loaded between rounds (its load is not timed). Prints each sample, the medians and the ratio.
        Both take random ids in [259, V): the numbers measure the engines, not the text.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PINNED = {"torch": "2.13.0", "transformers": "5.24.0"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--lmlab", default=os.path.join(root, ".build", "release", "lmlab"))
    parser.add_argument("--tokens", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write every sample and the medians here")
    args = parser.parse_args()
    if not os.access(args.lmlab, os.X_OK):
        sys.exit(f"bench_prefill_vs_transformers: {args.lmlab}: not an executable. "
                 "HINT: swift build -c release --product lmlab")

    import numpy as np
    import torch
    import transformers
    for name, module in (("torch", torch), ("transformers", transformers)):
        if not module.__version__.startswith(PINNED[name]):
            print(f"warning: {name} {module.__version__}, written for {PINNED[name]}", file=sys.stderr)
    torch.set_num_threads(args.threads)

    env = dict(os.environ, LMLAB_THREADS=str(args.threads))
    lab_cmd = [args.lmlab, "bench", "prefill", "--random-0.3b", "--seed", str(args.seed), "--tokens", str(args.tokens),
               "--json"]
    folder = os.path.join(os.environ.get("TMPDIR") or tempfile.gettempdir(), f"lmlab-random-0.3b-seed{args.seed}")
    if not os.path.isfile(os.path.join(folder, "model.safetensors")):
        print(f"== writing the random 0.3B checkpoint to {folder}", flush=True)
        subprocess.run(lab_cmd[:-1] + ["--tokens", "1"], check=True, stdout=subprocess.DEVNULL, env=env)

    model = transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16)
    model.eval()
    rng = np.random.default_rng(args.seed)
    ids = torch.tensor([rng.integers(259, model.config.vocab_size, size=args.tokens)], dtype=torch.long)

    def transformers_prefill():
        with torch.inference_mode():
            t0 = time.perf_counter()
            out = model(ids, logits_to_keep=1, use_cache=True)
            elapsed = time.perf_counter() - t0
        assert torch.isfinite(out.logits).all()
        return args.tokens / elapsed

    transformers_prefill()                                   # warm-up: oneDNN primitives, page cache
    samples = {"lab": [], "transformers": []}
    print(f"== {args.rounds} rounds, {args.tokens} tokens, {args.threads} threads, load "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    for r in range(args.rounds):
        p = subprocess.run(lab_cmd, capture_output=True, text=True, env=env)
        if p.returncode != 0:
            sys.exit(f"{' '.join(lab_cmd)} failed ({p.returncode}): {p.stderr.strip()[-800:]}")
        lab = json.loads(p.stdout[p.stdout.index("{"):])["prefill_tokens_per_s"]
        hf = transformers_prefill()
        samples["lab"].append(lab)
        samples["transformers"].append(hf)
        print(f"round {r + 1}  lab {lab:7.1f} tok/s   transformers bf16 {hf:7.1f} tok/s   "
              f"(load {os.getloadavg()[0]:.2f})", flush=True)
    medians = {k: statistics.median(v) for k, v in samples.items()}
    print(f"== medians: lab {medians['lab']:.1f} tok/s, transformers {medians['transformers']:.1f} tok/s, "
          f"lab / transformers {medians['lab'] / medians['transformers']:.2f}×")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samples": samples, "medians": medians, "tokens": args.tokens, "threads": args.threads,
                       "torch": torch.__version__, "transformers": transformers.__version__}, f, indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
