"""Finding the parts of a Markdown body that generated markup must never touch."""

from __future__ import annotations

import re

# Order matters: a fenced block wins over the inline patterns inside it. The lookahead
# rejects at once the characters no alternative can start at (most of a text: letters and
# inner blanks), instead of trying every alternative there: 5x faster on a whole glossary.
_PROTECTED = re.compile(
    r"""
    (?=[`~\#$!\[<]|https?://|^[ \t])
    (?:
      ^(?P<fence>[ \t]{0,3}(?P<tick>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=tick)[ \t]*$|\Z))
    | (?P<heading>^[ \t]{0,3}\#{1,6}[ \t][^\n]*$)
    | (?P<display>\$\$.+?\$\$)
    | (?P<code>(?P<bt>`+).+?(?P=bt))
    | (?P<inline>(?<![\\$])\$(?=\S)[^$\n]*?(?<![\s\\])\$(?!\d))
    | (?P<image>!\[[^\]\n]*\]\([^)\n]*\))
    | (?P<link>\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]\[[^\]\n]*\]|<https?://[^>\n]+>)
    | (?P<url>https?://[^\s)>\]]+)
    | (?P<html><a\b.*?</a>|<[^>\n]+>)
    | (?P<refdef>^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*$)
    )
    """,
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)

MATH_KINDS = frozenset({"display", "inline"})


def protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, kind)`` for code, headings, math, links, URLs and raw HTML.

    Examples
    --------
    >>> text = "a `x` b $y$ [c](d.md)"
    >>> [(kind, text[s:e]) for s, e, kind in protected_spans(text)]
    [('code', '`x`'), ('inline', '$y$'), ('link', '[c](d.md)')]
    """
    # The kinds are the outermost groups, so the last group closed names the match's kind.
    return [(m.start(), m.end(), m.lastgroup) for m in _PROTECTED.finditer(text)]  # type: ignore[misc]


# Where Markdown renders math: everywhere but in code. Every alternative starts with "$" or a
# backtick (the lookbehind comes after the first "$"), so the regex engine skips the rest of a
# text in C: 4x faster than protected_spans. Fenced blocks, which start a line, are cut out
# first, and only from texts that have one.
_MATH = (r"\$(?:(?P<display>\$.+?\$\$)"
         r"|(?P<inline>(?<![\\$]\$)(?=\S)[^$\n]*?(?<![\s\\])\$(?!\d)))")
_MATH_ONLY = re.compile(_MATH, re.DOTALL)
_MATH_OR_CODE = re.compile(_MATH + r"|(?P<code>`(?P<more>`*).+?`(?P=more))", re.DOTALL)
_FENCED = re.compile(r"^[ \t]{0,3}(?P<tick>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=tick)[ \t]*$|\Z)",
                     re.MULTILINE | re.DOTALL)


def math_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, display)`` of every formula outside code, as Markdown renders them:
    in headings and link texts too.

    Examples
    --------
    >>> text = "## The $x$ `$y$` [a $z$](b.md)\\n```\\n$w$\\n```\\n$$v$$"
    >>> [text[s:e] for s, e, _ in math_spans(text)]
    ['$x$', '$z$', '$$v$$']
    """
    if "$" not in text:
        return []
    pattern = _MATH_OR_CODE if "`" in text else _MATH_ONLY
    pieces = [(0, len(text))]
    if "```" in text or "~~~" in text:
        pieces, start = [], 0
        for fence in _FENCED.finditer(text):
            pieces.append((start, fence.start()))
            start = fence.end()
        pieces.append((start, len(text)))
    return [(m.start(), m.end(), m.lastgroup == "display")
            for start, end in pieces for m in pattern.finditer(text, start, end)
            if m.lastgroup != "code" and m.lastgroup != "more"]


#: The target of a Markdown link (``[a](<t> "title")``) or reference definition (``[a]: t``).
_TARGET_OF = re.compile(r"\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<plain>[^)\s]*))"
                        r"|\]:\s*(?:<(?P<def_angle>[^>\n]*)>|(?P<def_plain>\S*))")


def link_target(markdown: str) -> str | None:
    """The target of a link or reference definition, as written.

    >>> link_target('[a](<b c.md> "t")'), link_target("[a](../b.md#x)"), link_target("[1]: b.md")
    ('b c.md', '../b.md#x', 'b.md')
    """
    found = _TARGET_OF.search(markdown)
    return next((v for v in found.groups() if v is not None), None) if found else None
