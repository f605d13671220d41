"""Helper processes that render generated pages into the page cache while MkDocs renders them.

MkDocs converts pages one after the other, on one CPU. A build without ``.lexigraph-cache/``
(a fresh clone, a CI runner) converts every term page. Forked just before MkDocs starts,
helpers work through the same list of pages from its far end, each storing what it renders in
the page cache (:mod:`lexigraph.page_cache`). MkDocs, working from the front, finds there the
pages a helper has finished (a cache hit), and a helper skips the pages MkDocs has already
stored, so the two meet somewhere in the middle with no coordination but the cache's records.

A helper only ever adds cache records, written whole or not at all, under keys that name
everything a page is made from. MkDocs still runs every plugin event for every page itself, so
nothing a helper does, or fails to do, can change the site: at worst its work is wasted. A
helper logs nothing (a page whose conversion logs is not stored: MkDocs renders it and reports
it as usual) and is stopped once MkDocs has every page.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

from .parallel import fork_helper, silence_output, spare_cpus

T = TypeVar("T")

#: Below this many pages to render, a helper saves less than forking costs.
MIN_PAGES = 100
#: More helpers than this gain little: they read and write the same cache folder.
MAX_HELPERS = 3
#: A helper whose first this many pages were all in the cache already stops: the cache is
#: warm (the same glossary built again), and MkDocs reads the rest faster than it could help.
WARM = 20


def helpers_wanted(pages: int) -> int:
    """How many helpers to start for ``pages`` pages (:func:`parallel.spare_cpus`)."""
    return spare_cpus(pages, MIN_PAGES, MAX_HELPERS)


class Helpers:
    """Helper processes working through a list from its end; :meth:`stop` ends them."""

    def __init__(self) -> None:
        self.pids: list[int] = []

    def start(self, items: Sequence[T], work: Callable[[T], bool], count: int,
              quiet: Callable[[], None]) -> None:
        """Fork ``count`` helpers; helper ``i`` calls ``work`` on items ``-1 - i``,
        ``-1 - i - count``... ``work`` returns whether the item was done already; a helper
        whose first :data:`WARM` items all were stops. After the fork, each helper first calls
        ``quiet``, which must silence whatever the process would otherwise report."""
        def helper(i: int) -> None:
            silence_output()
            quiet()
            done = 0
            for seen, item in enumerate(items[len(items) - 1 - i::-count]):
                done += bool(work(item))
                if seen + 1 == WARM and done == WARM:
                    break

        for i in range(count):
            try:
                self.pids.append(fork_helper(functools.partial(helper, i)))
            except OSError:  # no fork (memory, a process limit): MkDocs renders the rest
                return

    def stop(self) -> None:
        """End the helpers (their work left is only pages MkDocs has already) and reap them."""
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.pids = []

