"""Help Material's search find a term by its names first.

Material's search (lunr) turns off length normalisation (``b = 0``), so a query for ``relu``
scores the titles "ReLU" and "Dying ReLU" alike, and the page whose text says "ReLU" most
wins. We give each term page's top entry a ``tags`` field (the most boosted field; our
stylesheet hides the chips Material shows for it in results) in which every word of the
term's names is repeated in inverse proportion to the name's length: the shorter and more
exact the name, the higher the term frequency. Only the page-level entry gets it, so the
index grows by one short list per term rather than one per section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .model import Term

#: Repetitions for a one-word name; a name of n words gets ``SCALE // n`` per word.
SCALE = 12
_SEPARATOR = re.compile(r"[\s\-–]+")


def name_tokens(names: Iterable[str]) -> list[str]:
    """Tokens for the ``tags`` field: each word repeated by the exactness of its name.

    Examples
    --------
    >>> from collections import Counter
    >>> Counter(name_tokens(["ReLU", "rectified linear unit"]))["ReLU"]
    12
    >>> Counter(name_tokens(["Dying ReLU"]))["ReLU"]
    6
    """
    weight: dict[str, tuple[int, str]] = {}
    for name in names:
        words = [w for w in _SEPARATOR.split(name.strip()) if w]
        for word in words:
            key = word.casefold()
            count = max(1, SCALE // len(words))
            if count > weight.get(key, (0, ""))[0]:
                weight[key] = (count, word)
    out: list[str] = []
    for count, word in sorted(weight.values(), key=lambda cw: cw[1].casefold()):
        out.extend([word] * count)
    return out


def tag_entry(entry: dict[str, Any], term: Term) -> None:
    """Give a term page's top entry in a Material search index its name tokens."""
    entry["tags"] = [*entry.get("tags", []), *name_tokens(term.names)]


def add_term_names(index: dict[str, Any], terms_by_url: Mapping[str, Term]) -> dict[str, Any]:
    """Give each term page's top entry in a written search index its name tokens."""
    for doc in index.get("docs", []):
        term = terms_by_url.get(doc.get("location", ""))
        if term is not None:
            tag_entry(doc, term)
    return index
