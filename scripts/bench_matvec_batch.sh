#!/usr/bin/env bash
# Kernel-level benchmark of the batched bf16 matvec (docs/PERFORMANCE.md, "Batched decode"): compiles
# Sources/LabCore with scripts/bench_matvec_batch/main.swift into one optimised binary and runs it.
# Usage: scripts/bench_matvec_batch.sh [output binary, default $TMPDIR/lmlab-bench-matvec-batch]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-${TMPDIR:-/tmp}/lmlab-bench-matvec-batch}"
swiftc -O -Ounchecked -wmo -target-cpu native -Xcc -march=native -module-name LabCoreBench \
  $(find "$root/Sources/LabCore" -name '*.swift' | sort) "$root/scripts/bench_matvec_batch/main.swift" -o "$out" 2>&1 \
  | { grep -E "error" || true; }
echo "built $out; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
