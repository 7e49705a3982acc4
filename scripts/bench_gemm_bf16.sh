#!/usr/bin/env bash
# Builds and runs scripts/bench_gemm_bf16.c against Sources/CKernels (the bf16 gemm kernels alone, 1 thread).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/lmlab-bench-gemm-bf16"
clang -O2 -I Sources/CKernels/include -I Sources/CKernels scripts/bench_gemm_bf16.c Sources/CKernels/*.c -o "$out" -lpthread -lm
uptime
"$out"
