#!/usr/bin/env bash
# Install the system tools Lexigraph needs on Debian when they are missing:
# Python >= 3.11 with venv, Node.js + npm (front-end libraries come from the npm registry),
# and, with --browser, Debian's Chromium for the browser tests.
# Only Debian's own package archive is used; nothing is downloaded from elsewhere.
set -euo pipefail

want=()
python_ok() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}
python_ok || want+=(python3 python3-venv python3-dev)
command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
command -v make >/dev/null 2>&1 || want+=(make)
if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  want+=(chromium)
fi

if ((${#want[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "lexigraph: missing system packages: ${want[*]}" >&2
    echo "  fix: run 'sudo apt-get install ${want[*]}' (or run this as root)" >&2
    exit 1
  fi
  echo "lexigraph: installing ${want[*]} from Debian's archive" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
