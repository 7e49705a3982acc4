#!/usr/bin/env python3
"""Encoding throughput: LMLab's SentencePiece (Swift, release build) vs the sentencepiece library, same text, one run.

Both sides time the fastest of --repeats passes, by wall clock and by the encoding thread's CPU time (the latter
is steadier on a busy machine). Generates ~1 MB of mixed text (Chinese / English / digits / emoji, the corpus generator of make_spm_fixtures.py,
with a different seed), encodes it line by line with the library, then runs
`lmlab bench tokenize --model M --text T --json` on the same file and compares throughput and ids.

Usage:
  pip install sentencepiece==0.2.1
  swift build -c release --product lmlab
  python3 scripts/bench_spm.py [--lmlab .build/release/lmlab] [--models bpe_ernie,bpe_default,unigram] [--repeats 5]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import sentencepiece as spm

sys.path.insert(0, os.path.dirname(__file__))
from make_spm_fixtures import SENTENCEPIECE_VERSION, corpus_line  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Tests", "TokenizersTests", "Fixtures", "spm")


def bench_text(size=1_000_000, seed=99):
    rng = random.Random(seed)
    lines, total = [], 0
    while total < size:
        line = corpus_line(rng)
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(lines) + "\n"


def ids_digest(all_ids):
    """FNV-1a (64-bit) over every id, with 0xFFFFFFFF after each line (SentencePieceBenchmark.digest in Swift)."""
    h, prime, mask = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1
    for ids in all_ids:
        for i in ids:
            h = ((h ^ i) * prime) & mask
        h = ((h ^ 0xFFFFFFFF) * prime) & mask
    return f"{h:016x}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lmlab", default=".build/release/lmlab")
    ap.add_argument("--models", default="bpe_ernie,bpe_default,unigram")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    if spm.__version__ != SENTENCEPIECE_VERSION:
        sys.exit(f"need sentencepiece=={SENTENCEPIECE_VERSION}, found {spm.__version__}")

    text = bench_text()
    fd, path = tempfile.mkstemp(suffix=".txt", prefix="spm-bench-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    lines = text.split("\n")[:-1]
    nbytes = len(text.encode("utf-8"))
    print(f"text: {nbytes} bytes, {len(lines)} lines ({path})")
    print(f"load: {os.getloadavg()}")

    results = []
    for name in args.models.split(","):
        model = os.path.join(FIXTURES, f"{name}.model")
        sp = spm.SentencePieceProcessor(model_file=model)
        best = best_cpu = float("inf")
        for _ in range(args.repeats):
            c0, t0 = time.thread_time(), time.perf_counter()
            all_ids = [sp.encode(line) for line in lines]
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.thread_time() - c0)
        n_tokens = sum(len(x) for x in all_ids)
        lib = {"seconds": best, "mb_per_s": nbytes / best / 1e6, "mb_per_cpu_s": nbytes / best_cpu / 1e6,
               "tokens": n_tokens, "digest": ids_digest(all_ids)}

        out = subprocess.run([args.lmlab, "bench", "tokenize", "--model", model, "--text", path,
                              "--repeats", str(args.repeats), "--json"],
                             check=True, capture_output=True, text=True).stdout
        ours = json.loads(out)
        same = ours["tokens"] == lib["tokens"] and ours["digest"] == lib["digest"]
        ratio = ours["mb_per_s"] / lib["mb_per_s"]
        cpu_ratio = ours["mb_per_cpu_s"] / lib["mb_per_cpu_s"]
        results.append((name, lib, ours, ratio, same))
        print(f"{name:12s} library {lib['mb_per_s']:6.2f} MB/s ({lib['mb_per_cpu_s']:6.2f} per CPU-s)   "
              f"lmlab {ours['mb_per_s']:6.2f} MB/s ({ours['mb_per_cpu_s']:6.2f} per CPU-s)   "
              f"ratio {ratio:4.2f}x wall, {cpu_ratio:4.2f}x CPU   tokens {lib['tokens']}   ids identical: {same}")
    os.unlink(path)
    if not all(r[4] for r in results):
        sys.exit("ids differ between lmlab and the library")


if __name__ == "__main__":
    main()
