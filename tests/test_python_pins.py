"""constraints.txt pins every Python package the project installs, at the installed version,
the build tools included (`make setup` builds the project with them, without build isolation)."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
FIX = "run `make lock` after changing a dependency in pyproject.toml, then `make setup`"
#: What pip builds the project with; `make setup` installs them first, from constraints.txt.
BUILD_TOOLS = {"pip", "setuptools", "wheel"}


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line)
        assert match, f"constraints.txt:{number}: {line!r} is not 'name==version'"
        name = canonicalize_name(match[1])
        assert name not in found, f"constraints.txt:{number}: {match[1]} is pinned twice"
        found[name] = match[2]
    return found


def test_every_installed_package_is_pinned_at_its_version() -> None:
    pinned = pins()
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    installed.pop("lexigraph", None)  # (the project itself)
    unpinned = sorted(set(installed) - set(pinned))
    assert not unpinned, (f"installed but not in constraints.txt: {unpinned}; {FIX}, which "
                          "uninstalls what it does not pin (or uninstall a package installed by "
                          "hand: `.venv/bin/python -m pip uninstall NAME`)")
    differ = {name: (installed[name], version) for name, version in pinned.items()
              if name in installed and installed[name] != version}
    assert not differ, f"installed / pinned versions differ: {differ}; {FIX}"
    assert BUILD_TOOLS <= set(pinned), ("pip, setuptools and wheel are pinned too: `make setup` "
                                        "installs them first")
    missing = sorted(set(pinned) - set(installed))
    assert not missing, f"pinned but not installed: {missing}; {FIX}"


def test_pyproject_pins_agree_with_the_constraints() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"],
              *pyproject["build-system"]["requires"]]
    pinned = pins()
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in constraints.txt; {FIX}"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"pyproject.toml asks for {text!r}, constraints.txt pins {pinned[name]}; {FIX}")
