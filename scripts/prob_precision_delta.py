#!/usr/bin/env python3
"""Mean |Δ log P| per scored token between two weight precisions of one model, from `lmlab prob --json` (its
`tokens` and `compare.tokens` lists). Standard library only.

Run: scripts/prob_precision_delta.py LMLAB MODEL PRECISION_A PRECISION_B text FILE   (the first 40 lines, one prob each)
     scripts/prob_precision_delta.py LMLAB MODEL PRECISION_A PRECISION_B ids N       (N seeded ids in [259, 103424))
"""
import json, subprocess, sys, random
lmlab, model, a, b = sys.argv[1:5]
def run(args):
    out = subprocess.run([lmlab, "prob", *args, "--model", model, "--compare", model, "--precision", a,
                          "--compare-precision", b, "--json"], capture_output=True, text=True, check=True).stdout
    d = json.loads(out)
    return [(x["logprob"], y["logprob"]) for x, y in zip(d["tokens"], d["compare"]["tokens"]) if x["logprob"] is not None]
pairs = []
if sys.argv[5] == "text":
    for line in open(sys.argv[6]).read().split("\n")[:40]:
        if line.strip(): pairs += run([line])
else:
    rng = random.Random(0)
    pairs += run(["--ids", ",".join(str(rng.randrange(259, 103424)) for _ in range(int(sys.argv[6])))])
d = [abs(x - y) for x, y in pairs]
print(f"{model}: {b} vs {a}: {len(d)} tokens, mean |Δ log P| {sum(d)/len(d):.4f}, max {max(d):.4f}, "
      f"total log P {sum(x for x,_ in pairs):.3f} vs {sum(y for _,y in pairs):.3f}")
