# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= var/demo

.PHONY: demo test install bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

install: $(STAMP)

## Start the Jambi testbed, crawl it, score it and print the lag list.
demo: $(STAMP)
	$(BIN)/pantau demo --out $(DEMO_DIR)

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

## Crawl benchmark (not a test): full pipeline vs bare Scrapy on a generated testbed.
bench: $(STAMP)
	$(BIN)/python -m bench.crawl_bench $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache
