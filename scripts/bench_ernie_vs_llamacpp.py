#!/usr/bin/env python3
"""The lab's ERNIE engine and llama.cpp on the same random ERNIE-4.5-0.3B weights, in one run (issue #4's speed table).

Pinned: llama-cpp-python==0.3.36 (llama.cpp compiled from its sdist with GGML_NATIVE=ON — scripts/llamacpp_check.sh
        builds the venv), gguf==0.19.0, numpy==2.3.5, sentencepiece==0.2.1 (for scripts/export_gguf.py).
Run:    ~/.cache/lmlab/llamacpp-venv/bin/python scripts/bench_ernie_vs_llamacpp.py --lmlab .build/release/lmlab
        [--precision bf16|int8|int4] [--rounds 3] [--threads 2] [--decode-tokens 64] [--prefill-tokens 512] [--json OUT]
        [--equalize-pages] [--baseline OLD_LMLAB] [--lab-precision as-stored|bf16|int8|int4]
What:   1. `lmlab bench decode --random-0.3b` writes the checkpoint once ($TMPDIR/lmlab-random-0.3b-seed0: exact 0.3B
           shapes, bf16, tied embeddings); scripts/export_gguf.py converts it to GGUF — BF16 for --precision bf16, Q8_0
           for int8 — with a numbered vocabulary (benchmarks feed ids, not text). For int4 the BF16 GGUF is made
           (or reused) and llama.cpp's own quantizer (`llama_model_quantize`, ftype MOSTLY_Q4_0, its defaults: the
           tied token embedding / output matrix gets llama.cpp's choice for it, Q6_K) writes the Q4_0 file.
           Both files are kept for the next run.
        2. Rounds alternate peers so both see the same machine: llama.cpp decode, lab decode, llama.cpp prefill, lab
           prefill, then (fresh processes, warm page cache) llama.cpp scoring 12 ids from Python and `lmlab prob --ids`.
           llama.cpp: Llama(n_threads=T, n_threads_batch=T, n_batch=n_ubatch=512), decode = 8 prompt ids, then N
           greedy steps (argmax of the last logits, one `eval` per token), prefill = one `eval` of 512 ids; its KV
           cache is llama.cpp's default (f16); Q8_0 without llama.cpp's extra buffer types (see
           without_extra_buffer_types: its AMX path crashes on this machine). Lab: `lmlab bench decode|prefill --json` with LMLAB_THREADS=T.
        3. Prints each sample, the medians, the ratios lab / llama.cpp and the load average before and after.
        4. Before and after the rounds, reads each engine's weight file once through a memory map, from the page
           cache, on T threads (numpy), and prints GB/s. Decode streams every weight per token, so it can go no
           faster than this; and it differs between files on the same machine: which physical pages the page
           cache gave a file can make one file read ~25 % slower than another for as long as it stays cached
           (measured in a 2-vCPU VM: 17–19 GB/s for one copy of the safetensors file, 22–27 GB/s for the GGUF
           and for a fresh `cp` of the same safetensors). A decode ratio is only a comparison of the engines
           when both files read at about the same speed; the script warns when they differ by more than 10 %.
           With --equalize-pages it instead gives the slower file new pages (copies it beside itself, keeps its
           mtime, renames the copy over it; up to 3 tries) until the two read within 10 % of each other.
        5. With --baseline OLD_LMLAB (e.g. a release build of an older commit), each round also runs that binary's
           decode and prefill right after the lab's, so "is the new engine as fast as the old one" is answered in the
           same rounds as the comparison with llama.cpp (issue 16: the decoder-layer fold must stay within noise).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PINNED = {"llama_cpp": "0.3.36"}
SCORE_IDS = [9150, 23, 2565, 14, 1711, 4002, 77, 31337, 512, 1024, 60000, 103000]


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def random_folder(seed):
    return os.path.join(os.environ.get("TMPDIR") or tempfile.gettempdir(), f"lmlab-random-0.3b-seed{seed}")


def ensure_gguf(args, folder):
    if args.precision == "int4":
        return ensure_q4_0(args, ensure_gguf(argparse.Namespace(**{**vars(args), "precision": "bf16"}), folder))
    kind = "bf16" if args.precision == "bf16" else "q8_0"
    path = os.path.join(args.work, f"random-0.3b-seed{args.seed}.{kind}.gguf")
    if not os.path.isfile(path) or os.path.getmtime(path) < os.path.getmtime(os.path.join(folder, "model.safetensors")):
        os.makedirs(args.work, exist_ok=True)
        print(f"== exporting {folder} to {path} ({kind})", flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "export_gguf.py"), "--outtype", kind,
                        "--synthetic-vocab", folder, path], check=True)
    return path


def ensure_q4_0(args, bf16_path):
    """The Q4_0 GGUF made from `bf16_path` by llama.cpp's own quantizer (in a fresh interpreter of this venv)."""
    path = bf16_path.replace(".bf16.gguf", ".q4_0.gguf")
    if not os.path.isfile(path) or os.path.getmtime(path) < os.path.getmtime(bf16_path):
        print(f"== quantising {bf16_path} to {path} (llama.cpp, Q4_0)", flush=True)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", "quantize", "--gguf", bf16_path,
                        "--out", path], check=True)
    return path


