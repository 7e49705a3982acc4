#!/usr/bin/env python3
"""PyTorch CPU training speed on the tiny ERNIE's exact config, batch and sequence length — the reference that
`lmlab train tiny-ernie --bench N` is compared with (docs/PERFORMANCE.md, "Tiny ERNIE training").

Pinned: torch==2.13.0+cpu (pip install torch==2.13.0+cpu finds /opt/wheels), transformers==5.24.0.
Run:  python3 scripts/bench_train_tiny_ernie.py [--steps 10] [--threads 2] [--config Models/tiny-ernie/config.json]
It builds Ernie4_5ForCausalLM from the config (random weights, float32, eager attention), and times full training
steps: forward, cross-entropy, backward, clip_grad_norm_(1.0), AdamW(betas 0.9/0.95, wd 0.1) — the same step as
TinyErnieTrainer — on random token windows of batch × seq, after one untimed warm-up step. Prints steps/s and tok/s.
"""
import argparse
import json
import os
import time

import torch
import transformers
from transformers import Ernie4_5Config, Ernie4_5ForCausalLM

PINNED = {"torch": "2.13.0+cpu", "transformers": "5.24.0"}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=128)
    p.add_argument("--config", default=os.path.join(here, "..", "Models", "tiny-ernie", "config.json"))
    a = p.parse_args()
    assert torch.__version__ == PINNED["torch"] and transformers.__version__ == PINNED["transformers"], \
        f"pinned versions {PINNED}, found torch {torch.__version__}, transformers {transformers.__version__}"
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with open(a.config) as f:
        cfg = json.load(f)
    cfg["dtype"] = "float32"
    config = Ernie4_5Config(**{k: v for k, v in cfg.items() if k not in ("architectures", "model_type", "transformers_version")})
    config._attn_implementation = "eager"
    model = Ernie4_5ForCausalLM(config).float().train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    params = sum(p.numel() for p in model.parameters())

    def step():
        ids = torch.randint(0, config.vocab_size, (a.batch, a.seq + 1))
        opt.zero_grad(set_to_none=True)
        logits = model(input_ids=ids[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, config.vocab_size), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - start
    print(f"pytorch {torch.__version__} (transformers {transformers.__version__}), {params} parameters, "
          f"{a.threads} threads: {a.steps} steps (batch {a.batch} × seq {a.seq}) in {seconds:.2f} s: "
          f"{a.steps / seconds:.3f} steps/s, {a.steps * a.batch * a.seq / seconds:.0f} tok/s")


if __name__ == "__main__":
    main()
