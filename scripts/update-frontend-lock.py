#!/usr/bin/env python3
"""Rewrite src/lexigraph/frontend.lock.json from package-lock.json and node_modules/.

An installed Lexigraph has no package.json: it fetches the graph page's libraries with what
this lock says. Which libraries and which of their files the site needs is what the lock
already lists (to add one, add ``"name": {"files": {"dist/x.min.js": ""}}`` by hand); this
script fills in, from the versions npm installed, each version, tarball URL and integrity
(copied from package-lock.json) and each file's sha256 (read in node_modules/, which `npm ci`
checked against that integrity).

Run it after changing a version in package.json and running `npm install` (or `npm ci`):

    python3 scripts/update-frontend-lock.py

tests/test_frontend_fetch.py fails while the lock and package-lock.json disagree.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "src" / "lexigraph" / "frontend.lock.json"
REGISTRY = "https://registry.npmjs.org/"


def tarball_url(name: str, version: str) -> str:
    """The registry's address of a package's tarball (a scope is not part of the file name)."""
    return f"{REGISTRY}{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def main() -> int:
    installed = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    for name, entry in lock["packages"].items():
        pinned = installed.get(f"node_modules/{name}")
        if pinned is None:
            print(f"package-lock.json: error: no node_modules/{name}\n    fix: add {name} to "
                  "package.json's dependencies and run `npm install`", file=sys.stderr)
            return 1
        entry["version"] = pinned["version"]
        entry["tarball"] = pinned.get("resolved") or tarball_url(name, pinned["version"])
        entry["integrity"] = pinned["integrity"]
        for path in entry["files"]:
            source = ROOT / "node_modules" / name / path
            if not source.is_file():
                print(f"{source}: error: missing\n    fix: run `npm ci`, or correct the file's "
                      f"path in {LOCK.name}", file=sys.stderr)
                return 1
            entry["files"][path] = hashlib.sha256(source.read_bytes()).hexdigest()
        # Keys in a fixed order, so an update shows as a small diff.
        lock["packages"][name] = {key: entry[key] for key in
                                  ("version", "tarball", "integrity", "files")}
    LOCK.write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