def quantize_worker(source, target):
    import llama_cpp
    import llama_cpp.llama_cpp as low
    if llama_cpp.__version__ != PINNED["llama_cpp"]:
        print(f"warning: llama-cpp-python {llama_cpp.__version__}, written for {PINNED['llama_cpp']}", file=sys.stderr)
    params = low.llama_model_quantize_default_params()
    params.ftype = low.LLAMA_FTYPE_MOSTLY_Q4_0
    params.nthread = os.cpu_count() or 1
    status = low.llama_model_quantize(source.encode(), target.encode(), params)
    if status != 0:
        sys.exit(f"bench_ernie_vs_llamacpp: llama_model_quantize({source} → {target}) returned {status}. "
                 "HINT: re-export the BF16 GGUF (delete it) and run again")


# ---- llama.cpp workers (run in a fresh interpreter each, like the lab's fresh process) ----------------------------
def without_extra_buffer_types():
    """llama.cpp's "extra buffer types" (its AMX int8 and repacked layouts) put Q8_0 weights on its AMX kernel here,
    which dies of SIGILL (`tilezero` on a worker thread whose tile configuration was never loaded — also after the
    process was granted tile state). The int8 run therefore loads Q8_0 with use_extra_bufts = false: llama.cpp's
    standard Q8_0 dot products (AVX512-VNNI on this CPU). The BF16 run keeps the defaults."""
    import llama_cpp.llama_cpp as low
    default = low.llama_model_default_params

    def params():
        p = default()
        p.use_extra_bufts = False
        return p
    low.llama_model_default_params = params


def worker(mode, gguf_path, threads, n):
    import numpy as np
    import llama_cpp
    if gguf_path.endswith(".q8_0.gguf"):
        without_extra_buffer_types()
    if llama_cpp.__version__ != PINNED["llama_cpp"]:
        print(f"warning: llama-cpp-python {llama_cpp.__version__}, written for {PINNED['llama_cpp']}", file=sys.stderr)
    start = time.perf_counter()
    llm = llama_cpp.Llama(model_path=gguf_path, n_ctx=1024, n_batch=512, n_ubatch=512, n_threads=threads,
                          n_threads_batch=threads, logits_all=(mode == "score"), verbose=False)
    loaded = time.perf_counter()
    rng = np.random.default_rng(0)
    if mode == "decode":
        prompt = [int(t) for t in rng.integers(259, llm.n_vocab(), size=8)]
        llm.eval(prompt)
        first = time.perf_counter()
        steps = []
        for _ in range(n):
            t0 = time.perf_counter()
            token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
            llm.eval([token])
            steps.append(time.perf_counter() - t0)
        total = sum(steps)
        out = {"tokens_per_s": n / total, "median_ms": 1000 * statistics.median(steps),
               "first_logits_ms": 1000 * (first - start)}
    elif mode == "prefill":
        ids = [int(t) for t in rng.integers(259, llm.n_vocab(), size=n)]
        t0 = time.perf_counter()
        llm.eval(ids)
        elapsed = time.perf_counter() - t0
        out = {"tokens_per_s": n / elapsed, "seconds": elapsed}
    else:  # score: log-probs of every id after the first, as `lmlab prob --ids` computes them
        llm.eval(SCORE_IDS)
        logits = np.asarray(llm.scores[:len(SCORE_IDS)], dtype=np.float64)
        m = logits.max(axis=1, keepdims=True)
        logp = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
        total = float(sum(logp[i, SCORE_IDS[i + 1]] for i in range(len(SCORE_IDS) - 1)))
        out = {"total_logprob": total}
    out["load_s"] = loaded - start
    print(json.dumps(out))


