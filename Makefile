# Two commands on a fresh machine (Python 3.11 and make, nothing else):
#   make run    install into .venv, clean the bundled samples into data/out/, write its report
#   make test   install into .venv and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run report test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsclean run --input samples --output data/out
	$(BIN)/newsclean report data/out

report: $(STAMP)
	$(BIN)/newsclean report data/out

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf data/out .pytest_cache

# --- Prefect server, deployments and worker (see README: "Runs from the Prefect UI") ---
PREFECT_HOST ?= 127.0.0.1
PREFECT_PORT ?= 4200
# Only these targets talk to the server; `make run` and `make test` must not.
deploy worker: export PREFECT_API_URL ?= http://$(PREFECT_HOST):$(PREFECT_PORT)/api

.PHONY: server deploy worker

server: $(STAMP)
	$(BIN)/prefect server start --host $(PREFECT_HOST) --port $(PREFECT_PORT)

deploy: $(STAMP)
	$(BIN)/prefect work-pool inspect newsclean >/dev/null 2>&1 || \
		$(BIN)/prefect work-pool create newsclean --type process
	mkdir -p data/landing
	PWD=$(CURDIR) $(BIN)/prefect --no-prompt deploy --all

worker: $(STAMP)
	$(BIN)/prefect worker start --pool newsclean
