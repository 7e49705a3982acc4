#!/usr/bin/env bash
# The lab against a real llama.cpp server on the same weights (issue #5's API acceptance):
#   1. installs llama-cpp-python[server]==0.3.36 (compiles llama.cpp: ~15–40 min on 2 shared cores, once) together
#      with gguf==0.19.0, numpy==2.3.5, sentencepiece==0.2.1 into a venv under ~/.cache/lmlab;
#   2. exports Models/tiny-ernie (and, with --instruct, Models/tiny-ernie-instruct) to f32 GGUF (scripts/export_gguf.py);
#   3. starts `python3 -m llama_cpp.server … --type_k 0 --type_v 0` (F32 KV cache, for exactness) on 127.0.0.1;
#   4. compares the server's /extras/tokenize ids with `lmlab tokenize` for every prompt, runs `lmlab probe URL`, and
#      `lmlab check greedy --model M --api URL` on English and Chinese prompts and on one that starts with BOS;
#   5. exits non-zero when a tokenization or a greedy run differs.
# With --record DIR, lmlab talks to the server through scripts/record_proxy.py and every request/answer pair it made is
# saved as DIR/<model>.json, which Tests/LabCLITests/LlamaCppReplayTests.swift replays (CI never compiles llama.cpp).
# With --empty-text it checks (only) Tests/ERNIETests/Fixtures/with-tokenizer instead: a random 3-layer checkpoint
# whose 3072 embedding rows outnumber its 3000 tokenizer pieces, so its greedy runs hold byte-fallback pieces and
# unused ids, which llama-cpp-python names "" (issue 22's empty-text tokens).
#
# Usage: scripts/llamacpp_check.sh [--record Tests/LabCLITests/Fixtures/llamacpp] [--instruct | --empty-text]
#                                  [--max-new-tokens N]
# The committed fixtures were recorded with (debug lmlab binary of the same commit):
#   LMLAB_BIN=.build/debug/lmlab scripts/llamacpp_check.sh --record Tests/LabCLITests/Fixtures/llamacpp --instruct
#   LMLAB_BIN=.build/debug/lmlab scripts/llamacpp_check.sh --record Tests/LabCLITests/Fixtures/llamacpp --empty-text
# Env:   LMLAB_LLAMACPP_VENV (default ~/.cache/lmlab/llamacpp-venv), LMLAB_BIN (an lmlab binary; default: a release
#        build in .build-llamacpp), LMLAB_LLAMACPP_WORK (default /tmp/lmlab-llamacpp: GGUF files, logs).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${LMLAB_LLAMACPP_VENV:-$HOME/.cache/lmlab/llamacpp-venv}"
WORK="${LMLAB_LLAMACPP_WORK:-/tmp/lmlab-llamacpp}"
LLAMA_CPP_PYTHON="0.3.36"
PINS=(gguf==0.19.0 numpy==2.3.5 sentencepiece==0.2.1)
# The server's own dependencies as they were when the fixtures were recorded (pip would otherwise take the newest).
SERVER_PINS=(fastapi==0.165.0 starlette==1.10.0 uvicorn==0.55.0 sse-starlette==3.7.1 starlette-context==0.3.6
             pydantic==2.14.4 pydantic-settings==2.16.3 pydantic_core==2.50.5 Jinja2==3.1.6 diskcache==5.6.3)
RECORD=""
MODELS=(tiny-ernie)
MAX_NEW=24

while [ $# -gt 0 ]; do
  case "$1" in
    --record) RECORD="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --instruct) MODELS+=(tiny-ernie-instruct); shift ;;
    --empty-text) MODELS=(with-tokenizer); MAX_NEW=32; shift ;;
    --max-new-tokens) MAX_NEW="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "llamacpp_check: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"

# ---- 1. the server (compiled once) and the export's packages ------------------------------------------------------
if ! "$VENV/bin/python" -c "import llama_cpp, sys; sys.exit(llama_cpp.__version__ != '$LLAMA_CPP_PYTHON')" 2>/dev/null; then
  echo "== installing llama-cpp-python[server]==$LLAMA_CPP_PYTHON into $VENV (compiles llama.cpp; log: $WORK/pip.log)"
  python3 -m venv "$VENV"
  CMAKE_ARGS="-DGGML_NATIVE=ON" "$VENV/bin/pip" install -v "llama-cpp-python[server]==$LLAMA_CPP_PYTHON" \
    "${SERVER_PINS[@]}" > "$WORK/pip.log" 2>&1
