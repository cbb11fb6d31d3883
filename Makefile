# Set-up and everyday commands. `make run` and `make test` install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench gen lint-protos clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the whole system embedded (chDB + SQLite under ./data), demo tenant loaded
run: $(STAMP)
	./services/gateway/ui/build.sh
	$(VENV)/bin/partneros up --demo --data-dir ./data

## test: every test (installs the test tooling first)
test: $(STAMP)
	./scripts/test-setup
	./services/gateway/ui/build.sh
	$(PY) -m pytest -q

## bench: the benchmark suite; figures go to bench/README.md
bench: $(STAMP)
	$(PY) -m bench

## gen: regenerate the protobuf stubs into libs/gen
gen: $(STAMP)
	$(PY) scripts/gen_protos.py

## lint-protos: buf lint over protos/
lint-protos:
	./scripts/buf lint

clean:
	rm -rf $(VENV) data
