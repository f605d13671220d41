#!/usr/bin/env bash
# Write constraints.txt: the exact version of every Python package `make setup` installs,
# pip, setuptools and wheel included, so that a fresh clone gets the packages the project was
# tested with, not whatever a registry holds that day. pyproject.toml says what the project
# needs (its own dependencies pinned); this file pins what they need in turn.
#
# Run it after changing a dependency in pyproject.toml (`make lock`), then `make test`:
# it builds a throwaway venv from the registry with the newest versions pyproject.toml
# allows and writes down what it got.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" -m venv "$tmp/venv"
# The build tools too: `make setup` builds the project with those of .venv (pip's isolated
# build environment would take the newest setuptools that day), and so does this venv.
"$tmp/venv/bin/python" -m pip install -q --upgrade pip setuptools wheel
"$tmp/venv/bin/python" -m pip install -q --no-build-isolation '.[test]'
{
  echo "# Exact versions of every Python package the project installs (make setup uses it"
  echo "# as pip's constraints file). Written by scripts/lock-python.sh (make lock): do not edit."
  echo "pip==$("$tmp/venv/bin/python" -c 'import pip; print(pip.__version__)')"
  # --all: setuptools and wheel, which a plain freeze leaves out.
  "$tmp/venv/bin/python" -m pip freeze --all --exclude lexigraph --exclude pip | LC_ALL=C sort -f
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
