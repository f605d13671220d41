# The README's two commands: `./dev serve` and `./dev test` (./dev installs make if it is
# missing, then runs it: with make installed, `make serve` and `make test` are the same).
# Everything they need is installed from the package registries by the targets below; nothing
# is done by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup lock pyodide serve build check test bench clean
.DEFAULT_GOAL := help

help:  ## list these targets (`./dev` or `make` alone)
	@awk -F ':.*## ' '/^[a-z]+:.*## /{printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# constraints.txt pins every Python package installed, what our dependencies need included
# (`make lock` writes it anew), and the build tools: pip's isolated build environment does not
# read it, so the project is built with the pinned setuptools and wheel of .venv itself.
# A venv without a working pip (an interrupted `python3 -m venv`) would fail every later
# step, so it is made anew (where .venv is a link, where it leads). .venv holds exactly what
# the constraints pin: anything else is uninstalled (pip only adds), before the install brings
# back what the project needs.
$(VENV)/.installed: pyproject.toml constraints.txt
	scripts/bootstrap-system.sh
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear "$$(readlink -f $(VENV))"
	$(BIN)/python -m pip install -q -c constraints.txt pip setuptools wheel
	$(BIN)/python scripts/prune-venv.py constraints.txt
	$(BIN)/python -m pip install -q -c constraints.txt --no-build-isolation -e '.[test]'
	touch $@

# Both install rules start with the bootstrap (quick when all is there): either may run first,
# or alone (`make -j2 setup`, an up-to-date venv), and npm may not be installed yet.
node_modules/.installed: package.json package-lock.json
	scripts/bootstrap-system.sh
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed  ## install .venv and node_modules/ alone

lock:  ## pin the newest Python packages pyproject.toml allows into constraints.txt
	PYTHON=$(PYTHON) scripts/lock-python.sh

# The build fetches the runtime itself when it is missing; this target does it up front, with
# progress output, so test workers do not wait silently on the download.
pyodide: setup  ## fetch the pinned Pyodide 0.27.7 + NumPy into the user cache (once; sha256-verified)
	$(BIN)/lexigraph pyodide fetch

serve: setup  ## build and serve the site with live reload on 127.0.0.1:8000 (HOST=...)
	$(BIN)/mkdocs serve --dev-addr $(HOST)

build: setup  ## build the site into site/
	$(BIN)/mkdocs build

check: setup  ## validate the glossary entries
	$(BIN)/lexigraph check glossary

test: setup pyodide  ## install the test needs (incl. Debian's chromium) and run the whole suite
	scripts/bootstrap-system.sh --browser
	$(BIN)/python -m pytest -n 2 -q

bench: setup  ## benchmarks (not tests): build scale, graph page, demos
	$(BIN)/python -m bench

clean:  ## remove site/, .venv and node_modules/
	rm -rf site $(VENV) node_modules
