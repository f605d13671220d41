"""Helper processes that put generated pages through the theme and write them, beside MkDocs.

Once every page is converted (MkDocs' ``on_env``), MkDocs gives each page its context, renders
the theme's template, runs ``on_post_page`` and writes the file: one page after the other on
one CPU, about half of a build with a warm page cache. Forked at the end of ``on_env``, helpers
do the same for the generated pages from the far end of the list and write each file
themselves (a whole file or none: written beside it, then renamed). MkDocs, working from the
front, claims each generated page before its template renders; a page a helper has written
already it renders through an empty layout (see :data:`DISPATCH`), so nothing more is written,
while every plugin still sees the page's context as usual (Material's search indexes it). The
two meet in the middle; a page a helper is still writing MkDocs waits for.

The output is what MkDocs alone writes, byte for byte: a helper is a copy of MkDocs' process
at that point and runs the same events on the same objects. That holds only if nothing that
runs later in MkDocs' process changes what a page renders to, so helpers start only when the
page events have no handlers but Lexigraph's and the search plugins', and nothing changes the
nav or the theme's environment after Lexigraph has seen them (:func:`known_handlers`); and a
page written to the same file as another is left to MkDocs (:func:`generated_pages`).
A page whose rendering in a helper logs anything, or fails, is given back: MkDocs renders it
and reports what it reports. A helper that dies leaves its page to MkDocs too.

While pages are written, a generated page's ``page.meta["template"]`` names :data:`DISPATCH`
(MkDocs reads it before ``on_page_context``); the plugin puts the page's own back once it is
written.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import logging
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .cache_files import partial_path, write_atomic
from .parallel import LogCount, fork_helper, only_count_logs, silence_output, spare_cpus

#: The template every page the helpers may write renders (``page.meta["template"]``): it only
#: extends the layout the page context names (:data:`LAYOUT`), the page's own template or an
#: empty one. MkDocs picks a page's template before any plugin sees its context.
DISPATCH = "lexigraph/dispatch.html"
#: The empty layout: the page was written by a helper.
BLANK = "lexigraph/written.html"
#: The context variable naming the layout of a page rendered through :data:`DISPATCH`.
LAYOUT = "lexigraph_layout"
TEMPLATES = {DISPATCH: "{% extends " + LAYOUT + " %}", BLANK: ""}

#: Below this many pages, forking costs more than a helper saves.
MIN_PAGES = 100
#: One helper per spare CPU, up to this many.
MAX_HELPERS = 3
#: Page events whose handlers run in helpers as well as in MkDocs (so they must be known).
EVENTS = ("page_context", "post_page", "pre_template", "template_context", "post_template")
#: Plugins whose handlers of :data:`EVENTS` are known to change no page's HTML: they index it.
KNOWN = ("material.plugins.search.plugin.SearchPlugin", "mkdocs.contrib.search.SearchPlugin")

_FREE, _MKDOCS, _HELPER, _WRITTEN, _GIVEN_BACK = range(5)
#: How long MkDocs waits for the lock on the claims before it renders every page itself.
_LOCK_TIMEOUT = 10.0


def known_handlers(handlers: dict[str, list[Callable[..., Any]]], ours: type,
                   last: dict[str, Callable[..., Any]]) -> bool:
    """Whether every handler of :data:`EVENTS` is a method of ``ours`` or of a :data:`KNOWN`
    plugin, and the last handler of each event in ``last`` is the function given: nothing
    changes the nav or the theme's environment after Lexigraph has seen them (``handlers``
    is MkDocs' ``config.plugins.events``)."""
    for event, function in last.items():
        final = (handlers.get(event) or [None])[-1]
        if inspect.unwrap(getattr(final, "__func__", final)) is not inspect.unwrap(function):
            return False
    for event in EVENTS:
        for handler in handlers.get(event, []):
            owner = type(getattr(handler, "__self__", None))
            if owner is not ours and f"{owner.__module__}.{owner.__qualname__}" not in KNOWN:
                return False
    return True


def helpers_wanted(pages: int) -> int:
    """How many helpers to start for ``pages`` pages (:func:`parallel.spare_cpus`)."""
    return spare_cpus(pages, MIN_PAGES, MAX_HELPERS)


