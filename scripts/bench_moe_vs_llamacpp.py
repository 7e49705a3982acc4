#!/usr/bin/env python3
"""The lab's ERNIE engine and llama.cpp on the same random mixture-of-experts weights, in one run (issue 21's MoE table).

Pinned: as scripts/bench_ernie_vs_llamacpp.py, whose helpers this uses: llama-cpp-python==0.3.36 (built by
        scripts/llamacpp_check.sh), gguf==0.19.0, numpy==2.3.5, sentencepiece==0.2.1 (for scripts/export_gguf.py).
Run:    ~/.cache/lmlab/llamacpp-venv/bin/python scripts/bench_moe_vs_llamacpp.py --lmlab .build/release/lmlab
        [--rounds 3] [--threads 2] [--decode-tokens 64] [--prefill-tokens 512] [--lab-4bit int4|int8]
        [--no-extra-bufts] [--equalize-pages] [--json OUT]
What:   1. `lmlab bench decode --random-moe` writes the checkpoint once ($TMPDIR/lmlab-random-moe-seed0:
           RandomErnieCheckpoint.moeBench — ERNIE-4.5-21B-A3B's proportions scaled down: D 1024, 8/2 heads x 128,
           layer 0 dense (F 4864), 6 MoE layers of 64 experts x 640, top 6, 2 shared, V 16384 tied; 1.66 GB of
           bf16). scripts/export_gguf.py converts it to a BF16 GGUF (llama.cpp arch ernie4_5-moe, numbered
           vocabulary), and llama.cpp's own quantizer (llama_model_quantize, LLAMA_FTYPE_MOSTLY_Q4_0) makes the
           Q4_0 file from that. All three files are kept for the next run.
        2. Two pairs, both in every round, the peers alternating as in bench_ernie_vs_llamacpp.py (llama.cpp decode,
           lab decode, llama.cpp prefill, lab prefill; fresh processes, warm page cache):
             bf16   lab as stored (bf16, memory-mapped)          vs  llama.cpp BF16
             4-bit  lab --precision int4 (or --lab-4bit int8)    vs  llama.cpp Q4_0
           llama.cpp keeps its default "extra buffer types" (its repacked Q4_0 layouts) unless --no-extra-bufts.
        3. Reads each weight file once through a memory map on T threads before and after the rounds (GB/s); with
           --equalize-pages a file that reads > 10 % slower than the fastest gets new pages first (up to 3 tries).
        4. Projects ERNIE-4.5-21B-A3B's int4 decode on this machine two ways: the ceiling, the safetensors file's
           mapped-read GB/s / the bytes 21B-A3B reads per token in int4 (`lmlab bench decode` reports them from its
           published config: ERNIE/DecodeBytes.swift); and the engine's, the weight GB/s the lab's 4-bit decode
           reached on the random MoE / the same bytes (the report's projected_21b_a3b_tokens_per_s).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_ernie_vs_llamacpp as dense                                 # noqa: E402  (helpers shared with the 0.3B run)

ROOT = dense.ROOT


def random_folder(seed):
    return os.path.join(os.environ.get("TMPDIR") or tempfile.gettempdir(), f"lmlab-random-moe-seed{seed}")


def ensure_ggufs(args, folder):
    """The BF16 GGUF (exported) and the Q4_0 GGUF (llama.cpp's quantizer over the BF16 one), rebuilt when older
    than the safetensors file."""
    os.makedirs(args.work, exist_ok=True)
    weights = os.path.join(folder, "model.safetensors")
    bf16 = os.path.join(args.work, f"random-moe-seed{args.seed}.bf16.gguf")
    q4 = os.path.join(args.work, f"random-moe-seed{args.seed}.q4_0.gguf")
    if not os.path.isfile(bf16) or os.path.getmtime(bf16) < os.path.getmtime(weights):
        print(f"== exporting {folder} to {bf16}", flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "export_gguf.py"), "--outtype", "bf16",
                        "--synthetic-vocab", folder, bf16], check=True)
    if not os.path.isfile(q4) or os.path.getmtime(q4) < os.path.getmtime(bf16):
        print(f"== quantizing {bf16} to {q4} with llama.cpp's llama_model_quantize (Q4_0)", flush=True)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--quantize", bf16, "--gguf", q4,
                        "--threads", str(args.threads)], check=True)
    return bf16, q4


def quantize_q4_0(source, target, threads):
    import ctypes
    import llama_cpp
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0
    params.nthread = threads
    tmp = target + ".partial"
    rc = llama_cpp.llama_model_quantize(source.encode(), tmp.encode(), ctypes.byref(params))
    if rc != 0:
        sys.exit(f"bench_moe_vs_llamacpp: llama_model_quantize({source}) returned {rc}")
    os.replace(tmp, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lmlab", default=os.path.join(ROOT, ".build", "release", "lmlab"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--decode-tokens", type=int, default=64)
    parser.add_argument("--prefill-tokens", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lab-4bit", choices=["int4", "int8"], default="int4",
                        help="the lab's precision compared with llama.cpp's Q4_0")
    parser.add_argument("--no-extra-bufts", action="store_true",
                        help="load llama.cpp's GGUFs without its extra buffer types (repacked/AMX layouts)")
    parser.add_argument("--equalize-pages", action="store_true",
                        help="re-copy a weight file that reads >10%% slower through its memory map (as in "
                             "bench_ernie_vs_llamacpp.py)")
    parser.add_argument("--skip", default="", help="comma-separated: bf16,4bit,decode,prefill")
    parser.add_argument("--work", default=os.path.expanduser("~/.cache/lmlab/gguf"))
    parser.add_argument("--json", help="write every sample and the summary here")
    parser.add_argument("--worker", choices=["decode", "prefill"], help=argparse.SUPPRESS)
    parser.add_argument("--quantize", help=argparse.SUPPRESS)
    parser.add_argument("--gguf", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quantize:
        quantize_q4_0(args.quantize, args.gguf, args.threads)
        return
    if args.worker:
        if args.no_extra_bufts:
            dense.without_extra_buffer_types()
        dense.worker(args.worker, args.gguf, args.threads, args.n)
        return

    if not os.access(args.lmlab, os.X_OK):
        sys.exit(f"bench_moe_vs_llamacpp: {args.lmlab}: not an executable. HINT: swift build -c release --product lmlab")
    folder = random_folder(args.seed)
    if not os.path.isfile(os.path.join(folder, "model.safetensors")):
        print(f"== writing the random MoE checkpoint to {folder}", flush=True)
        subprocess.run([args.lmlab, "bench", "decode", "--random-moe", "--seed", str(args.seed), "--tokens", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    bf16_gguf, q4_gguf = ensure_ggufs(args, folder)
    env = dict(os.environ, LMLAB_THREADS=str(args.threads))
    skip = set(filter(None, args.skip.split(",")))
    pairs = [p for p in (("bf16", bf16_gguf, []), ("4bit", q4_gguf, ["--precision", args.lab_4bit]))
             if p[0] not in skip]
    files = {"safetensors (lab)": os.path.join(folder, "model.safetensors"), "GGUF BF16": bf16_gguf, "GGUF Q4_0": q4_gguf}
    if args.equalize_pages:
        mapped = [dense.equalize_pages(files, args.threads)]
    else:
        mapped = [dense.report_mapped_reads(files, args.threads, "before")]
    loads = [dense.load_average()]
    print(f"== {args.rounds} rounds, {args.threads} threads, pairs: lab bf16 / llama.cpp BF16, lab {args.lab_4bit} / "
          f"llama.cpp Q4_0 (extra buffer types {'off' if args.no_extra_bufts else 'on'}), load {loads[0]:.2f}", flush=True)

    samples = {}
    last_lab = {}
    for r in range(args.rounds):
        for name, gguf, precision in pairs:
            peer = [sys.executable, os.path.abspath(__file__), "--gguf", gguf, "--threads", str(args.threads)]
            peer += ["--no-extra-bufts"] if args.no_extra_bufts else []
            for kind, n in (("decode", args.decode_tokens), ("prefill", args.prefill_tokens)):
                if kind in skip:
                    continue
                ll, _ = dense.run_json(peer + ["--worker", kind, "--n", str(n)])
                lab, _ = dense.run_json([args.lmlab, "bench", kind, "--random-moe", "--seed", str(args.seed),
                                         "--tokens", str(n), "--json"] + precision, env)
                lab_tps = lab[f"{kind}_tokens_per_s"]
                samples.setdefault(f"{name}_{kind}_llama", []).append(ll["tokens_per_s"])
                samples.setdefault(f"{name}_{kind}_lab", []).append(lab_tps)
                last_lab[(name, kind)] = lab
                if kind == "decode":
                    samples.setdefault(f"{name}_decode_lab_gbps", []).append(lab["weight_gbps"])
                    samples.setdefault(f"{name}_projected_21b", []).append(lab["projected_21b_a3b_tokens_per_s"])
                print(f"round {r + 1} {name:4} {kind:7}  llama.cpp {ll['tokens_per_s']:7.2f} tok/s   lab "
                      f"{lab_tps:7.2f} tok/s   ratio {lab_tps / ll['tokens_per_s']:.2f}x   (load {dense.load_average():.2f})",
                      flush=True)
    loads.append(dense.load_average())
    mapped.append(dense.report_mapped_reads(files, args.threads, "after"))

    medians = {k: statistics.median(v) for k, v in samples.items()}
    print(f"== medians (load {loads[0]:.2f} -> {loads[1]:.2f})")
    for name, _, _ in pairs:
        for kind in ("decode", "prefill"):
            if f"{name}_{kind}_lab" in medians:
                lab, ll = medians[f"{name}_{kind}_lab"], medians[f"{name}_{kind}_llama"]
                print(f"{name:4} {kind:7}  llama.cpp {ll:7.2f} tok/s, lab {lab:7.2f} tok/s, ratio {lab / ll:.2f}x")
    projection = {}
    if ("4bit", "decode") in last_lab:
        report = last_lab[("4bit", "decode")]
        big = report["projected_21b_a3b_bytes_per_token"]
        read = max(mapped[0]["safetensors (lab)"], mapped[1]["safetensors (lab)"])
        projection = {"bytes_per_token_21b_a3b": big, "precision": args.lab_4bit,
                      "random_moe_bytes_per_token": report["weight_bytes_per_token"],
                      "mapped_read_gbps": read, "ceiling_tokens_per_s": read * 1e9 / big,
                      "lab_weight_gbps": medians["4bit_decode_lab_gbps"],
                      "engine_tokens_per_s": medians["4bit_projected_21b"]}
        print(f"21B-A3B {args.lab_4bit}: {big / 1e9:.3f} GB of weights per token; ceiling at the mapped read "
              f"({read:.1f} GB/s) {projection['ceiling_tokens_per_s']:.2f} tok/s; at the lab's {args.lab_4bit} decode "
              f"bandwidth on the random MoE ({projection['lab_weight_gbps']:.1f} GB/s of "
              f"{report['weight_bytes_per_token'] / 1e6:.0f} MB/token) {projection['engine_tokens_per_s']:.2f} tok/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samples": samples, "medians": medians, "load_average": loads, "threads": args.threads,
                       "lab_4bit": args.lab_4bit, "extra_bufts": not args.no_extra_bufts, "ggufs": [bf16_gguf, q4_gguf],
                       "mapped_read_gbps": {"before": mapped[0], "after": mapped[1]}, "projection": projection}, f,
                      indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
