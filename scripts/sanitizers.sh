#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and under ThreadSanitizer (issue 17; results in docs/RELIABILITY.md).
#
# Every kernel target is built with -Ounchecked (Package.swift), so an out-of-bounds read there does not trap in a
# normal build; ASan instruments the loads and stores themselves and catches it. TSan watches every memory access
# of the parallel kernels (LabCore/Parallel.swift) and the concurrent tests for unsynchronised sharing.
#
# Each sanitizer builds into its own scratch folder (.build-asan, .build-tsan; ignored by git) so the ordinary .build
# stays as it was. A build takes several times the usual time and the tests run 2–15× slower.
#
# Usage: scripts/sanitizers.sh [address|thread|both] [extra `swift test` arguments, e.g. --filter LabCoreTests]
# Logs: .build-asan/sanitizers.log, .build-tsan/sanitizers.log. Exit 0 only when every run passed with no report.
# Outside a git checkout (a `git archive` copy) set LMLAB_COMMIT to name the commit in the logs.
set -uo pipefail
cd "$(dirname "$0")/.."

which="${1:-both}"
[ $# -gt 0 ] && shift
case "$which" in
  address) kinds=(address) ;;
  thread) kinds=(thread) ;;
  both) kinds=(address thread) ;;
  *) echo "sanitizers.sh: unknown sanitizer \"$which\". HINT: use address, thread or both." >&2; exit 64 ;;
esac

# Leak checking is off: the Swift runtime keeps metadata caches and interned strings alive to exit on purpose, and
# LeakSanitizer would report those. ASan still aborts on the first out-of-bounds access or use after free.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
# TSan keeps going after a race so one run lists them all; the run then exits 66.
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}"

status=0
for kind in "${kinds[@]}"; do
  case "$kind" in address) dir=.build-asan; label=AddressSanitizer ;; thread) dir=.build-tsan; label=ThreadSanitizer ;; esac
  mkdir -p "$dir"
  log="$dir/sanitizers.log"
  echo "== $label: swift test --sanitize=$kind --scratch-path $dir $*  (log: $log)"
  start=$(date +%s)
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)   commit: $(git rev-parse --short HEAD 2>/dev/null || echo "${LMLAB_COMMIT:-unknown}")"
    echo "swift: $(swift --version 2>&1 | head -1)"
    swift test --sanitize="$kind" --scratch-path "$dir" "$@"
    echo "swift test exit: $?"
  } > "$log" 2>&1
  rc=$(sed -n 's/^swift test exit: //p' "$log" | tail -1)
  secs=$(( $(date +%s) - start ))
  # A sanitizer report starts with "ERROR: AddressSanitizer" or "WARNING: ThreadSanitizer"; count them by kind.
  reports=$(grep -cE '^(==[0-9]+==)?(ERROR|WARNING): (AddressSanitizer|ThreadSanitizer|LeakSanitizer)' "$log" || true)
  # The swift-testing summary (the XCTest runner's line only says "Executed 0 tests": the suites use swift-testing).
  summary=$(grep -E 'Test run with [0-9]+ tests?.*(passed|failed)' "$log" | tail -1)
  echo "   exit $rc, $reports sanitizer report(s), ${secs}s. ${summary}"
  if [ "$reports" -gt 0 ]; then
    grep -E '^SUMMARY: (AddressSanitizer|ThreadSanitizer)' "$log" | sort | uniq -c | sort -rn | head -20
  fi
  if [ "$rc" != "0" ] || [ "$reports" -gt 0 ]; then status=1; fi
done
exit $status
