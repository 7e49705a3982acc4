#!/usr/bin/env python3
"""Share of the zh lessons' output lines that carry Chinese (issue 18, "Chinese all the way").

Runs `lmlab lesson run` on every Lessons/zh/*.md (or reads transcripts given as files) and counts, per lesson, the
output lines that contain at least one CJK ideograph. Echoed commands (`$ …`), cell headers (`── cell …`, `── 单元 …`), the run's
`# …` summary lines, expectation verdicts (`✓ 预期` / `✗ 预期`) and blank lines are not output and are left out.

    python3 scripts/zh_share.py                       # runs .build/debug/lmlab on Lessons/zh/*.md
    python3 scripts/zh_share.py --lmlab path/to/lmlab
    python3 scripts/zh_share.py transcript1.txt …     # count saved transcripts instead

Standard library only (Python ≥ 3.8). Exit status 0; the table is the result.
"""
import argparse
import glob
import os
import subprocess
import sys


def is_cjk(ch: str) -> bool:
    v = ord(ch)
    return 0x3400 <= v <= 0x4DBF or 0x4E00 <= v <= 0x9FFF or 0xF900 <= v <= 0xFAFF


def output_lines(transcript: str):
    for line in transcript.splitlines():
        t = line.strip()
        if not t or t.startswith("$ ") or t.startswith("── cell") or t.startswith("── 单元") or t.startswith("# "):
            continue
        if t.startswith("✓ 预期") or t.startswith("✗ 预期") or t.startswith("✓ expect") or t.startswith("✗ expect"):
            continue
        yield t


def share(transcript: str):
    lines = list(output_lines(transcript))
    chinese = sum(1 for l in lines if any(is_cjk(c) for c in l))
    return chinese, len(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("transcripts", nargs="*", help="saved `lesson run` transcripts (default: run the zh lessons)")
    ap.add_argument("--lmlab", default=".build/debug/lmlab", help="the lmlab binary to run")
    args = ap.parse_args()
    runs = []
    if args.transcripts:
        for path in args.transcripts:
            with open(path, encoding="utf-8") as f:
                runs.append((os.path.basename(path), f.read()))
    else:
        for path in sorted(glob.glob("Lessons/zh/*.md")):
            done = subprocess.run([args.lmlab, "lesson", "run", path], capture_output=True, text=True, timeout=1800)
            name = os.path.basename(path) + ("" if done.returncode == 0 else " (FAILED)")
            runs.append((name, done.stdout + done.stderr))
    total_c = total_n = 0
    print(f"{'lesson':32} {'Chinese':>8} {'lines':>6} {'share':>7}")
    for name, text in runs:
        c, n = share(text)
        total_c += c
        total_n += n
        print(f"{name:32} {c:8d} {n:6d} {100.0 * c / max(n, 1):6.1f}%")
    print(f"{'all':32} {total_c:8d} {total_n:6d} {100.0 * total_c / max(total_n, 1):6.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
