# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install run ingest test eval bench bench-quick browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU torch first: any other torch spec pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The benchmark's extra packages (the tutorial baseline pipeline), on top of the test set-up.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install -q -e ".[test,bench]"
	touch $(BENCH_STAMP)

ingest: install
	$(BIN)/ikc ingest

run: install
	$(BIN)/ikc ui

# Debian's Chromium for the browser test (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

eval: install
	$(BIN)/ikc eval --set evals/sets/dev.jsonl --out evals/out/dev --baseline evals/baselines/dev/results.jsonl --fail-on-regression

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run

bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) data evals/out test-output
