#!/usr/bin/env python3
"""Greedy continuations of token ids by llama.cpp (llama-cpp-python), for identity runs against `lmlab generate`.

Pinned: llama-cpp-python==0.3.36 (the venv of scripts/llamacpp_check.sh, ~/.cache/lmlab/llamacpp-venv), numpy.
Run:    python3 scripts/llamacpp_greedy_ids.py MODEL.gguf N '[[1, 294, 572, 350], ...]'
Prints: one JSON list per prompt: the N ids llama.cpp picks by argmax of its logits (F32 KV cache), stopping at </s>
        (id 2). Feed it the ids `lmlab tokenize … --json` gives (with <s> first) and compare with the ids of
        `lmlab generate … --bos --max-new-tokens N --json`.
"""
import json
import sys

import numpy as np
from llama_cpp import Llama


def main():
    path, n, prompts = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    llm = Llama(model_path=path, n_ctx=512, n_threads=2, verbose=False, logits_all=True, type_k=0, type_v=0)
    for ids in prompts:
        llm.reset()
        llm.eval(ids)
        out = []
        for _ in range(n):
            t = int(np.argmax(np.array(llm.scores[llm.n_tokens - 1])))
            out.append(t)
            if t == 2:
                break
            llm.eval([t])
        print(json.dumps(out))


if __name__ == "__main__":
    main()
