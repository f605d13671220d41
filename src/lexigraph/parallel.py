"""Sharing out CPU-bound work on many items among processes, one per CPU.

Parsing entries and converting formulas are pure functions of one file or one formula and
cost most of what checking a large glossary costs; below a size where starting processes
costs more than it saves, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import logging
import math
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: prctl(2): the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1


def cpus() -> int:
    """The CPUs this process may use: those it may run on, fewer if its control group's CPU
    quota allows less time than that (a container limited to 2 CPUs on a 64-CPU host sees
    64), or ``$LEXIGRAPH_JOBS`` if set (1: no other process).

    >>> os.environ["LEXIGRAPH_JOBS"] = "1"; cpus()
    1
    >>> del os.environ["LEXIGRAPH_JOBS"]
    """
    jobs = os.environ.get("LEXIGRAPH_JOBS", "").strip()
    if jobs.isdigit() and int(jobs) > 0:
        return int(jobs)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
    quota = _quota()
    return usable if quota is None else max(1, min(usable, math.ceil(quota)))


@functools.cache
def _quota() -> float | None:
    """This process's :func:`cgroup_cpu_quota`, read once (cpus() is asked often)."""
    return cgroup_cpu_quota()


def cgroup_cpu_quota(proc: Path = Path("/proc/self"),
                     root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """How many CPUs' worth of time this process's control group, or a group above it, may
    use (cgroup v2 ``cpu.max``, v1 ``cpu.cfs_quota_us`` over ``cpu.cfs_period_us``): the
    smallest limit found, or ``None`` when none is set or none can be read.

    The groups are found where ``proc/mountinfo`` says their hierarchy is mounted (in a
    container, often only the container's own part of it), else under ``root``."""
    try:
        lines = (proc / "cgroup").read_text().splitlines()
    except OSError:
        return None
    mounts = _cgroup_mounts(proc)
    found: list[float] = []
    for line in lines:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and not controllers:  # v2: one hierarchy for every controller
            read, places = _cpu_max, [(top, at) for kind, top, at in mounts if kind == "2"]
            places = places or [("/", root)]
        elif "cpu" in controllers.split(","):  # v1: the cpu controller's own hierarchy
            read, places = _cfs_quota, [(top, at) for kind, top, at in mounts if kind == "cpu"]
            places = places or [("/", root / name) for name in
                                ("cpu", "cpu,cpuacct", "cpuacct,cpu") if (root / name).is_dir()]
        else:
            continue
        group = PurePosixPath("/", path.strip())
        for top, at in places:
            if not group.is_relative_to(top):
                continue
            parts = group.relative_to(top).parts
            for depth in range(len(parts), -1, -1):  # from the group up to the mount
                value = read(at.joinpath(*parts[:depth]))
                if value is not None:
                    found.append(value)
    return min(found) if found else None


def _cgroup_mounts(proc: Path) -> list[tuple[str, PurePosixPath, Path]]:
    """The cgroup mounts of ``proc/mountinfo``: ("2" for v2, "cpu" for a v1 hierarchy with
    the cpu controller), the group mounted, and where."""
    try:
        lines = (proc / "mountinfo").read_text().splitlines()
    except OSError:
        return []
    mounts = []
    for line in lines:
        fields, _, after = line.partition(" - ")
        first, tail = fields.split(), after.split()
        if len(first) < 5 or len(tail) < 3:
            continue
        top, at = (_unescape(field) for field in first[3:5])
        if tail[0] == "cgroup2":
            mounts.append(("2", PurePosixPath(top), Path(at)))
        elif tail[0] == "cgroup" and "cpu" in tail[2].split(","):
            mounts.append(("cpu", PurePosixPath(top), Path(at)))
    return mounts


def _unescape(field: str) -> str:
    """A mountinfo path, whose spaces, tabs, newlines and backslashes are octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _cpu_max(folder: Path) -> float | None:
    try:
        quota, period = (folder / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def _cfs_quota(folder: Path) -> float | None:
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text())
        period = int((folder / "cpu.cfs_period_us").read_text())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError, ZeroDivisionError):
        return None


def can_fork() -> bool:
    """Whether this process may fork a copy of itself: on Linux (macOS's system libraries
    are not fork-safe), and with no other thread running (one might hold a lock)."""
    return sys.platform == "linux" and threading.active_count() == 1


def spare_cpus(items: int, least: int, most: int) -> int:
    """How many helper processes to fork for ``items`` pieces of work: one per CPU beyond this
    process's, at most ``most``; none below ``least`` items (forking would cost more than it
    saves) or when this process may not fork."""
    if items < least or not can_fork():
        return 0
    return max(0, min(cpus() - 1, most))


def map_chunks(work: Callable[..., list[R]], items: Sequence[T], *args: Any,
               per_process: int) -> list[R]:
    """``work(chunk, *args)`` over chunks of ``items``, results in the order of ``items``.

    ``work`` returns one result per item of its chunk, and it and its arguments must be
    picklable (a module-level function). Processes are used only when every one gets at
    least ``per_process`` items.
    """
    workers = min(cpus(), len(items) // max(per_process, 1))
    if workers < 2:
        return work(list(items), *args)
    # fork is cheapest (the workers start with everything imported) but unsafe once this
    # process has other threads (`mkdocs serve`, test runners): then workers start afresh.
    method = "fork" if can_fork() else "spawn"
    size = -(-len(items) // (workers * 4))  # a few chunks each, so that all finish together
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    was_enabled = gc.isenabled()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        parts = pool.map(work, chunks, *([arg] * len(chunks) for arg in args))
        # Unpickling the results makes many objects and no garbage: without the collector
        # running again and again over them it takes a third of the time.
        gc.disable()
        try:
            return [result for part in parts for result in part]
        finally:
            if was_enabled:
                gc.enable()


def silence_output() -> None:
    """In a forked process that must report nothing: its output goes nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    logging.raiseExceptions = False


