#!/usr/bin/env bash
# Install the system tools Lexigraph needs on Debian when they are missing:
# Python >= 3.11 with venv, Node.js + npm (front-end libraries come from the npm registry),
# and, with --browser, Debian's Chromium for the browser tests.
# Only Debian's own package archive is used; nothing is downloaded from elsewhere.
set -euo pipefail

python_ok() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}
too_old="Lexigraph needs Python >= 3.11 with venv (Debian 12 or later has it)"
missing() {
  want=()
  python_ok || want+=(python3 python3-venv python3-dev)
  command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
  command -v make >/dev/null 2>&1 || want+=(make)
  if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then
    want+=(chromium)
  fi
}

missing "$@"
if ((${#want[@]})) && [[ $(id -u) -eq 0 ]] && command -v flock >/dev/null 2>&1; then
  # One install at a time (`make -j2 setup` runs this from both install rules, and apt holds a
  # lock of its own that a second apt-get fails on): the second waits, then finds what the
  # first installed.
  exec 9>"${TMPDIR:-/tmp}/lexigraph-bootstrap.lock"
  flock 9
  missing "$@"
fi
if ((${#want[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "lexigraph: missing system packages: ${want[*]}" >&2
    echo "  fix: run 'sudo apt-get install ${want[*]}' (or run this as root)" >&2
    python_ok || echo "  ($too_old)" >&2
    exit 1
  fi
  echo "lexigraph: installing ${want[*]} from Debian's archive" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  # An older Debian installs its own, older python3 without complaint: say so here, not later.
  if ! python_ok; then
    found=$(python3 --version 2>/dev/null || echo "not there")
    echo "lexigraph: error: after installing, python3 is ${found}: $too_old" >&2
    echo "  fix: use Debian 12 (bookworm) or later, or a system whose python3 is 3.11 or newer" >&2
    exit 1
  fi
fi