def mapped_read_gbps(path, threads, repetitions=5):
    """GB/s of reading `path` once through a read-only memory map (page cache → CPU) on `threads` threads, best of
    `repetitions`: the ceiling for a decoder that streams this file's weights. numpy's reductions release the GIL,
    so the threads read in parallel."""
    import mmap
    import threading
    import numpy as np
    with open(path, "rb") as f:
        mapping = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    words = np.frombuffer(mapping, dtype=np.uint64, count=len(mapping) // 8)
    parts = np.array_split(words, threads)
    best = 0.0
    for _ in range(repetitions + 1):                 # the first pass only makes sure every page is cached
        threads_ = [threading.Thread(target=np.bitwise_or.reduce, args=(part,)) for part in parts]
        t0 = time.perf_counter()
        for t in threads_:
            t.start()
        for t in threads_:
            t.join()
        best = max(best, words.nbytes / (time.perf_counter() - t0) / 1e9)
    return best                                      # the mapping closes when its last view is freed


def report_mapped_reads(files, threads, when):
    speeds = {name: mapped_read_gbps(path, threads) for name, path in files.items()}
    print(f"== {when}: reading each weight file through a memory map, {threads} threads: "
          + ", ".join(f"{name} {gbps:.1f} GB/s" for name, gbps in speeds.items()), flush=True)
    low, high = min(speeds.values()), max(speeds.values())
    if high > 1.1 * low:
        print(f"   warning: the files read at different speeds ({high / low:.2f}×): where the page cache put each "
              "file's pages limits its decode speed, not only the engine. To re-place a file's pages: copy it to a "
              "new file and move that over the original (`cp F F.tmp && touch -r F F.tmp && mv F.tmp F`); "
              "dropping the cached pages and reading the file again may give back the same pages.", flush=True)
    return speeds


def replace_pages(path):
    """Gives `path` new page-cache pages: a byte-identical copy (same mtime) renamed over it. The old pages are
    freed when nothing maps the old inode any more."""
    import shutil
    tmp = path + ".lmlab-copy"
    shutil.copyfile(path, tmp)
    shutil.copystat(path, tmp)
    os.replace(tmp, path)


def equalize_pages(files, threads, tries=3):
    speeds = report_mapped_reads(files, threads, "before")
    for attempt in range(tries):
        slow = min(speeds, key=speeds.get)
        if max(speeds.values()) <= 1.1 * speeds[slow]:
            break
        print(f"== --equalize-pages: new pages for {files[slow]} (try {attempt + 1} of {tries})", flush=True)
        replace_pages(files[slow])
        speeds = report_mapped_reads(files, threads, "before")
    return speeds


def run_json(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[-800:]}")
    return json.loads(p.stdout[p.stdout.index("{"):]), wall          # both print one JSON object on stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lmlab", default=os.path.join(ROOT, ".build", "release", "lmlab"))
    parser.add_argument("--precision", choices=["bf16", "int8", "int4"], default="bf16")
    parser.add_argument("--lab-precision", choices=["as-stored", "bf16", "int8", "int4"],
                        help="the lab's --precision (default: as-stored for bf16, else --precision); bf16 runs the lab "
                             "on a copy of the bf16 weights in its own memory (2 MB pages) instead of the mapped file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--decode-tokens", type=int, default=64)
    parser.add_argument("--prefill-tokens", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", default="", help="comma-separated: decode,prefill,score")
    parser.add_argument("--work", default=os.path.expanduser("~/.cache/lmlab/gguf"))
    parser.add_argument("--json", help="write every sample and the summary here")
    parser.add_argument("--equalize-pages", action="store_true",
                        help="re-copy whichever weight file reads >10%% slower through its memory map (see 4. above)")
    parser.add_argument("--baseline", help="an older lmlab binary run in the same rounds (see 5. above)")
    parser.add_argument("--worker", choices=["decode", "prefill", "score", "quantize"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--gguf", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "quantize":
        quantize_worker(args.gguf, args.out)
        return
    if args.worker:
        worker(args.worker, args.gguf, args.threads, args.n)
        return

    if not os.access(args.lmlab, os.X_OK):
        sys.exit(f"bench_ernie_vs_llamacpp: {args.lmlab}: not an executable. HINT: swift build -c release --product lmlab")
    if args.baseline and not os.access(args.baseline, os.X_OK):
        sys.exit(f"bench_ernie_vs_llamacpp: --baseline {args.baseline}: not an executable. "
                 "HINT: build the older commit in its own worktree with `swift build -c release --product lmlab`")
    folder = random_folder(args.seed)
    if not os.path.isfile(os.path.join(folder, "model.safetensors")):
        print(f"== writing the random 0.3B checkpoint to {folder}", flush=True)
        subprocess.run([args.lmlab, "bench", "decode", "--random-0.3b", "--seed", str(args.seed), "--tokens", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    gguf_path = ensure_gguf(args, folder)
    env = dict(os.environ, LMLAB_THREADS=str(args.threads))
    precision = (["--precision", args.lab_precision] if args.lab_precision
                 else [] if args.precision == "bf16" else ["--precision", args.precision])
    peer = [sys.executable, os.path.abspath(__file__), "--gguf", gguf_path, "--threads", str(args.threads)]
    skip = set(filter(None, args.skip.split(",")))

    samples = {k: [] for k in ("llama_decode", "lab_decode", "llama_prefill", "lab_prefill", "llama_score_s",
                               "lab_score_s", "base_decode", "base_prefill")}
    weight_files = {"safetensors (lab)": os.path.join(folder, "model.safetensors"), "GGUF (llama.cpp)": gguf_path}
    if args.equalize_pages:
        mapped_reads = [equalize_pages(weight_files, args.threads)]
    else:
        mapped_reads = [report_mapped_reads(weight_files, args.threads, "before")]
    loads = [load_average()]
    print(f"== {args.rounds} rounds, {args.threads} threads, {args.precision} (llama.cpp "
          f"{ {'bf16': 'BF16', 'int8': 'Q8_0', 'int4': 'Q4_0'}[args.precision]}; lab "
          f"{' '.join(precision[1:]) or 'as-stored'}), load {loads[0]:.2f}", flush=True)
    def lab_bench(binary, kind, tokens):
        """One `bench decode|prefill` of `binary` (the lab or the --baseline), its tokens/s."""
        out, _ = run_json([binary, "bench", kind, "--random-0.3b", "--seed", str(args.seed), "--tokens", str(tokens),
                           "--json"] + precision, env)
        return out[f"{kind}_tokens_per_s"]

    for r in range(args.rounds):
        for kind, tokens, digits in (("decode", args.decode_tokens, 2), ("prefill", args.prefill_tokens, 1)):
            if kind in skip:
                continue
            ll, _ = run_json(peer + ["--worker", kind, "--n", str(tokens)])
            lab = lab_bench(args.lmlab, kind, tokens)
            samples[f"llama_{kind}"].append(ll["tokens_per_s"])
            samples[f"lab_{kind}"].append(lab)
            base = ""
            if args.baseline:
                old = lab_bench(args.baseline, kind, tokens)
                samples[f"base_{kind}"].append(old)
                base = f"   baseline {old:6.{digits}f} tok/s"
            print(f"round {r + 1} {kind:8} llama.cpp {ll['tokens_per_s']:6.{digits}f} tok/s   lab {lab:6.{digits}f}"
                  f" tok/s{base}   (load {load_average():.2f})", flush=True)
        if "score" not in skip:
            ll, ll_wall = run_json(peer + ["--worker", "score", "--n", "0"])
            ids = ",".join(map(str, SCORE_IDS))
            lab, lab_wall = run_json([args.lmlab, "prob", "--ids", ids, "--model", folder, "--json"] + precision, env)
            samples["llama_score_s"].append(ll_wall)
            samples["lab_score_s"].append(lab_wall)
            print(f"round {r + 1} score 12 ids, fresh process: llama.cpp from Python {ll_wall:.3f} s "
                  f"(total log P {ll['total_logprob']:.3f})   lmlab prob {lab_wall:.3f} s "
                  f"(total log P {lab['total_logprob']:.3f})", flush=True)
    loads.append(load_average())
    mapped_reads.append(report_mapped_reads(weight_files, args.threads, "after"))

    summary = {}
    for key, values in samples.items():
        if values:
            summary[key] = statistics.median(values)
    print(f"== medians (load {loads[0]:.2f} → {loads[1]:.2f})")
    if "lab_decode" in summary:
        print(f"decode   llama.cpp {summary['llama_decode']:.2f} tok/s, lab {summary['lab_decode']:.2f} tok/s, "
              f"ratio {summary['lab_decode'] / summary['llama_decode']:.2f}×")
    if "lab_prefill" in summary:
        print(f"prefill  llama.cpp {summary['llama_prefill']:.1f} tok/s, lab {summary['lab_prefill']:.1f} tok/s, "
              f"ratio {summary['lab_prefill'] / summary['llama_prefill']:.2f}×")
    for kind in ("decode", "prefill"):
        if f"base_{kind}" in summary and f"lab_{kind}" in summary:
            per_round = [new / old for new, old in zip(samples[f"lab_{kind}"], samples[f"base_{kind}"])]
            print(f"{kind:8} baseline {summary[f'base_{kind}']:.2f} tok/s, lab / baseline {summary[f'lab_{kind}'] / summary[f'base_{kind}']:.3f}× "
                  f"(per round {min(per_round):.3f}–{max(per_round):.3f}×; baseline / llama.cpp "
                  f"{summary[f'base_{kind}'] / summary[f'llama_{kind}']:.2f}×)")
    if "lab_score_s" in summary:
        print(f"score    llama.cpp (Python) {summary['llama_score_s']:.3f} s, lmlab prob {summary['lab_score_s']:.3f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samples": samples, "medians": summary, "load_average": loads, "precision": args.precision,
                       "threads": args.threads, "gguf": gguf_path,
                       "mapped_read_gbps": {"before": mapped_reads[0], "after": mapped_reads[1]}}, f, indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
