#!/usr/bin/env bash
# Scan `lmlab rl` settings for lesson 9's `rl` cell: one run per (lr, group, steps, seed), one table row per run
# with the mean reward of the first and last ten steps, the greedy accuracy before and after, and the wall time.
# The lesson's cell keeps a setting whose run shows what the lesson says; this table is the record of how noisy
# that is across seeds (lesson 9 says so in its prose).
#
#   scripts/scan_rl.sh zh "3e-4 1e-3" "8" "60" "1 2 3 4 5 6"      # language, lrs, groups, steps, seeds
#   LMLAB=.build/release/lmlab scripts/scan_rl.sh en "3e-4" "8" "60" "1 2 3"
#
# Needs a built lmlab (LMLAB, default .build/release/lmlab: `swift build -c release --product lmlab`).
# Writes nothing but stdout; the runs themselves save nothing.
#
# The scan behind the zh cell (2026-12-07, a release build, the shared 2-core machine at load 2–8; seconds are
# wall-clock under that load, only roughly comparable). The zh greedy accuracy starts at 13 % (2 of 15) on every seed:
# the SFT model answers "驴呃啊地叫。" to nearly every animal, and each zh answer is a single token, so a right
# sample comes about 1 time in 15 by chance.
#   lr    group steps  seeds  greedy after (%) per seed           reward last 10 > first 10
#   3e-4  8     60     1–6    7 20 7 7 7 13        (better 1/6)    4 of 6
#   1e-3  8     60     1–6    7 7 7 7 7 7          (better 0/6)    4 of 6
#   3e-4  16    60     1–3    13 13 7                              3 of 3
#   1e-3  16    60     1–3    7 7 13                               1 of 3
#   3e-4  8     90     1–6    20 20 20 13 13 13    (better 3/6)    2 of 6
#   3e-4  8     120    1–12   13 33 20 20 20 33 20 13 13 7 27 27   (better 8/12, worse 1/12)   7 of 12
#   2e-4  8     120    1–3    13 33 27                             1 of 3
#   5e-4  8     120    1–3    13 13 13                             3 of 3
#   3e-4  4     120    1–6    7 7 13 13 13 7                       3 of 6
#   6e-4  4     120    1–6    20 7 7 7 7 7                         2 of 6
#   1e-3  16    240    1      47 (reward 0.03 → 0.40; about ten times the cost of the cell)
# The cell became `rl --steps 120 --seed 3` (0.06 → 0.09, 13 % → 20 %): twice the steps of the en cell, 1.9× its CPU
# time (release, 10.3 s → 19.8 s user; debug the same), and a seed whose result is the scan's median.
set -euo pipefail
lang=${1:?language: en or zh}; lrs=${2:-3e-4}; groups=${3:-8}; stepss=${4:-60}; seeds=${5:-"1 2 3 4 5 6"}
lmlab=${LMLAB:-.build/release/lmlab}
[ -x "$lmlab" ] || { echo "no lmlab at $lmlab. HINT: swift build -c release --product lmlab, or set LMLAB=…" >&2; exit 1; }
export LMLAB_LANG=$lang LMLAB_HOME=${LMLAB_HOME:-$PWD}

printf '%-4s %-6s %-5s %-5s %-5s %-8s %-8s %-8s %-8s %s\n' lang lr group steps seed r_first r_last g_before g_after seconds
for lr in $lrs; do for g in $groups; do for n in $stepss; do for seed in $seeds; do
    start=$(date +%s.%N)
    out=$("$lmlab" rl --steps "$n" --group "$g" --lr "$lr" --seed "$seed" | tail -4)
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    # The summary's numbers in order: first-window reward, last-window reward, greedy before, greedy after.
    # (Each line's last number, or the last two on the greedy line, after dropping the step ranges.)
    r1=$(echo "$out" | sed -n 1p | grep -oE '[0-9]+\.[0-9]+$')
    r2=$(echo "$out" | sed -n 2p | grep -oE '[0-9]+\.[0-9]+$')
    gb=$(echo "$out" | sed -n 3p | grep -oE '[0-9]+ %' | sed -n 1p | tr -d ' %')
    ga=$(echo "$out" | sed -n 3p | grep -oE '[0-9]+ %' | sed -n 2p | tr -d ' %')
    printf '%-4s %-6s %-5s %-5s %-5s %-8s %-8s %-8s %-8s %.0f\n' "$lang" "$lr" "$g" "$n" "$seed" "$r1" "$r2" "$gb" "$ga" "$secs"
done; done; done; done
