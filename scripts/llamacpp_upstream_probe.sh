#!/usr/bin/env bash
# The lab's `probe` and `check greedy` against upstream llama.cpp's own C++ server (`llama-server`), not the Python
# server of llama-cpp-python that scripts/llamacpp_check.sh uses: the two differ in what /v1/completions returns
# (the Python server echoes prompt log-probs; this one is what "llama.cpp server" means in most setups).
#   1. builds the `llama-server` target from llama.cpp as vendored in the pinned llama-cpp-python 0.3.36 sdist
#      (cmake 4.1.2 from PyPI; ~20–40 min on 2 cores, once) under ~/.cache/lmlab/llama-server-build;
#   2. exports Models/tiny-ernie to f32 GGUF (scripts/export_gguf.py, in the venv llamacpp_check.sh makes);
#   3. starts llama-server on 127.0.0.1 with an f32 KV cache, runs `lmlab probe URL` and `lmlab check greedy`.
# With --record DIR the lab talks to the server through scripts/record_proxy.py and DIR/upstream-tiny-ernie.json keeps
# every request and answer, replayed in CI by Tests/LabCLITests/LlamaCppReplayTests.swift (upstreamLlamaServer…).
# Usage: scripts/llamacpp_upstream_probe.sh [--record DIR]   (LMLAB_BIN=path/to/lmlab to skip building the lab)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$HOME/.cache/lmlab"
VENV="${LMLAB_LLAMACPP_VENV:-$CACHE/llamacpp-venv}"
TOOLS="$CACHE/export-venv"                       # cmake lives here
WORK="${LMLAB_LLAMACPP_WORK:-/tmp/lmlab-llamacpp}"
VERSION="0.3.36"
# The sdist unpacks to llama_cpp_python-VERSION (PEP 625 names; older sdists used dashes).
src_of() { for d in "$CACHE/src/llama_cpp_python-$VERSION" "$CACHE/src/llama-cpp-python-$VERSION"; do
             [ -d "$d/vendor/llama.cpp" ] && { echo "$d/vendor/llama.cpp"; return 0; }; done; return 0; }
BUILD="$CACHE/llama-server-build"
RECORD=""
if [ "${1:-}" = "--record" ]; then RECORD="$(mkdir -p "$2" && cd "$2" && pwd)"; fi
mkdir -p "$WORK" "$CACHE/src"

# ---- 1. llama-server ---------------------------------------------------------------------------------------------
if [ ! -x "$TOOLS/bin/cmake" ]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q cmake==4.1.2
fi
if [ -z "$(src_of)" ]; then
  # --no-binary for this package only: with :all: pip builds every build dependency from source first (slow).
  "$TOOLS/bin/pip" download -q --no-deps --no-binary llama-cpp-python "llama-cpp-python==$VERSION" -d "$CACHE/sdist"
  tar -xzf "$CACHE/sdist/llama_cpp_python-$VERSION.tar.gz" -C "$CACHE/src" 2>/dev/null \
    || tar -xzf "$CACHE/sdist/llama-cpp-python-$VERSION.tar.gz" -C "$CACHE/src"
fi
SRC="$(src_of)"
SERVER_BIN="$BUILD/bin/llama-server"
if [ ! -x "$SERVER_BIN" ]; then
  echo "== building llama-server (log: $WORK/llama-server-build.log)"
  "$TOOLS/bin/cmake" -S "$SRC" -B "$BUILD" -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DCMAKE_BUILD_TYPE=Release \
    > "$WORK/llama-server-build.log" 2>&1
  "$TOOLS/bin/cmake" --build "$BUILD" --target llama-server -j 2 >> "$WORK/llama-server-build.log" 2>&1 \
    || { tail -20 "$WORK/llama-server-build.log"; exit 1; }
fi

