#!/usr/bin/env bash
# Builds and runs scripts/bench_gemm_bf16_amx.c against Sources/CKernels (the AMX bf16 gemm alone, 1 thread).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/lmlab-bench-gemm-bf16-amx"
clang -O2 -I Sources/CKernels/include scripts/bench_gemm_bf16_amx.c Sources/CKernels/*.c -o "$out" -lpthread
uptime
"$out"
