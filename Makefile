# The moves a newcomer needs. `make setup` once, then `make test`.
.PHONY: setup test lint bench record eval

setup:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'

test:
	.venv/bin/python -m pytest -q -n auto --dist loadgroup

lint:
	.venv/bin/ruff check verifier tests scripts
	.venv/bin/mypy verifier

bench:
	.venv/bin/python scripts/bench.py

record:
	scripts/record-cassettes.sh

eval:
	scripts/eval-all.sh