# ---- the GGUF and the lab ----------------------------------------------------------------------------------------
[ -x "$VENV/bin/python" ] || { echo "run scripts/llamacpp_check.sh once first (it makes $VENV with gguf)"; exit 1; }
GGUF="$WORK/tiny-ernie.f32.gguf"
(cd "$ROOT" && "$VENV/bin/python" scripts/export_gguf.py Models/tiny-ernie "$GGUF")
if [ -z "${LMLAB_BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --scratch-path .build-llamacpp --product lmlab > "$WORK/swift-build.log" 2>&1)
  LMLAB_BIN="$(cd "$ROOT" && swift build -c release --scratch-path .build-llamacpp --show-bin-path)/lmlab"
fi

# ---- 2. the server -----------------------------------------------------------------------------------------------
PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
"$SERVER_BIN" --model "$GGUF" --host 127.0.0.1 --port "$PORT" --threads 2 --ctx-size 512 \
  --cache-type-k f32 --cache-type-v f32 > "$WORK/llama-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "$URL/health" > /dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/llama-server.log"; exit 1; }
  sleep 1
done
echo "== llama-server $("$SERVER_BIN" --version 2>&1 | head -1) on $URL"

# ---- 3. probe and check ------------------------------------------------------------------------------------------
API="$URL"
LOG="$WORK/upstream.exchanges.jsonl"; : > "$LOG"
if [ -n "$RECORD" ]; then
  PPORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "$VENV/bin/python" "$ROOT/scripts/record_proxy.py" --port "$PPORT" --upstream "$URL" --log "$LOG" &
  PROXY_PID=$!
  trap 'kill $PROXY_PID $SERVER_PID 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  API="http://127.0.0.1:$PPORT"
  for _ in $(seq 1 50); do curl -sf "$API/health" > /dev/null 2>&1 && break; sleep 0.2; done
fi
status=0; marks=()
echo; echo "\$ lmlab probe $API"
"$LMLAB_BIN" probe "$API" || status=1
marks+=("probe $(wc -l < "$LOG") $status")
echo; echo "\$ lmlab check greedy --model Models/tiny-ernie --api $API …"
"$LMLAB_BIN" check greedy --model "$ROOT/Models/tiny-ernie" --api "$API" --max-new-tokens 24 \
  --prompt "One day, Luna went to the" --prompt "The dog says" --prompt "有一天，露娜和她的爸爸" || status=1
marks+=("check-greedy $(wc -l < "$LOG") $status")
if [ -n "$RECORD" ]; then
  "$VENV/bin/python" - "$LOG" "$RECORD/upstream-tiny-ernie.json" "$("$SERVER_BIN" --version 2>&1 | head -1)" "${marks[@]}" <<'PY'
import datetime, json, sys
log, out, version = sys.argv[1:4]
exchanges = [json.loads(line) for line in open(log, encoding="utf-8")]
argv = {
    "probe": ["probe", "$API"],
    "check-greedy": ["check", "greedy", "--model", "Models/tiny-ernie", "--api", "$API", "--max-new-tokens", "24",
                     "--prompt", "One day, Luna went to the", "--prompt", "The dog says", "--prompt", "有一天，露娜和她的爸爸"],
}
runs, start = [], 0
for mark in sys.argv[4:]:
    label, end, code = mark.split()
    runs.append({"label": label, "argv": argv[label], "exit": int(code), "exchanges": exchanges[start:int(end)]})
    start = int(end)
doc = {"recorded_by": "scripts/llamacpp_upstream_probe.sh --record",
       "recorded": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
       "server": f"llama.cpp llama-server ({version}) from llama-cpp-python 0.3.36's vendored source, --cache-type-k f32 --cache-type-v f32",
       "gguf": "scripts/export_gguf.py Models/tiny-ernie (float32)", "model": "Models/tiny-ernie", "tokenize": [], "runs": runs}
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1); f.write("\n")
print(f"wrote {out}: {len(runs)} runs, {len(exchanges)} exchanges")
PY
fi
exit $status
