"""Keep the last good site until a build has succeeded.

MkDocs empties the site folder before it writes anything, and a strict build fails only at its
end, after every page is written: a warning about a hand-written page (a broken link, a missing
anchor) left a site built with the problem in it, and the last good site gone. Lexigraph stops
a build with problems in the entries before MkDocs starts; for everything else, the last site is
set aside when the build starts, put back if the build fails, and deleted once it has succeeded.

What is set aside is what MkDocs would delete: the entries of the site folder whose names do not
start with "." (``.git``, ``.nojekyll`` stay where they are, as MkDocs leaves them). They move
into a hidden folder inside it, which MkDocs' cleaning leaves alone too: renames within one
folder, so no copy, whether the site folder is a link or a mount point.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: The hidden folder inside the site folder that holds the last site during a build.
KEPT = ".lexigraph-last"


def _visible(folder: Path) -> list[Path]:
    """What MkDocs' cleaning deletes in ``folder``: its entries not starting with "."."""
    return [entry for entry in folder.iterdir() if not entry.name.startswith(".")]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


class LastSite:
    """The site in ``site`` while a build replaces it.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp()) / "site"
    >>> _ = site.mkdir(), (site / "index.html").write_text("good"), (site / ".nojekyll").touch()
    >>> last = LastSite(site)
    >>> last.keep(), sorted(p.name for p in site.iterdir())
    (True, ['.lexigraph-last', '.nojekyll'])
    >>> _ = (site / "half.html").write_text("a failed build's")
    >>> last.restore()  # doctest: +ELLIPSIS
    'the last good site in ... is left as it was'
    >>> sorted(p.name for p in site.iterdir())
    ['.nojekyll', 'index.html']
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self.kept = site / KEPT
        self._kept = False

    def keep(self) -> bool:
        """Set the site aside; whether there is one to put back. What a build that was killed
        before it ended set aside is the last good site: what that build wrote goes."""
        try:
            if self.kept.is_dir():
                for entry in _visible(self.site):
                    _remove(entry)
            elif self.site.is_dir() and _visible(self.site):
                self.kept.mkdir()
                for entry in _visible(self.site):
                    entry.rename(self.kept / entry.name)
            else:
                return False
        except OSError:  # (what could not be moved stays, and the build replaces it)
            self._kept = self.kept.is_dir()
            return self._kept
        self._kept = True
        return True

    def drop(self) -> None:
        """The build succeeded: the last site is no longer needed."""
        if self._kept:
            self._kept = False
            shutil.rmtree(self.kept)

    def restore(self) -> str:
        """The build failed: what it wrote goes, and the last site is put back. Returns what
        became of it, to be said."""
        if not self._kept:
            return ""
        self._kept = False
        try:
            for entry in _visible(self.site):
                _remove(entry)
            for entry in list(self.kept.iterdir()):
                entry.rename(self.site / entry.name)
            self.kept.rmdir()
        except OSError as exc:
            return (f"the last good site could not be put back in {self.site} whole: what is "
                    f"left of it is in {self.kept} ({exc})")
        return f"the last good site in {self.site} is left as it was"
