#!/usr/bin/env bash
# Reproduce every figure published in docs/accuracy.md.
#
#   scripts/eval-all.sh [ENGINE] [OUT_DIR]
#
# ENGINE: rules (default; offline, a few seconds) or llm (configure the server with
# VERIFIER_BASE_URL / OPENAI_BASE_URL and VERIFIER_MODEL, or OPENAI_API_KEY).
# The published corpora are read from $VERIFIER_EVAL_DATA (default ../shared/eval/external);
# corpora that are not there are skipped with a note. Tables go to stdout, JSON to OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${1:-rules}
out=${2:-${TMPDIR:-/tmp}/verifier-eval/$engine}
data=${VERIFIER_EVAL_DATA:-../shared/eval/external}
scorer=${VERIFIER_POLNEAR_SCORER:-$data/../polnear_quotes.py}
verifier=${VERIFIER:-.venv/bin/verifier}
[ -x "$verifier" ] || verifier=verifier
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3
mkdir -p "$out"

# run NAME ARGS...: the table on stdout, the JSON in $out/NAME.json
run() {
  local name=$1; shift
  echo "== $name"
  "$verifier" eval "$@" --engine "$engine" --format json --output "$out/$name.json"
  "$verifier" eval "$@" --engine "$engine"
  echo
}

corpus() {  # corpus NAME CORPUS FILE [ARGS...]
  local name=$1 kind=$2 file=$3; shift 3
  if [ -f "$file" ]; then
    run "$name" --corpus "$kind" "$file" "$@"
  else
    echo "== $name: skipped ($file not found)"; echo
  fi
}

run gold eval/gold
corpus polnear-direct polnear "$data/polnear/polnear_dev_subset.jsonl" --kind direct --reports-dir "$out/polnear-reports"
corpus polnear-all polnear "$data/polnear/polnear_dev_subset.jsonl" --kind all
corpus newssd newssd "$data/newssd-eng/val.csv"
corpus checkthat checkthat "$data/checkthat2024-task1-en/CT24_checkworthy_english_dev-test.tsv"
corpus factcheck-sentences factcheck "$data/factcheck-bench/subtask1_sentence_checkworthiness.jsonl"
corpus factcheck-claims factcheck "$data/factcheck-bench/subtask2_claim_checkworthiness.jsonl"

# Cross-check: the team's PolNeAR scorer on the same reports must print the same figures.
if [ -f "$scorer" ] && [ -d "$out/polnear-reports" ]; then
  echo "== polnear, scored by $scorer"
  "$python" "$scorer" "$data/polnear/polnear_dev_subset.jsonl" "$out/polnear-reports" | tail -n 1
fi
echo "JSON results in $out"
