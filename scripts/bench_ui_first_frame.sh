#!/usr/bin/env bash
# Time to first frame of the ncurses notebook: launch `lmlab` on a pseudo-terminal (util-linux `script`), draw the
# home screen once, exit (LMLAB_EXIT_AFTER_FIRST_FRAME=1). Wall time per launch includes process start, locale,
# course outline, progress file, curses set-up, the first frame and teardown. Target: ≤ 150 ms (issue 8).
# Usage: scripts/bench_ui_first_frame.sh [path/to/lmlab] [runs]     (build first: swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/lmlab}"
runs="${2:-10}"
[ -x "$bin" ] || { echo "no executable at $bin. HINT: swift build -c release, or pass the path of a built lmlab." >&2; exit 1; }
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
times=()
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  script -qec "env LMLAB_EXIT_AFTER_FIRST_FRAME=1 XDG_STATE_HOME=$state TERM=xterm-256color LANG=C.UTF-8 $bin" /dev/null > /dev/null
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "first frame (launch → home drawn → exit), $runs runs of $bin: min ${sorted[0]} ms, median ${sorted[$((runs / 2))]} ms, max ${sorted[$((runs - 1))]} ms"
echo "load: $(uptime | sed 's/.*load average: //')"
