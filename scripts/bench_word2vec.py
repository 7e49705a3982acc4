#!/usr/bin/env python3
"""word2vec speed and quality: gensim against `lmlab embed train`, same corpus and settings, one run each.

    pip install gensim==4.4.0            # (numpy 2.4.6 was installed alongside when this was written)
    swift build -c release --scratch-path .build-w2v
    python3 scripts/bench_word2vec.py    # --lmlab PATH, --epochs N, --sg 0 for CBOW; --help for all

Both train on Lessons/data/stories.en.train.txt, one sentence per line, lowercased and split into words and
punctuation exactly as lmlab's WordTokenizer splits this ASCII corpus (the script checks that both saw the same
number of words and the same vocabulary size). Same dimension, window, negatives, epochs, min_count, sample,
alpha → min_alpha, 2 worker threads. Timed: the training loop only (gensim `train()` after `build_vocab()`;
lmlab's report covers its loop, after reading and encoding the corpus).

Printed for each: raw words per wall-clock second (corpus words × epochs / seconds, the same count for both),
CPU seconds of the loop (the process's CPU time: a steadier figure on a busy machine), and accuracy on
Lessons/data/analogies.en.txt (3CosAdd, inputs excluded; gensim's evaluate_word_analogies). Then the ratio
lmlab / gensim. The machine's load (`uptime`) is printed before each run; record it with the numbers.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

GENSIM_VERSION = "4.4.0"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def load_sentences(path):
    with open(path, encoding="utf-8") as f:
        return [re.findall(r"\w+|[^\w\s]+", line.lower()) for line in f if line.strip()]


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def uptime():
    with open("/proc/loadavg") as f:
        return "load average " + " ".join(f.read().split()[:3])


def run_gensim(sentences, a, analogies):
    import gensim
    from gensim.models import Word2Vec
    assert gensim.__version__ == GENSIM_VERSION, f"gensim {gensim.__version__}; this script pins {GENSIM_VERSION}"
    m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, sg=a.sg, min_count=a.min_count,
                 sample=a.sample, alpha=a.alpha, min_alpha=a.min_alpha, workers=a.threads, seed=a.seed, hs=0)
    m.build_vocab(sentences)
    words = sum(len(s) for s in sentences)
    c0, t0 = cpu_seconds(), time.perf_counter()
    m.train(sentences, total_examples=len(sentences), total_words=words, epochs=a.epochs)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    acc, sections = m.wv.evaluate_word_analogies(analogies)
    per = {s["section"]: len(s["correct"]) / max(1, len(s["correct"]) + len(s["incorrect"])) for s in sections}
    return dict(words=words, vocabulary=len(m.wv), seconds=seconds, cpu=cpu, wps=words * a.epochs / seconds,
                accuracy=acc, sections=per)


def run_lmlab(a):
    cmd = [a.lmlab, "embed", "train", "--corpus", "stories-en", "--json", "--quiet",
           "--arch", "skipgram" if a.sg else "cbow", "--dim", str(a.dim), "--window", str(a.window),
           "--negative", str(a.negative), "--epochs", str(a.epochs), "--min-count", str(a.min_count),
           "--sample", str(a.sample), "--alpha", str(a.alpha), "--min-alpha", str(a.min_alpha),
           "--threads", str(a.threads), "--seed", str(a.seed)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    r = json.loads(out)
    t = r["training"]
    per = {s["name"]: s["correct"] / max(1, s["asked"]) for s in r["analogies"]["sections"]}
    return dict(words=t["wordsPerEpoch"], vocabulary=r["vocabulary"], seconds=t["seconds"], cpu=t["cpuSeconds"],
                wps=t["wordsPerSecond"], accuracy=r["accuracy"], sections=per), " ".join(cmd)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lmlab", default=os.path.join(ROOT, ".build-w2v", "release", "lmlab"))
    p.add_argument("--corpus", default=os.path.join(ROOT, "Lessons", "data", "stories.en.train.txt"))
    p.add_argument("--analogies", default=os.path.join(ROOT, "Lessons", "data", "analogies.en.txt"))
    p.add_argument("--sg", type=int, default=1, help="1 skip-gram, 0 CBOW")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--min-alpha", type=float, default=0.0001)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if not os.path.exists(a.lmlab):
        sys.exit(f"{a.lmlab} not found. HINT: swift build -c release --scratch-path .build-w2v")

    sentences = load_sentences(a.corpus)
    print(f"corpus {os.path.relpath(a.corpus, ROOT)}: {len(sentences)} sentences, "
          f"{sum(len(s) for s in sentences)} words; {'skip-gram' if a.sg else 'CBOW'}, D={a.dim}, window={a.window}, "
          f"negative={a.negative}, epochs={a.epochs}, min_count={a.min_count}, sample={a.sample}, "
          f"alpha={a.alpha}→{a.min_alpha}, {a.threads} threads")
    print(f"gensim {GENSIM_VERSION}: {uptime()}", flush=True)
    g = run_gensim(sentences, a, a.analogies)
    print(f"lmlab:  {uptime()}", flush=True)
    s, cmd = run_lmlab(a)
    print(f"  ({cmd})")
    assert g["words"] == s["words"] and g["vocabulary"] == s["vocabulary"], \
        f"not the same corpus: gensim {g['words']} words / {g['vocabulary']} types, lmlab {s['words']} / {s['vocabulary']}"

    sections = list(s["sections"])
    print(f"{'':8} {'words/s':>12} {'seconds':>8} {'CPU s':>7} {'analogy':>8}  " + "  ".join(sections))
    for name, r in (("gensim", g), ("lmlab", s)):
        print(f"{name:8} {r['wps']:12,.0f} {r['seconds']:8.2f} {r['cpu']:7.2f} {100 * r['accuracy']:7.1f}%  "
              + "  ".join(f"{100 * r['sections'].get(k, 0):{len(k)}.1f}" for k in sections))
    print(f"ratio lmlab / gensim: {s['wps'] / g['wps']:.2f}× words/s (wall clock), "
          f"{g['cpu'] / s['cpu']:.2f}× less CPU time")
    print(f"{uptime()}")


if __name__ == "__main__":
    main()
