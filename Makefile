# kopiresearch — two commands on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test lab bench labs data clean

# Create .venv if missing and install the package (editable) with the development tools.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Execute every notebook on the bundled data and write HTML copies + an index to reports/.
report: $(STAMP)
	$(BIN)/python tools/build_report.py --out reports

## Ruff, unit tests, doctests of the package and every notebook under nbval, in one pytest run.
test: $(STAMP)
	$(BIN)/python -m pytest

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
