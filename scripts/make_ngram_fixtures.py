#!/usr/bin/env python3
"""Reference n-gram probabilities from nltk.lm for Tests/ClassicLMsTests (ClassicLMs' NGramCounts/NGramSmoothing).

Pinned: nltk==3.9.2 (pip install nltk==3.9.2), Python 3.
Run from the project root:  python3 scripts/make_ngram_fixtures.py

Training text: the first 240 sentences of Lessons/data/luna.en.txt + stories.en.train.txt, tokenized here with a
simple lowercase regex (the Swift test reads these token lists, so both sides count exactly the same tokens).
Queries: every (context, word) of the padded held-out sentences (seen, unseen and <UNK> n-grams), plus shuffled
contexts and words, for n = 1..5 under MLE, Laplace, Lidstone(0.5), KneserNeyInterpolated (discount 0.1 and 0.75).
nltk pads each sentence with n-1 "<s>" and n-1 "</s>" (padded_everygram_pipeline); the Swift test counts with
NGramPadding.nltk(order:) to match. KN at n = 1 is skipped: nltk divides by the (empty) bigram table there.
"""
import json
import os
import random
import re

import nltk
from nltk.lm import MLE, KneserNeyInterpolated, Laplace, Lidstone
from nltk.lm.preprocessing import pad_both_ends, padded_everygram_pipeline

assert nltk.__version__ == "3.9.2", f"pin nltk==3.9.2 (found {nltk.__version__})"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "ClassicLMsTests", "Fixtures", "nltk_ngram.json")


def tokenize(line):
    return re.findall(r"[a-z0-9']+|[^a-z0-9'\s]", line.lower())


def sentences(name, limit):
    with open(os.path.join(ROOT, "Lessons", "data", name), encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip()]
    return [tokenize(l) for l in lines[:limit]]


def main():
    rng = random.Random(7)
    train = sentences("luna.en.txt", 100) + sentences("stories.en.train.txt", 228)
    heldout = sentences("stories.en.heldout.txt", 12) + [["luna", "saw", "a", "purple", "dragon", "."]]
    models = [("mle", lambda n: MLE(n)), ("laplace", lambda n: Laplace(n)),
              ("lidstone0.5", lambda n: Lidstone(0.5, n)),
              ("kn0.1", lambda n: KneserNeyInterpolated(n)),
              ("kn0.75", lambda n: KneserNeyInterpolated(n, discount=0.75))]
    cases = []
    for n in range(1, 6):
        queries = []
        for s in heldout:
            padded = list(pad_both_ends(s, n=n))
            for i in range(n - 1, len(padded)):
                queries.append((padded[i - n + 1:i], padded[i]))
        words = sorted({w for s in train for w in s}) + ["</s>", "zebra"]
        for _ in range(60):
            ctx, _ = rng.choice(queries)
            queries.append((ctx, rng.choice(words)))
        for mname, make in models:
            if mname.startswith("kn") and n == 1:
                continue
            lm = make(n)
            grams, vocab = padded_everygram_pipeline(n, train)
            lm.fit(grams, vocab)
            rows, skipped = [], 0
            for ctx, w in queries:
                try:
                    p = lm.score(w, ctx if ctx else None)
                except ZeroDivisionError:
                    skipped += 1
                    continue
                rows.append({"context": ctx, "word": w, "p": p})
            cases.append({"model": mname, "order": n, "vocabulary": len(lm.vocab), "queries": rows,
                          "skipped": skipped})
            print(f"{mname:12s} n={n}: {len(rows)} queries, {skipped} skipped (ZeroDivisionError), |V|={len(lm.vocab)}")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"nltk": nltk.__version__, "train": train, "cases": cases}, f, ensure_ascii=False)
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
