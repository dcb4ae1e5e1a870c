# zengzhi — two commands: `make demo` and `make test`. Both create .venv and install from pins.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: demo test lint typecheck unit bench bench-sim install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Until the platform exists: the seed's walk-through, then a simulated slump with its report.
demo: $(STAMP)
	$(BIN)/zengzhi example seed
	$(BIN)/zengzhi simulate examples/scenarios/slump.toml --runs 20 --out out/demo/slump \
		--report out/demo/slump.html
	@echo
	@echo "Open out/demo/slump.html in a browser (works offline)."
	@echo "Try: $(BIN)/zengzhi --help"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/distribution.py

# radCAD needs numpy < 2, so it lives in its own venv (build/venv-bench), never in .venv.
bench-sim: $(STAMP)
	test -x build/venv-bench/bin/python || $(BIN)/python benchmarks/sim.py --setup-radcad
	$(BIN)/python benchmarks/sim.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
