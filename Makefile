# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= var/demo

.PHONY: demo test install bench clean system-packages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

install: $(STAMP)

## Start the Jambi testbed, crawl it, score it and print the lag list.
demo: $(STAMP)
	$(BIN)/pantau demo --out $(DEMO_DIR)

## Debian packages the tests need (installed when run as root; otherwise the command to run).
system-packages:
	sh .ci/system-packages.sh

## Run the whole test suite.
test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q

## Crawl benchmark (not a test): full pipeline vs bare Scrapy on a generated testbed.
bench: $(STAMP)
	$(BIN)/python -m bench.crawl_bench $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache

## Accessibility benchmarks (not tests): WCAG rule cost per 100 KB page; agreement with axe-core
## in headless Chromium (needs `apt-get install chromium chromium-driver` and node).
.PHONY: bench-a11y axe-compare
bench-a11y: $(STAMP)
	$(BIN)/python -m bench.a11y_bench
axe-compare: $(STAMP)
	cd bench/axe && npm ci --no-audit --no-fund
	$(BIN)/python -m bench.axe_compare --json var/bench/axe_compare.json

## Scrape benchmark (not a test): `pantau serve` over a generated store of 25,000 sites.
.PHONY: bench-scrape
bench-scrape: $(STAMP)
	$(BIN)/python -m bench.scrape_bench $(BENCH_ARGS)

## Probe benchmark (not a test): pantau probe vs prometheus-blackbox-exporter on 25,000 generated hosts.
.PHONY: bench-probe
bench-probe: $(STAMP)
	$(BIN)/python -m bench.probe_bench $(BENCH_ARGS)
