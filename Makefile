# kopiresearch — two commands on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test lab bench labs data clean lock

# Create .venv if missing and install the exact versions of requirements.lock, then the
# package itself (editable, no dependency resolution), so that every machine gets the same
# libraries and the notebooks' stored outputs hold. Then compile the numba kernels into their
# on-disk cache, so that the first `make report` does not compile them in its notebooks.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python tools/warm_numba.py
	touch $(STAMP)

install: $(STAMP)

## Regenerate requirements.lock from pyproject.toml with uv (keeps the current pins where the
## ranges allow; `make lock UPGRADE=1` moves every pin to the newest allowed version).
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv>=0.5"
	$(BIN)/python tools/lock.py $(if $(UPGRADE),--upgrade)

## The study: execute the notebooks and write the report (index.html, HTML with and without
## code, figures as PNG and SVG, tables as CSV) to reports/ (or OUT=DIR). Without CORPUS it is
## the bundled synthetic study (plus the loading tutorial and the teaching labs); with
## CORPUS=DIR (a `kopiresearch load` folder or crawl files) the research notebooks run on it,
## with optional LABELS=F FOLLOWS=F EVENT_DATE=... EVENT_NAME=... SEED=N.
OUT ?= reports
report: $(STAMP)
	$(BIN)/kopiresearch study $(CORPUS) --out $(OUT) --overwrite \
	  $(if $(LABELS),--labels "$(LABELS)") $(if $(FOLLOWS),--follows "$(FOLLOWS)") \
	  $(if $(EVENT_DATE),--event-date "$(EVENT_DATE)") \
	  $(if $(EVENT_NAME),--event-name "$(EVENT_NAME)") $(if $(SEED),--seed $(SEED))

## Ruff, unit tests, doctests of the package and every notebook under nbval, in one pytest run,
## on TEST_WORKERS processes (pytest-xdist; each notebook and each test file runs on one worker,
## see addopts in pyproject.toml). `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

## JupyterLab on the notebooks.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## Benchmarks (peers side by side); results in benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run.py

## Regenerate the student versions of the teaching labs from the lecturer versions.
labs: $(STAMP)
	$(BIN)/python tools/make_labs.py

## Regenerate the bundled synthetic data set (deterministic: same bytes every time).
data: $(STAMP)
	$(BIN)/python -c 'import sys; from kopiresearch.synth import main; main(sys.argv[1:])' --out data/synthetic

clean:
	rm -rf reports .pytest_cache
