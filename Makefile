# Two commands on a fresh machine (Python 3.11 and make, nothing else):
#   make run    install into .venv, clean the bundled samples into data/out/, write its report
#   make test   install into .venv and run the tests
#   make lock   refresh uv.lock on purpose (then `make test` is the check)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# uv itself, pinned, in a folder of its own: `uv sync` makes .venv exactly the lock, so
# it must not live there. UV_PYTHON_DOWNLOADS=never: use this machine's Python 3.11.
UV_VERSION := 0.13.9
UV         := .uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
# Byte-compiled at install: with PYTHONDONTWRITEBYTECODE set (as on CI machines and in
# containers) every process would compile ~600 modules from source, 2 s of each start.
export UV_COMPILE_BYTECODE := 1

.PHONY: run report test lint bench clean lock

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Exactly the locked set (--locked: a pyproject.toml that no longer matches uv.lock is an
# error, not a silent re-resolve), the project itself editable.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --quiet --locked --extra dev --python $(PYTHON)
	@touch $(STAMP)

lock: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	@echo "uv.lock refreshed: 'git diff --stat uv.lock' shows what moved; 'make test' must pass on it before it is committed"

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

# The locked set plus the peer pipeline of the throughput benchmark (datatrove); the next
# `make test` or `make run` syncs back to the dev set.
bench: $(STAMP)
	$(UV) sync --quiet --locked --extra dev --extra bench --python $(PYTHON)
	@rm -f $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf data/out .pytest_cache

# --- Prefect server, deployments and worker (see README: "Runs from the Prefect UI") ---
PREFECT_HOST ?= 127.0.0.1
PREFECT_PORT ?= 4200
# Only these targets talk to the server; `make run` and `make test` must not.
deploy worker: export PREFECT_API_URL ?= http://$(PREFECT_HOST):$(PREFECT_PORT)/api
# The UI calls the API where the server really is (it would call port 4200 otherwise).
server: export PREFECT_UI_API_URL ?= http://$(PREFECT_HOST):$(PREFECT_PORT)/api

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