def die_with_parent(parent: int) -> None:
    """In a forked helper: end when ``parent`` (the process that forked it) ends, however it
    ends, rather than go on working for a build that is over (Linux; elsewhere helpers are
    not forked)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it ended before that took effect
        os._exit(1)


def fork_helper(work: Callable[[], object], ends_with_parent: bool = True) -> int:
    """Fork a copy of this process that runs ``work()`` and then ends, whatever happens: it
    never returns into the caller's code. With ``ends_with_parent`` it also ends when this
    process does (:func:`die_with_parent`). Returns its pid; raises :class:`OSError` if no
    process can be forked (memory, a process limit)."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            if ends_with_parent:
                die_with_parent(parent)
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


class LogCount(logging.Handler):
    """Counts the records logged at a level MkDocs shows by default (INFO and up)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def only_count_logs(count: LogCount, loggers: Sequence[str] = ("mkdocs", "")) -> None:
    """In a helper process: what is logged reaches nothing but ``count`` (on ``loggers``;
    MkDocs' logger does not pass its records on to the root)."""
    for name in loggers:
        logging.getLogger(name).handlers = [count]
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and logger.name not in loggers:
            # records still reach the count if the logger passes them on
            logger.handlers = []


class Forked:
    """``work()`` running in a forked copy of this process (call only when :func:`can_fork`).

    Its result must travel some other way, such as a file it writes. :meth:`wait` blocks until
    it is over, here or in a process forked from this one later (a pipe's end of file tells
    them all, however it ended); :meth:`stop` ends it early. The copy reports nothing.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self._owner = os.getpid()
        done, write_end = os.pipe()

        def copy() -> None:  # when it ends, its end of the pipe closes: whoever waits reads it
            os.close(done)
            silence_output()
            work()

        # Its result outlives this process (the next build reads it): it need not end with it.
        self.pid = fork_helper(copy, ends_with_parent=False)
        os.close(write_end)
        self._done = done

    @property
    def running(self) -> bool:
        return self._done >= 0

    def wait(self) -> None:
        """Return once ``work`` has returned, failed, or been stopped."""
        if self._done >= 0:
            os.read(self._done, 1)
            self._close()

    def stop(self) -> None:
        """End ``work`` now if it is still running (only the process that started it can)."""
        if self._done >= 0 and os.getpid() == self._owner:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self._close()

    def _close(self) -> None:
        if self._done < 0:
            return
        if os.getpid() == self._owner:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        os.close(self._done)
        self._done = -1
