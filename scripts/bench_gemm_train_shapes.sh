#!/usr/bin/env bash
# Per-shape efficiency of LabCore's f32 gemm at the tiny-ERNIE training step's shapes (docs/PERFORMANCE.md,
# "Tiny ERNIE training"): compiles GEMM.swift + GEMMSkinny.swift + the C packing kernel with a one-thread
# parallelFor into /tmp/lmlab-bench-gemm-train and prints ms and GFLOP/s per shape (best of 9 runs).
# Usage: scripts/bench_gemm_train_shapes.sh        (run from the project folder; writes only under /tmp/lmlab-bench-gemm-train)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out=/tmp/lmlab-bench-gemm-train
mkdir -p "$out/mod"
cp "$root/Sources/CKernels/include/ckernels_gemm.h" "$out/mod/"
printf 'module CKernels {\n    header "ckernels_gemm.h"\n    export *\n}\n' > "$out/mod/module.modulemap"
clang -O2 -c -I "$out/mod" "$root/Sources/CKernels/gemm_pack_avx512.c" -o "$out/pack.o"
swiftc -Ounchecked -target-cpu native -module-name GemmBench -I "$out/mod" \
    "$root/scripts/bench_gemm_train_shapes/main.swift" "$root/scripts/bench_gemm_train_shapes/SingleThread.swift" \
    "$root/Sources/LabCore/Kernels/GEMM.swift" "$root/Sources/LabCore/Kernels/GEMMSkinny.swift" "$out/pack.o" \
    -o "$out/bench"
uptime
"$out/bench"
