#!/usr/bin/env bash
# Build lmlab-fuzz and fuzz the parsers that read files from strangers (issue 17; results in docs/RELIABILITY.md):
# safetensors headers, tokenizer.model, config.json and its siblings, lesson Markdown, /v1/completions answers.
#
# Usage: scripts/fuzz.sh [--asan] [lmlab-fuzz run options…]
#   --asan                  build with AddressSanitizer (into .build-fuzz-asan). The kernel targets are compiled with
#                           -Ounchecked, so an out-of-bounds read there does not trap in a normal build; ASan
#                           turns it into a report (and the saved input). About 2–4× slower.
#   --executions N          executions per target (default 1000000)
#   --seconds S             time budget per target (default 600)
#   --target LIST           all (default) or a comma-separated subset of safetensors,tokenizer,config,lesson,api
#   --jobs J                targets fuzzed at once (default 1)
#   --seed X                the mutation seed (default 17): same seed, same inputs
# Crashing, hanging and contract-breaking inputs are saved under $CRASH_DIR (default .build/fuzz-crashes);
# replay one with: <binary> replay --target T FILE. The log of the run is $WORK_DIR/fuzz.log.
set -euo pipefail
cd "$(dirname "$0")/.."

asan=0
if [ "${1:-}" = "--asan" ]; then asan=1; shift; fi

if [ $asan = 1 ]; then
  scratch=.build-fuzz-asan
  # No leak report (the Swift runtime keeps caches to exit); an allocation over 2 GB is reported as an error,
  # so a parser that sizes a buffer from the file without a bound shows up here. No allocation stack traces and a
  # smaller quarantine: recording a stack per malloc was most of the time (perf), and reports still name the access.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:max_allocation_size_mb=2048:allocator_may_return_null=0:malloc_context_size=0:quarantine_size_mb=64}"
  swift build -c release --product lmlab-fuzz --sanitize=address --scratch-path "$scratch" >&2
else
  scratch=.build
  swift build -c release --product lmlab-fuzz >&2
fi
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/lmlab-fuzz"
WORK_DIR="${WORK_DIR:-$scratch/fuzz}"
CRASH_DIR="${CRASH_DIR:-.build/fuzz-crashes}"
mkdir -p "$WORK_DIR" "$CRASH_DIR"

echo "lmlab-fuzz: $bin (asan=$asan), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  | tee "$WORK_DIR/fuzz.log"
"$bin" run --root . --work-dir "$WORK_DIR" --crash-dir "$CRASH_DIR" "$@" 2>&1 | tee -a "$WORK_DIR/fuzz.log"