fi
if ! "$VENV/bin/python" -c "import gguf, sentencepiece" 2>/dev/null; then
  "$VENV/bin/pip" install -q "${PINS[@]}"
fi
PY="$VENV/bin/python"

# ---- the lab ------------------------------------------------------------------------------------------------------
if [ -z "${LMLAB_BIN:-}" ]; then
  echo "== building lmlab (release, .build-llamacpp)"
  (cd "$ROOT" && swift build -c release --scratch-path .build-llamacpp --product lmlab > "$WORK/swift-build.log" 2>&1) \
    || { tail -20 "$WORK/swift-build.log"; exit 1; }
  LMLAB_BIN="$(cd "$ROOT" && swift build -c release --scratch-path .build-llamacpp --show-bin-path)/lmlab"
fi

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

SERVER_PID=""; PROXY_PID=""
stop_all() {
  if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""; fi
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
}
trap stop_all EXIT

failures=0
for NAME in "${MODELS[@]}"; do
  FOLDER="Models/$NAME"
  if [ "$NAME" = "with-tokenizer" ]; then FOLDER="Tests/ERNIETests/Fixtures/with-tokenizer"; fi
  GGUF="$WORK/$NAME.f32.gguf"
  echo
  echo "== $NAME: export to GGUF"
  (cd "$ROOT" && "$PY" scripts/export_gguf.py "$FOLDER" "$GGUF")

  # ---- 2. the server ----------------------------------------------------------------------------------------------
  PORT="$(free_port)"
  SERVER="http://127.0.0.1:$PORT"
  echo "== $NAME: starting llama_cpp.server on $SERVER (log: $WORK/$NAME.server.log)"
  "$PY" -m llama_cpp.server --model "$GGUF" --host 127.0.0.1 --port "$PORT" --n_threads 2 \
    --type_k 0 --type_v 0 > "$WORK/$NAME.server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "$SERVER/v1/models" > /dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/$NAME.server.log"; exit 1; }
    sleep 1
  done
  curl -sf "$SERVER/v1/models" > /dev/null || { echo "the server did not answer in 120 s"; tail -20 "$WORK/$NAME.server.log"; exit 1; }

  URL="$SERVER"
  LOG="$WORK/$NAME.exchanges.jsonl"
  if [ -n "$RECORD" ]; then
    : > "$LOG"
    PPORT="$(free_port)"
    "$PY" "$ROOT/scripts/record_proxy.py" --port "$PPORT" --upstream "$SERVER" --log "$LOG" &
    PROXY_PID=$!
    URL="http://127.0.0.1:$PPORT"
    for _ in $(seq 1 50); do curl -sf "$URL/v1/models" > /dev/null 2>&1 && break; sleep 0.2; done
  fi

  # The prompts: English and Chinese as text; one run with --bos (the lab puts id 1 first and sends the literal "<s>",
  # since the GGUF says add_bos_token false).
  if [ "$NAME" = "tiny-ernie-instruct" ]; then
    PLAIN=("<|begin_of_sentence|>User: What does the cow say?
Assistant: " "<|begin_of_sentence|>User: 北京是哪个国家的首都？
Assistant: ")
    BOSP=()
  elif [ "$NAME" = "with-tokenizer" ]; then
    PLAIN=("One day, Luna went to the" "有一天，露娜和她的爸爸" "The dog says")
    BOSP=()
  else
    PLAIN=("One day, Luna went to the" "The dog says" "有一天，露娜和她的爸爸")
    BOSP=("The cow says" "Paris is the capital of")
  fi

  RUNS="$WORK/$NAME.runs.jsonl"; : > "$RUNS"
  mark() { if [ -n "$RECORD" ]; then wc -l < "$LOG"; else echo 0; fi; }
  # run LABEL EXPECT_OK ARGS...: runs lmlab, records its argv, exit code and the exchanges it made.
  run() {
    local label="$1"; shift
    local before after code=0
    before="$(mark)"
    echo
    echo "\$ lmlab $*"
    "$LMLAB_BIN" "$@" || code=$?
    after="$(mark)"
    "$PY" -c 'import json,sys; print(json.dumps({"label": sys.argv[1], "exit": int(sys.argv[2]), "from": int(sys.argv[3]), "to": int(sys.argv[4]), "argv": sys.argv[5:]}, ensure_ascii=False))' \
      "$label" "$code" "$before" "$after" "$@" >> "$RUNS"
    return "$code"
  }

  # ---- 3. tokenization: the server's ids vs the lab's ---------------------------------------------------------------
  echo
  echo "== $NAME: tokenization (server /extras/tokenize vs lmlab tokenize)"
  for P in "${PLAIN[@]}" "${BOSP[@]/#/<s>}"; do
    SERVER_IDS="$(curl -sf "$URL/extras/tokenize" -H 'Content-Type: application/json' \
      -d "$("$PY" -c 'import json,sys; print(json.dumps({"input": sys.argv[1]}))' "$P")" \
      | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["tokens"])')"
    LAB_IDS="$("$LMLAB_BIN" tokenize "$P" --model "$ROOT/$FOLDER" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["ids"])')"
    if [ "$SERVER_IDS" = "$LAB_IDS" ]; then verdict="same"; else verdict="DIFFERENT"; failures=$((failures + 1)); fi
    printf '%-10s %s\n  server %s\n  lab    %s\n' "$verdict" "$(printf '%q' "$P")" "$SERVER_IDS" "$LAB_IDS"
  done

  # ---- 4. probe and check greedy ------------------------------------------------------------------------------------
  if [ "$NAME" != "with-tokenizer" ]; then
    run probe probe "$URL" || failures=$((failures + 1))
    # A prompt both shipped models continue confidently, so the probe can check the echo against next-token log-probs
    # (after SFT the instruct model ends "<s>The capital of France" at once and never ranks " France" in its top 20).
    run probe-bos probe "$URL" --prompt "<s>The dog says woof" || failures=$((failures + 1))
  fi
  args=()
  for P in "${PLAIN[@]}"; do args+=(--prompt "$P"); done
  run check-greedy check greedy --model "$ROOT/$FOLDER" --api "$URL" --max-new-tokens "$MAX_NEW" "${args[@]}" \
    || failures=$((failures + 1))
  if [ "$NAME" = "tiny-ernie" ]; then
    # prob over the server (echoed prompt log-probs; the server refuses token ids, so the lab sends the text).
    run prob-api prob "The cat sat on the mat." --model "$ROOT/$FOLDER" --api "$URL" || failures=$((failures + 1))
    run prob-api-nobos prob "The cat sat on the mat." --model "$ROOT/$FOLDER" --api "$URL" --no-bos || failures=$((failures + 1))
  fi
  if [ "${#BOSP[@]}" -gt 0 ]; then
    args=()
    for P in "${BOSP[@]}"; do args+=(--prompt "$P"); done
    run check-greedy-bos check greedy --model "$ROOT/$FOLDER" --api "$URL" --max-new-tokens "$MAX_NEW" --bos "${args[@]}" \
      || failures=$((failures + 1))
  fi

  # ---- 5. the fixture -----------------------------------------------------------------------------------------------
  stop_all
  if [ -n "$RECORD" ]; then
    "$PY" - "$LOG" "$RUNS" "$RECORD/$NAME.json" "$NAME" "$ROOT" "$URL" "$LLAMA_CPP_PYTHON" "$FOLDER" <<'EOF'
import datetime, json, sys
log, runs_file, out, name, root, url, version, folder = sys.argv[1:9]
exchanges = [json.loads(line) for line in open(log, encoding="utf-8")]
runs = []
for line in open(runs_file, encoding="utf-8"):
    run = json.loads(line)
    # Paths and the proxy's port are placeholders, so the test can put its own model folder and loopback URL in.
    argv = [a.replace(root + "/", "").replace(url, "$API") for a in run["argv"]]
    runs.append({"label": run["label"], "argv": argv, "exit": run["exit"], "exchanges": exchanges[run["from"]:run["to"]]})
tokenize = [e for e in exchanges if e["path"] == "/extras/tokenize"]
doc = {
    "recorded_by": "scripts/llamacpp_check.sh --record" + (" --empty-text" if name == "with-tokenizer" else ""),
    "recorded": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
    "server": f"llama-cpp-python {version}: python3 -m llama_cpp.server --model {name}.f32.gguf --n_threads 2 --type_k 0 --type_v 0",
    "gguf": f"scripts/export_gguf.py {folder} (float32)",
    "model": folder,
    "tokenize": [{"input": e["request"]["input"], "ids": e["response"]["tokens"]} for e in tokenize],
    "runs": runs,
}
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"\nwrote {out}: {len(runs)} runs, {sum(len(r['exchanges']) for r in runs)} exchanges, {len(tokenize)} tokenizations")
EOF
  fi
done

echo
if [ "$failures" -gt 0 ]; then
  echo "llamacpp_check: $failures check(s) FAILED"
  exit 1
fi
echo "llamacpp_check: all checks passed"
