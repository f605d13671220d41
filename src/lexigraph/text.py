"""Escaping author text for the places generated pages put it."""

from __future__ import annotations

import html
import json
import re
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~])")


def md_text(text: str) -> str:
    """Author text as literal Markdown: HTML escaped, Markdown syntax backslash-escaped.

    Examples
    --------
    >>> md_text("<script>*x*</script>")
    '&lt;script&gt;\\\\*x\\\\*&lt;/script&gt;'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def attr(text: str) -> str:
    """Text safe inside a double-quoted HTML attribute."""
    return html.escape(text, quote=True)


def script_json(data: Any) -> str:
    """JSON to embed in ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped,
    so ``</script>`` can never appear.

    Examples
    --------
    >>> script_json({"t": "</script>"})
    '{"t": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
