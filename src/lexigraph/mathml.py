"""Math in entries: ``$...$`` and ``$$...$$`` become MathML at build time.

Browsers render MathML Core natively, so the site needs no math script or font from a CDN.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import lru_cache

from latex2mathml.converter import convert
from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from .markup import math_spans

# Between code spans (190, consumed first) and backslash escapes (180), so LaTeX's
# backslashes, underscores and asterisks reach the converter untouched.
_PRIORITY = 185
_MATH_RE = r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?=\S)(?P<inline>[^$\n]*?)(?<![\s\\])\$(?!\d)"


@lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool) -> str:
    """Convert LaTeX to a MathML string (cached: glossaries repeat their formulas).

    Examples
    --------
    >>> to_mathml("x^2", False).startswith("<math")
    True
    """
    mathml = convert(tex.strip(), display="block" if display else "inline")
    # Keep the source for screen readers' fallbacks and for copy/paste.
    annotation = html.escape(tex.strip(), quote=True)
    return mathml.replace("<math ", f'<math alttext="{annotation}" ', 1)


def find_math_errors(body: str) -> list[tuple[int, str]]:
    """``(1-based line in body, message)`` for each formula latex2mathml cannot convert."""
    errors = []
    for start, end, display in math_spans(body):
        tex = body[start + (2 if display else 1) : end - (2 if display else 1)]
        try:
            to_mathml(tex, display)
        except Exception as exc:  # latex2mathml raises many bare exception types
            line = body.count("\n", 0, start) + 1
            errors.append((line, f"cannot convert the formula {tex.strip()[:60]!r} to MathML: "
                                 f"{type(exc).__name__} {exc}".rstrip()))
    return errors


class _MathProcessor(InlineProcessor):
    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str | etree.Element, int, int]:
        display = m.group("display") is not None
        tex = m.group("display") if display else m.group("inline")
        try:
            rendered = to_mathml(tex, display)
        except Exception:  # validation already reported it; show the source, not a crash
            rendered = f'<code class="lx-math-error">{html.escape(m.group(0))}</code>'
        return self.md.htmlStash.store(rendered), m.start(0), m.end(0)


class _DollarEscape(InlineProcessor):
    """``\\$`` is a literal dollar sign (Markdown itself does not escape ``$``)."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        return "$", m.start(0), m.end(0)


class MathExtension(Extension):
    """Python-Markdown extension: ``markdown.Markdown(extensions=[MathExtension()])``."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.inlinePatterns.register(_DollarEscape(r"\\\$", md), "lexigraph_dollar", _PRIORITY + 1)
        md.inlinePatterns.register(_MathProcessor(_MATH_RE, md), "lexigraph_math", _PRIORITY)


def makeExtension(**kwargs: object) -> MathExtension:  # noqa: N802 - Markdown's API name
    return MathExtension(**kwargs)
