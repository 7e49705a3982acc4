#!/usr/bin/env python3
"""Held-out perplexity of tiny ERNIE model folders, measured by transformers (independently of the lab's engine),
on the older held-out stories and on the pet stories separately — the model card's before/after comparison of the
retraining with pet stories (issue 18). Each story is scored alone as <s> story </s>; perplexity =
exp(mean negative log-likelihood over every predicted token).

Pinned: transformers==5.24.0, torch==2.13.0+cpu, sentencepiece==0.2.1 (as scripts/check_tiny_ernie.py).
Run:    python3 scripts/tiny_ernie_heldout.py FOLDER [FOLDER ...]      e.g. an older Models/tiny-ernie and today's
"""
import math
import os
import sys

import sentencepiece as spm
import torch
from transformers import AutoModelForCausalLM

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SETS = {"older held-out stories": ["stories.en.heldout.txt", "stories.zh.heldout.txt"],
        "pet held-out stories": ["stories.en.pets.heldout.txt", "stories.zh.pets.heldout.txt"]}


def stories(name):
    text = open(os.path.join(ROOT, "Lessons", "data", name), encoding="utf-8").read()
    return [s.strip("\n") for s in text.split("\n\n") if s.strip("\n")]


def main():
    torch.set_num_threads(1)
    for folder in sys.argv[1:]:
        sp = spm.SentencePieceProcessor(model_file=os.path.join(folder, "tokenizer.model"))
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
        for label, files in SETS.items():
            nll, n = 0.0, 0
            for story in (s for f in files for s in stories(f)):
                ids = [sp.bos_id()] + sp.encode(story) + [sp.eos_id()]
                with torch.no_grad():
                    logp = torch.log_softmax(model(torch.tensor([ids])).logits[0, :-1].double(), -1)
                nll -= logp[torch.arange(len(ids) - 1), torch.tensor(ids[1:])].sum().item()
                n += len(ids) - 1
            print(f"{folder}\t{label}\t{n} tokens\tperplexity {math.exp(nll / n):.4f}", flush=True)


if __name__ == "__main__":
    main()
