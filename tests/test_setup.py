"""The set-up (Makefile rules and scripts/): run for real in a copy of the repository, offline.

What would reach a registry or Debian's archive is kept from it: pip has no index (so an install
step fails at once, after the steps under test) and apt-get, id or make are stand-ins on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

#: What the Makefile's rules read; scripts/ is copied with stand-ins where a test needs them.
SETUP_FILES = ("dev", "Makefile", "pyproject.toml", "constraints.txt", "package.json",
               "package-lock.json")


def checkout(tmp_path: Path, bootstrap: str = "#!/bin/sh\nexit 0\n") -> Path:
    """A copy of the set-up files, its bootstrap script replaced by ``bootstrap``."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in SETUP_FILES:
        shutil.copy2(ROOT / name, repo / name)
    for script in (ROOT / "scripts").iterdir():
        shutil.copy2(script, repo / "scripts" / script.name)
    stub(repo / "scripts" / "bootstrap-system.sh", bootstrap)
    return repo


def stub(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def offline_env(**extra: str) -> dict[str, str]:
    """This environment with pip kept from every index and local wheel folder."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "VIRTUAL_ENV", "MAKE", "MFLAGS"))}
    env.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("linked", [False, True])
def test_a_venv_without_pip_is_made_anew(tmp_path: Path, linked: bool) -> None:
    """Also where .venv is a link to a folder elsewhere: `venv --clear .venv` emptied the
    folder and then failed, on every later run (a review)."""
    repo = checkout(tmp_path)
    venv = repo / ".venv"
    if linked:
        (tmp_path / "elsewhere").mkdir()
        venv.symlink_to(tmp_path / "elsewhere")
    # What an interrupted `python3 -m venv` leaves: bin/python, and no pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv.resolve())],
                   check=True)
    (venv / "left-over").write_text("")
    python = str(venv / "bin" / "python")
    assert run([python, "-m", "pip", "--version"], repo, offline_env()).returncode != 0
    done = run(["make", ".venv/.installed", f"PYTHON={sys.executable}"], repo, offline_env())
    # The venv was made anew, with pip; installing from the registry then fails (offline).
    assert done.returncode != 0, done.stdout + done.stderr
    assert "No module named pip" not in done.stderr
    assert run([python, "-m", "pip", "--version"], repo, offline_env()).returncode == 0
    assert not (venv / "left-over").exists()
    assert venv.is_symlink() == linked


def test_two_bootstraps_at_once_install_once(tmp_path: Path) -> None:
    """`make -j2 setup` runs the bootstrap from both install rules: two apt-get at once, and
    the second fails on apt's lock (a review). The second waits, then finds npm there."""
    bin_dir = tmp_path / "bin"
    path = tools_only(bin_dir, "bash", "cat", "chmod", "flock", "sleep", "mkdir", "rmdir")
    stub(bin_dir / "id", "#!/bin/sh\necho 0\n")
    stub(bin_dir / "python3", "#!/bin/sh\nexit 0\n")
    stub(bin_dir / "make", "#!/bin/sh\n")
    log = tmp_path / "apt-get.log"
    # This apt-get fails as apt does when another one holds its lock, and installs npm.
    stub(bin_dir / "apt-get", f"""#!/bin/sh
mkdir {tmp_path}/apt-lock 2>/dev/null || {{ echo "E: Could not get lock" >&2; exit 100; }}
echo "$@" >> {log}
sleep 0.5
printf '#!/bin/sh\\n' > {bin_dir}/npm && chmod +x {bin_dir}/npm
rmdir {tmp_path}/apt-lock
""")
    env = offline_env(PATH=path, TMPDIR=str(tmp_path))
    script = str(ROOT / "scripts" / "bootstrap-system.sh")
    both = [subprocess.Popen([script], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    errors = [process.communicate(timeout=60)[1] for process in both]
    assert [process.returncode for process in both] == [0, 0], errors
    assert log.read_text().splitlines() == [
        "update -qq", "install -y -qq --no-install-recommends nodejs npm"]


def tools_only(bin_dir: Path, *names: str) -> str:
    """A PATH of ``bin_dir`` and links to the named system tools: what a fresh Debian has."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        found = shutil.which(name)
        assert found, f"{name} is needed by this test"
        (bin_dir / name).symlink_to(found)
    return str(bin_dir)


def test_node_modules_is_installed_after_the_bootstrap(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    # The bootstrap is what installs npm; this npm records what it is asked to do.
    repo = checkout(tmp_path, bootstrap=f"""#!/bin/sh
cat > {bin_dir}/npm <<'NPM'
#!/bin/sh
mkdir -p node_modules && echo "$@" > npm-args
NPM
chmod +x {bin_dir}/npm
""")
    path = tools_only(bin_dir, "make", "sh", "bash", "cat", "chmod", "mkdir", "touch")
    done = run(["make", "node_modules/.installed"], repo, offline_env(PATH=path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "npm-args").read_text() == "ci --no-audit --no-fund --loglevel=error\n"
    assert (repo / "node_modules" / ".installed").is_file()


def fake_debian(tmp_path: Path, python_after_install: str) -> tuple[str, Path]:
    """A PATH where we are root, npm and make are there, python3 is 3.9, and apt-get installs
    ``python_after_install`` as python3 ("3.9": Debian 11's; "3.11": Debian 12's)."""
    bin_dir = tmp_path / "bin"
    path = tools_only(bin_dir, "bash", "cat", "chmod")
    stub(bin_dir / "id", "#!/bin/sh\necho 0\n")
    for name in ("npm", "make"):
        stub(bin_dir / name, "#!/bin/sh\n")
    log = tmp_path / "apt-get.log"

    def python(version: str) -> str:
        ok = 0 if version == "3.11" else 1
        return (f"#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python {version}.2'; "
                f"exit 0; fi\nexit {ok}\n")

    stub(bin_dir / "python3", python("3.9"))
    stub(bin_dir / "apt-get", f"""#!/bin/sh
echo "$@" >> {log}
cat > {bin_dir}/python3 <<'PY'
{python(python_after_install)}PY
""")
    return path, log


def test_bootstrap_stops_when_debian_has_no_python_311(tmp_path: Path) -> None:
    path, log = fake_debian(tmp_path, python_after_install="3.9")
    done = run([str(ROOT / "scripts" / "bootstrap-system.sh")], tmp_path, offline_env(PATH=path))
    assert "install -y -qq --no-install-recommends python3 python3-venv python3-dev" in (
        log.read_text())
    assert done.returncode == 1
    assert done.stderr.splitlines()[-2:] == [
        "lexigraph: error: after installing, python3 is Python 3.9.2: Lexigraph needs Python "
        ">= 3.11 with venv (Debian 12 or later has it)",
        "  fix: use Debian 12 (bookworm) or later, or a system whose python3 is 3.11 or newer"]


def test_bootstrap_goes_on_when_the_python_it_installed_will_do(tmp_path: Path) -> None:
    path, log = fake_debian(tmp_path, python_after_install="3.11")
    done = run([str(ROOT / "scripts" / "bootstrap-system.sh")], tmp_path, offline_env(PATH=path))
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == [
        "update -qq", "install -y -qq --no-install-recommends python3 python3-venv python3-dev"]


def fake_install(site_packages: Path, name: str) -> None:
    """A package as pip installs one (a module, its dist-info with a RECORD), offline."""
    module = re.sub(r"[-.]", "_", name)
    info = site_packages / f"{module}-1.0.dist-info"
    info.mkdir()
    (site_packages / f"{module}.py").write_text("")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "INSTALLER").write_text("pip\n")
    (info / "RECORD").write_text(f"{module}.py,,\n{info.name}/METADATA,,\n"
                                 f"{info.name}/INSTALLER,,\n{info.name}/RECORD,,\n")


def test_packages_no_longer_pinned_are_uninstalled(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    [site_packages] = venv.glob("lib/python3*/site-packages")
    for name in ("still-pinned", "Dropped.By-Lock", "lexigraph"):
        fake_install(site_packages, name)
    # A lock that pins pip and still-pinned (written as pip writes names: case, '_' or '.').
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# comment\npip==26.3\nStill_Pinned==1.0\n")
    before = installed(python, tmp_path)
    assert {"dropped-by-lock", "still-pinned", "lexigraph", "pip"} <= before
    done = run([python, str(ROOT / "scripts" / "prune-venv.py"), str(constraints)], tmp_path,
               offline_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"removing dropped-by-lock: not pinned in {constraints}\n"
    assert not (site_packages / "Dropped_By_Lock.py").exists()
    # Nothing else goes: the project itself and the build tools (setuptools) stay unpinned.
    assert installed(python, tmp_path) == before - {"dropped-by-lock"}


def installed(python: str, cwd: Path) -> set[str]:
    listed = run([python, "-m", "pip", "list", "--format=freeze"], cwd, offline_env()).stdout
    return {re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in listed.split()}


def test_dev_alone_lists_the_targets() -> None:
    done = run([str(ROOT / "dev")], Path("/"), offline_env())
    assert done.returncode == 0, done.stderr
    targets = [line.split()[0] for line in done.stdout.splitlines()]
    assert {"serve", "test", "setup", "build", "check", "lock", "pyodide", "clean"} <= set(targets)
    assert "  serve    build and serve the site with live reload on 127.0.0.1:8000" in done.stdout


def test_dev_installs_make_first_where_there_is_none(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    make = shutil.which("make")
    # A minimal Debian: no make until the bootstrap (as root) installs it.
    repo = checkout(tmp_path,
                    bootstrap=f"#!/bin/sh\necho bootstrap >&2\nln -s {make} {bin_dir}/make\n")
    path = tools_only(bin_dir, "sh", "bash", "dirname", "ln", "awk")
    done = run([str(repo / "dev"), "help"], tmp_path, offline_env(PATH=path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == "bootstrap\n"
    assert "  test     install the test needs" in done.stdout
    # Once make is there, ./dev is make alone: no bootstrap on the way.
    done = run([str(repo / "dev")], tmp_path, offline_env(PATH=path))
    assert (done.returncode, done.stderr) == (0, "")
    assert "  serve    " in done.stdout

