#!/usr/bin/env python3
"""Parity check: `lmlab download` and huggingface_hub's snapshot_download, both pointed (HF_ENDPOINT) at the same
fake Hub on loopback, must leave identical cache trees (blob names, relative snapshot symlinks, refs/main).

Usage (from the project root, after `swift build`):
    python3 -m venv /tmp/hfvenv && /tmp/hfvenv/bin/pip install huggingface_hub==2.4.0
    /tmp/hfvenv/bin/python scripts/compare_hf_layout.py [path/to/lmlab]

The fake Hub listens on 127.0.0.1 (API, /resolve) and 127.0.0.2 (the "CDN" LFS files redirect to: another host,
as on the real Hub, so neither client follows it for metadata nor sends the token there). Nothing leaves the
machine. Prints both trees' diff and whether the token reached the CDN; exits 1 on any difference.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HF_HUB_VERSION = "2.4.0"
REPO = "baidu/ERNIE-4.5-0.3B-PT"
COMMIT = "c" * 40
TOKEN = "hf_parity_check"
rng = __import__("random").Random(7)
FILES = {  # name: (bytes, stored with LFS)
    "config.json": (b'{"hidden_size": 8, "torch_dtype": "bfloat16"}', False),
    "generation_config.json": (b'{"do_sample": true}', False),
    "tokenizer_config.json": (b"{}", False),
    "special_tokens_map.json": (b'{"bos_token": "<s>"}', False),
    "added_tokens.json": (b'{"<|IMAGE_PLACEHOLDER|>": 100295}', False),
    "tokenizer.model": (bytes(rng.getrandbits(8) for _ in range(50_000)), True),
    "model.safetensors": (bytes(rng.getrandbits(8) for _ in range(3_000_000)), True),
}
CDN_AUTH = []  # Authorization headers seen by the CDN host


def blob_id(b):
    return hashlib.sha1(b"blob %d\0" % len(b) + b).hexdigest()


class Hub(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == f"/api/models/{REPO}/revision/main":
            sib = []
            for n, (b, lfs) in FILES.items():
                s = {"rfilename": n, "size": len(b), "blobId": blob_id(b)}
                if lfs:
                    s["lfs"] = {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b), "pointerSize": 134}
                sib.append(s)
            return self.reply(200, json.dumps({"id": REPO, "modelId": REPO, "sha": COMMIT, "private": False,
                                               "siblings": sib}).encode())
        if path == f"/api/models/{REPO}/tree/{COMMIT}":
            out = []
            for n, (b, lfs) in FILES.items():
                e = {"type": "file", "oid": blob_id(b), "size": len(b), "path": n}
                if lfs:
                    e["lfs"] = {"oid": hashlib.sha256(b).hexdigest(), "size": len(b), "pointerSize": 134}
                out.append(e)
            return self.reply(200, json.dumps(out).encode())
        if path.startswith("/cdn/"):
            CDN_AUTH.append(self.headers.get("Authorization"))
            b = next(v[0] for v in FILES.values() if hashlib.sha256(v[0]).hexdigest() == path[5:])
            return self.send_bytes(b, [])
        for rev in ("main", COMMIT):
            prefix = f"/{REPO}/resolve/{rev}/"
            if path.startswith(prefix) and path[len(prefix):] in FILES:
                b, lfs = FILES[path[len(prefix):]]
                if lfs:
                    sha = hashlib.sha256(b).hexdigest()
                    port = self.server.server_address[1]
                    return self.reply(302, headers=[("Location", f"http://127.0.0.2:{port}/cdn/{sha}"),
                                                    ("X-Repo-Commit", COMMIT), ("X-Linked-Etag", f'"{sha}"'),
                                                    ("X-Linked-Size", str(len(b)))])
                return self.send_bytes(b, [("X-Repo-Commit", COMMIT), ("ETag", f'"{blob_id(b)}"')])
        self.reply(404, headers=[("X-Error-Code", "EntryNotFound")])

    def send_bytes(self, b, headers):
        start = 0
        status = 200
        if self.headers.get("Range"):
            start = int(self.headers["Range"][6:].split("-")[0])
            status = 206
            headers = headers + [("Content-Range", f"bytes {start}-{len(b) - 1}/{len(b)}")]
        self.reply(status, b[start:], headers + [("Accept-Ranges", "bytes")])


def tree(cache):
    root = os.path.join(cache, "models--" + REPO.replace("/", "--"))
    lines = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x != "trees"]  # huggingface_hub 2.x also caches the listing there
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if f.startswith("."):
                continue
            if os.path.islink(p):
                lines.append(f"{rel} -> {os.readlink(p)}")
            else:
                with open(p, "rb") as fh:
                    lines.append(f"{rel} {len(fh.read())} bytes")
    return sorted(lines)


def main():
    lmlab = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lmlab"
    servers = [ThreadingHTTPServer((host, 0 if host == "127.0.0.1" else port), Hub)
               for host, port in (("127.0.0.1", 0),)]
    port = servers[0].server_address[1]
    servers.append(ThreadingHTTPServer(("127.0.0.2", port), Hub))
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="hf-parity-")
    hf_cache, lm_cache = os.path.join(work, "hf"), os.path.join(work, "lmlab")

    os.environ["HF_ENDPOINT"] = endpoint
    import huggingface_hub
    from huggingface_hub import snapshot_download
    print(f"huggingface_hub {huggingface_hub.__version__} (checked with {HF_HUB_VERSION}); fake Hub at {endpoint}")
    snapshot_download(REPO, cache_dir=hf_cache, allow_patterns=list(FILES))
    env = dict(os.environ, HF_HUB_CACHE=lm_cache, HF_TOKEN=TOKEN)
    subprocess.run([lmlab, "download", "ernie-4.5-0.3b", "--endpoint", endpoint], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    a, b = tree(hf_cache), tree(lm_cache)
    for line in b:
        print("  ", line)
    only_hf, only_lm = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    print(f"entries: huggingface_hub {len(a)}, lmlab {len(b)}; only in huggingface_hub: {only_hf}; only in lmlab: {only_lm}")
    leaked = [h for h in CDN_AUTH if h]
    print(f"CDN requests: {len(CDN_AUTH)}, carrying Authorization: {len(leaked)}")
    sys.exit(0 if a == b and not leaked else 1)


if __name__ == "__main__":
    main()