class _Unwritten(logging.Filter):
    """Drops MkDocs' note that a page written by a helper had no output in MkDocs."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.notes


class Writers:
    """Helper processes writing pages from the end of a list; MkDocs :meth:`claim` s each."""

    def __init__(self) -> None:
        self.pids: list[int] = []
        self._index: dict[str, int] = {}
        self._paths: list[Path] = []
        self._state: Any = None
        self._lock: Any = None
        self._note = _Unwritten()
        #: In a helper (its :meth:`claim` claims nothing).
        self.in_helper = False
        #: Helpers already waited for (their pids may belong to other processes by now).
        self._reaped: set[int] = set()
        #: Pages MkDocs rendered through the empty layout (a helper had written them).
        self.written = 0

    def start(self, pages: Sequence[tuple[str, Path]], render: Callable[[str], str | None],
              count: int) -> None:
        """Fork ``count`` helpers over ``pages`` (``src_uri``, destination): helper ``i``
        takes pages ``-1 - i``, ``-1 - i - count``... while MkDocs has not claimed them;
        ``render(src_uri)`` returns the page's output, or ``None`` to give it back."""
        self.stop()
        context = multiprocessing.get_context("fork")
        self._state = context.RawArray("B", len(pages))
        self._lock = context.Lock()
        self._index = {uri: i for i, (uri, _) in enumerate(pages)}
        self._paths = [path for _, path in pages]
        self.written = 0
        logging.getLogger("mkdocs.commands.build").addFilter(self._note)
        gc.freeze()  # the helpers' collections leave MkDocs' objects (and memory) shared
        try:
            for i in range(count):
                self.pids.append(fork_helper(functools.partial(
                    self._helper, pages, render, start=len(pages) - 1 - i, step=count)))
        except OSError:  # no fork (memory, a process limit): MkDocs writes every page
            self.stop()
        finally:
            gc.unfreeze()

    def _helper(self, pages: Sequence[tuple[str, Path]], render: Callable[[str], str | None],
                start: int, step: int) -> None:
        silence_output()
        counted = LogCount()
        only_count_logs(counted)
        self.in_helper = True
        parent = os.getppid()
        for i in range(start, -1, -step):
            if os.getppid() != parent or not self._take(i):
                return  # MkDocs has come this far: the rest is its
            done = False
            try:
                counted.count = 0
                output = render(pages[i][0])
                done = (output is not None and bool(output.strip()) and counted.count == 0
                        and write_atomic(pages[i][1],
                                         output.encode("utf-8", errors="xmlcharrefreplace")))
            finally:
                with self._lock:
                    self._state[i] = _WRITTEN if done else _GIVEN_BACK
            if not done:
                return

    def _take(self, i: int) -> bool:
        with self._lock:
            if self._state[i] != _FREE:
                return False
            self._state[i] = _HELPER
            return True

    def claim(self, src_uri: str) -> bool:
        """In MkDocs, before the page's template renders: whether a helper has written it
        (then MkDocs must write nothing). Waits for a helper still writing it."""
        i = self._index.get(src_uri)
        if i is None or self.in_helper:
            return False
        while True:
            if not self._lock.acquire(timeout=_LOCK_TIMEOUT):  # a helper died holding it
                self._abandon()
                return False
            try:
                state = self._state[i]
                if state == _WRITTEN:
                    self.written += 1
                    self._note.notes.add(
                        f"Page skipped: '{src_uri}'. Generated empty output.")
                    return True
                if state != _HELPER:  # (_MKDOCS: claimed before, which MkDocs never does)
                    self._state[i] = _MKDOCS
                    return False
                helper = self.pids[self._helper_of(i)]
            finally:
                self._lock.release()
            if not self._alive(helper):
                with self._lock:
                    if self._state[i] == _WRITTEN:  # (it wrote the page, then ended)
                        continue
                    self._state[i] = _MKDOCS  # it died on this page: MkDocs writes it
                with contextlib.suppress(FileNotFoundError):
                    partial_path(self._paths[i], helper).unlink()
                return False
            time.sleep(0.0005)

    def _helper_of(self, i: int) -> int:
        return (len(self._paths) - 1 - i) % len(self.pids)

    def _alive(self, pid: int) -> bool:
        if pid in self._reaped:
            return False
        try:
            if os.waitpid(pid, os.WNOHANG) == (0, 0):
                return True
        except ChildProcessError:  # (not ours to wait for)
            pass
        self._reaped.add(pid)
        return False

    def _abandon(self) -> None:
        """MkDocs renders every page left itself: the helpers are stopped."""
        self.stop()

    def stop(self) -> None:
        """End the helpers (when MkDocs has every page, they have ended or are about to) and
        remove what one stopped in the middle of a page left beside it."""
        for pid in self.pids:
            if pid in self._reaped:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        for i, path in enumerate(self._paths if self.pids else []):
            if self._state[i] == _HELPER:  # stopped while writing it
                for pid in self.pids:
                    with contextlib.suppress(FileNotFoundError):
                        partial_path(path, pid).unlink()
        logging.getLogger("mkdocs.commands.build").removeFilter(self._note)
        self._note.notes = set()
        self.pids, self._index, self._paths, self._reaped = [], {}, [], set()
        self._state = self._lock = None


def generated_pages(files: Any, generated: set[str]) -> list[tuple[str, Path]]:
    """The generated documentation pages of ``files`` (MkDocs' ``Files``) in the order MkDocs
    builds them, with where each is written; but not one written where another file is too
    (an author's ``graph.md`` and the generated ``graph/index.md``): which of them ends up
    there depends on the order MkDocs writes them in, so MkDocs writes both."""
    shared = Counter(f.abs_dest_path for f in files)
    return [(f.src_uri, Path(f.abs_dest_path)) for f in files.documentation_pages()
            if f.src_uri in generated and f.page is not None and shared[f.abs_dest_path] == 1]
