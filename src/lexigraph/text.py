"""Escaping author text for the places generated pages put it."""

from __future__ import annotations

import html
import json
import re
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!$|~])")
# What Markdown unescapes only if an extension says so (tables: "|"; pymdownx.tilde: "~"):
# a character reference is the character whatever the site's extensions ("a\~b" was shown).
_AS_REFERENCE = {"|": "&#124;", "~": "&#126;"}


def md_text(text: str) -> str:
    """Author text as literal Markdown: HTML escaped, Markdown syntax backslash-escaped.

    Examples
    --------
    >>> md_text("<script>*x*</script>")
    '&lt;script&gt;\\\\*x\\\\*&lt;/script&gt;'
    >>> md_text("~1 | 2")
    '&#126;1 &#124; 2'
    """
    return _MD_SPECIAL.sub(lambda m: _AS_REFERENCE.get(m[1]) or "\\" + m[1],
                           html.escape(text, quote=False))


#: Characters no page shows and XML (the GraphML and GEXF exports) cannot hold: control
#: characters other than tab and line ends, lone surrogates, U+FFFE and U+FFFF.
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


#: What to do about such a character.
UNSHOWABLE_HINT = "delete it: it comes with text pasted from a PDF or a terminal"


def unshowable(text: str) -> str | None:
    """The first character of ``text`` that no page can show, as a report says it (what
    "holds" it goes before); ``None`` if there is none. Such a character comes in with
    pasted text, or from a YAML escape such as ``"\\a"`` in double quotes.

    >>> unshowable("Bell" + chr(7) + " ring"), unshowable("ReLU, tanh")
    ('the invisible character U+0007, which no page can show', None)
    """
    found = unshowable_at(text)
    return found[1] if found else None


def unshowable_at(text: str) -> tuple[int, str] | None:
    """Where the first character of ``text`` that no page can show is, and :func:`unshowable`.

    >>> unshowable_at("a\\nb" + chr(12))
    (3, 'the invisible character U+000C, which no page can show')
    """
    found = _UNSHOWABLE.search(text)
    return (found.start(), f"the invisible character U+{ord(found[0]):04X}, which no page "
                           "can show") if found else None


def listed(items: list[str]) -> str:
    """Items written as a list in a sentence.

    >>> listed(["a"]), listed(["a", "b"]), listed(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def terms_count(n: int) -> str:
    """``"1 term"``, ``"51 terms"``.

    >>> terms_count(1), terms_count(0)
    ('1 term', '0 terms')
    """
    return f"{n} term" if n == 1 else f"{n} terms"


def attr(text: str) -> str:
    """Text safe inside a double-quoted HTML attribute."""
    return html.escape(text, quote=True)


def json_attr(data: Any) -> str:
    """Compact JSON safe inside a single-quoted HTML attribute (``data-x='...'``): its double
    quotes stay as they are, where a double-quoted attribute costs six bytes for each.

    >>> json_attr({"t": "it's <b> & \\"q\\""})
    '{"t":"it&#x27;s &lt;b&gt; &amp; \\\\"q\\\\""}'
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return html.escape(text, quote=False).replace("'", "&#x27;")


def script_json(data: Any) -> str:
    """JSON to embed in ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped,
    so ``</script>`` can never appear; compact (it is in every page).

    Examples
    --------
    >>> script_json({"t": "</script>", "n": [1, 2]})
    '{"n":[1,2],"t":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
