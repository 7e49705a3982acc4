#!/usr/bin/env python3
"""Checks `lmlab serve` with the real `openai` Python client (issue 22's acceptance, end to end).

    python3 -m venv /tmp/oa && /tmp/oa/bin/pip install openai==3.63.0
    lmlab serve --model tiny-ernie --port 8080 &
    /tmp/oa/bin/python scripts/openai_client_check.py --url http://127.0.0.1:8080 --model Models/tiny-ernie

Checks, each printed with its numbers; exit status 1 when any fails:
  1. models.list() names the served model;
  2. a token-id prompt with echo=True, logprobs=5 returns the prompt's log-probs, the first None, and they equal
     transformers' log P(t_i | t_<i) (when --model is given and torch + transformers are installed), Δ ≤ 1e-4;
     without transformers, each equals the same token's entry in its own top_logprobs;
  3. temperature 0 with extra_body={"return_tokens_as_token_ids": True} gives "token_id:N" tokens, equal to a
     second identical request (ServeTests' greedyIsTheLabsGreedy checks them against the lab's own greedy);
  4. stream=True assembles to the same text;
  5. 4 concurrent clients get the same answers as one;
  6. chat.completions answers, with logprobs;
  7. malformed JSON gets 400 with an {"error": {"message", "type", "param"}} object (sent with urllib: the
     client never sends malformed JSON).
"""
# Pinned: the client whose behaviour this script checks. transformers is optional (check 2's reference).
OPENAI_VERSION = "3.63.0"

import argparse
import concurrent.futures
import json
import math
import sys
import urllib.error
import urllib.request

import openai

failures = []


def check(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail else ""))
    if not ok:
        failures.append(name)


def reference_logprobs(model_dir, ids):
    """log P(ids[i] | ids[<i]) for i ≥ 1 from transformers (float32), or None without transformers."""
    try:
        import torch
        from transformers import AutoModelForCausalLM
    except ImportError:
        return None
    model = AutoModelForCausalLM.from_pretrained(model_dir, torch_dtype=torch.float32, trust_remote_code=True)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float()
    lp = torch.log_softmax(logits, dim=-1)
    return [lp[i - 1, ids[i]].item() for i in range(1, len(ids))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--model", help="the model folder, for transformers' reference log-probs")
    ap.add_argument("--api-key", default="none")
    args = ap.parse_args()
    if openai.__version__ != OPENAI_VERSION:
        print(f"note: openai {openai.__version__} installed; this script is pinned to {OPENAI_VERSION}")
    client = openai.OpenAI(base_url=args.url.rstrip("/") + "/v1", api_key=args.api_key)

    # 1. models
    models = [m.id for m in client.models.list().data]
    check("models.list", len(models) == 1, f"{models}")
    name = models[0]

    # 2. token-id prompt, echo, logprobs
    ids = [1, 812, 814, 2635, 331, 308, 305, 275, 407, 329, 310, 716, 2625, 23]
    r = client.completions.create(model=name, prompt=ids, echo=True, logprobs=5, max_tokens=1, temperature=0,
                                  extra_body={"return_tokens_as_token_ids": True})
    lp = r.choices[0].logprobs
    echoed = [int(t.split(":")[1]) for t in lp.tokens[:len(ids)]]
    check("echo returns the prompt ids", echoed == ids, f"{echoed[:5]}…")
    check("the first prompt log-prob is None", lp.token_logprobs[0] is None and lp.top_logprobs[0] is None)
    served = lp.token_logprobs[1:len(ids)]
    ref = reference_logprobs(args.model, ids) if args.model else None
    if ref is not None:
        worst = max(abs(a - b) for a, b in zip(served, ref))
        check("echoed log-probs = transformers", worst <= 1e-4, f"max |Δ| {worst:.2e} over {len(ref)} tokens")
    else:
        top_ok = all(abs(tl[f"token_id:{t}"] - v) < 1e-6 for tl, t, v in zip(lp.top_logprobs[1:], ids[1:], served)
                     if f"token_id:{t}" in tl)
        check("echoed log-probs agree with their own top_logprobs (no transformers here)", top_ok)
    check("log-probs are ≤ 0", all(v <= 0 and not math.isnan(v) for v in served))

    # 3. greedy with token ids, twice
    def greedy(prompt):
        r = client.completions.create(model=name, prompt=prompt, max_tokens=24, temperature=0, logprobs=1,
                                      extra_body={"return_tokens_as_token_ids": True})
        return r.choices[0].text, [int(t.split(":")[1]) for t in r.choices[0].logprobs.tokens]
    text, gids = greedy("One day, Luna went to the")
    check("greedy tokens are token_id:N", len(gids) > 0, f"{gids[:8]}… {text!r}")
    check("greedy is reproducible", greedy("One day, Luna went to the") == (text, gids))

    # 4. stream
    parts = [c.choices[0].text for c in client.completions.create(
        model=name, prompt="One day, Luna went to the", max_tokens=24, temperature=0, stream=True)]
    check("stream assembles to the same text", "".join(parts) == text, f"{len(parts)} events")

    # 5. four clients at once
    prompts = ["One day, Luna went to the", "The dog says", "有一天，露娜", "The cow says"]
    alone = [greedy(p) for p in prompts]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        together = list(pool.map(greedy, prompts))
    check("4 concurrent clients = 1", together == alone)

    # 6. chat
    c = client.chat.completions.create(model=name, messages=[{"role": "user", "content": "What does the cow say?"}],
                                       max_tokens=16, temperature=0, logprobs=True, top_logprobs=2)
    content = c.choices[0].message.content
    check("chat answers", isinstance(content, str) and c.choices[0].logprobs is not None
          and len(c.choices[0].logprobs.content) > 0, repr(content))

    # 7. malformed JSON
    req = urllib.request.Request(args.url.rstrip("/") + "/v1/completions", data=b'{"prompt": "hi",',
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {args.api_key}"})
    try:
        urllib.request.urlopen(req)
        check("malformed JSON → 400", False, "answered 2xx")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        err = body.get("error", {})
        check("malformed JSON → 400 with an error object",
              e.code == 400 and {"message", "type", "param"} <= set(err), f"{e.code} {err.get('message', '')[:60]}")
    try:
        client.completions.create(model="no-such-model", prompt="hi", max_tokens=1)
        check("unknown model → 404", False)
    except openai.NotFoundError as e:
        check("unknown model → 404 (openai.NotFoundError)", True, str(e)[:80])

    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
