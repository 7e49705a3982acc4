#!/usr/bin/env python3
"""Checks that a Hugging Face cache written by `lmlab download` is read by huggingface_hub itself.

Usage:  python3 -m venv /tmp/hfvenv && /tmp/hfvenv/bin/pip install huggingface_hub==2.4.0
        /tmp/hfvenv/bin/python scripts/check_hf_cache.py CACHE_DIR ORG/REPO [FILE ...]

It runs, offline (HF_HUB_OFFLINE=1, nothing is fetched):
  scan_cache_dir(CACHE_DIR)                       the repo, its revision, refs and files, with no warnings;
  snapshot_download(repo, local_files_only=True)  the snapshot folder for "main";
  hf_hub_download(repo, f, local_files_only=True) each FILE, whose bytes must hash to the blob's name when
                                                  that name is a sha256 (LFS files).
Prints what it checked and exits 1 on any mismatch.
"""
import hashlib
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
REQUIRED_VERSION = "2.4.0"

import huggingface_hub  # noqa: E402
from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download  # noqa: E402


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    if huggingface_hub.__version__ != REQUIRED_VERSION:
        print(f"warning: huggingface_hub {huggingface_hub.__version__}, checked with {REQUIRED_VERSION}")
    cache, repo, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    info = scan_cache_dir(cache)
    ok = True
    for w in info.warnings:
        print("scan warning:", w)
        ok = False
    repos = [r for r in info.repos if r.repo_id == repo]
    if not repos:
        print(f"scan_cache_dir does not list {repo}")
        return 1
    r = repos[0]
    for rev in r.revisions:
        print(f"scan: {repo} commit {rev.commit_hash} refs {sorted(rev.refs)} "
              f"{len(rev.files)} files, {rev.size_on_disk} bytes")
    snap = snapshot_download(repo, cache_dir=cache, local_files_only=True)
    print("snapshot_download:", snap)
    for f in files:
        path = hf_hub_download(repo, f, cache_dir=cache, local_files_only=True)
        blob = os.path.basename(os.path.realpath(path))
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        match = "n/a (git blob id)" if len(blob) != 64 else ("ok" if digest == blob else "MISMATCH")
        print(f"hf_hub_download {f}: {path} -> blobs/{blob[:16]}… sha256 {match}")
        ok = ok and match != "MISMATCH"
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
