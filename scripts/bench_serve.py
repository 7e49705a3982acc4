#!/usr/bin/env python3
"""Requests/s and latency of `lmlab serve` under 1, 4 and 16 concurrent clients (docs/PERFORMANCE.md, "lmlab serve").

    swift build -c release && .build/release/lmlab serve --model tiny-ernie --port 8080 &
    python3 scripts/bench_serve.py --url http://127.0.0.1:8080 --requests 48

Each client sends greedy /v1/completions requests (max_tokens 32, one of four story prompts) back to back; the
server queues them and runs one at a time, so requests/s stays flat and latency grows with the clients.
Standard library only (urllib, threads).
"""
import argparse
import json
import statistics
import threading
import time
import urllib.request

PROMPTS = ["One day, Luna went to the", "The dog says", "有一天，露娜和她的爸爸", "The cow says"]


def one(url, prompt, max_tokens):
    body = json.dumps({"prompt": prompt, "max_tokens": max_tokens, "temperature": 0}).encode()
    req = urllib.request.Request(url + "/v1/completions", data=body, headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        answer = json.loads(r.read())
    return time.perf_counter() - t, answer["usage"]["completion_tokens"]


def run(url, clients, total, max_tokens):
    latencies, tokens, lock = [], [0], threading.Lock()
    per_client = max(1, total // clients)

    def client(k):
        for i in range(per_client):
            seconds, n = one(url, PROMPTS[(k + i) % len(PROMPTS)], max_tokens)
            with lock:
                latencies.append(seconds)
                tokens[0] += n

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    print(f"| {clients:>2} | {len(latencies):>3} | {len(latencies) / wall:6.2f} | {tokens[0] / wall:7.1f} | "
          f"{statistics.median(latencies) * 1000:7.0f} | {p95 * 1000:7.0f} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--requests", type=int, default=48, help="requests per concurrency level")
    ap.add_argument("--max-tokens", type=int, default=32)
    args = ap.parse_args()
    one(args.url, PROMPTS[0], args.max_tokens)          # warm-up
    print("| clients | requests | requests/s | tokens/s | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for clients in (1, 4, 16):
        run(args.url.rstrip("/"), clients, args.requests, args.max_tokens)


if __name__ == "__main__":
    main()
