"""Keep the last good site until a build has succeeded.

MkDocs empties the site folder before it writes anything, and a strict build fails only at its
end, after every page is written: a warning about a hand-written page (a broken link, a missing
anchor) left a site built with the problem in it, and the last good site gone. Lexigraph stops
a build with problems in the entries before MkDocs starts; for everything else, the last site is
set aside when the build starts, put back if the build fails, and deleted once it has succeeded.

Setting it aside is a rename beside it, so it costs no copy. Where the rename cannot be made (the
site folder is a mount point, say) the build goes on as MkDocs makes it.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)


class LastSite:
    """The site in ``site`` while a build replaces it.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp()) / "site"
    >>> _ = site.mkdir(), (site / "index.html").write_text("good")
    >>> last = LastSite(site)
    >>> last.keep(), site.exists()
    (True, False)
    >>> _ = site.mkdir(), (site / "half.html").write_text("a failed build's")
    >>> last.restore()  # doctest: +ELLIPSIS
    'the last good site in ... is left as it was'
    >>> sorted(p.name for p in site.iterdir())
    ['index.html']
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        #: Where the last site waits: hidden, beside it (the same file system).
        self.kept = site.with_name(f".{site.name}.lexigraph-last")
        self._kept = False

    def keep(self) -> bool:
        """Set the site aside; whether there is one to put back. A folder set aside by a build
        that was killed before it ended is the last good site: the site folder beside it is
        that build's output, and goes."""
        try:
            if self.kept.exists():
                shutil.rmtree(self.site, ignore_errors=True)
            elif self.site.is_dir():
                self.site.rename(self.kept)
            else:
                return False
        except OSError as exc:
            log.debug("the last site cannot be set aside (%s): the build replaces it", exc)
            return False
        self._kept = True
        return True

    def drop(self) -> None:
        """The build succeeded: the last site is no longer needed."""
        if self._kept:
            self._kept = False
            shutil.rmtree(self.kept, ignore_errors=True)

    def restore(self) -> str | None:
        """The build failed: what it wrote goes, and the last site is put back. Returns what
        became of it, to be said (None: there was none)."""
        if not self._kept:
            return None
        self._kept = False
        shutil.rmtree(self.site, ignore_errors=True)
        try:
            self.kept.rename(self.site)
        except OSError as exc:  # (the site folder could not be removed whole)
            return f"the last good site could not be put back in {self.site}: it is in {self.kept} ({exc})"
        return f"the last good site in {self.site} is left as it was"
