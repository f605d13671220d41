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
      ^(?P<fence>[ \t]*(?P<tick>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*(?P=tick)[ \t]*$|\Z))
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
    spans: list[tuple[int, int, str]] = []
    start = 0
    for code_start, code_end in [*indented_code(text), (len(text), len(text))]:
        spans += [(m.start(), m.end(), m.lastgroup)  # type: ignore[misc]
                  for m in _PROTECTED.finditer(text, start, code_start)]
        if code_end > code_start:
            spans.append((code_start, code_end, "code"))
        start = code_end
    return spans


# An indented code block (Markdown's other kind of code block) starts after a blank line or a
# heading with a line indented by four spaces or a tab, unless the block before it is a list
# item, an admonition, a collapsible block, a content tab or a footnote, whose own paragraphs
# are indented the same way; it takes in the indented and blank lines that follow.
_INDENTED_LINE = re.compile(r"\n(?: {4}|\t)")
_CONTAINER = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)"
                        r"|(?:!!!|\?\?\?\+?|===)[ \t]|\[\^[^\]\n]+\]:")
_FENCE_OPENS = re.compile(r"[ \t]*(`{3,}|~{3,})")
_HEADING_LINE = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")


def _may_hold_code(text: str) -> bool:
    """Whether a line indented by four spaces or a tab starts the text or follows a blank line
    or a heading (most texts have no indented line at all: a substring search says so)."""
    if text.startswith(("    ", "\t")):
        return True
    if "\n    " not in text and "\n\t" not in text:
        return False
    for line in _INDENTED_LINE.finditer(text):
        before = text[text.rfind("\n", 0, line.start()) + 1:line.start()]
        if not before.strip() or _HEADING_LINE.match(before):
            return True
    return False


def indented_code(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every indented code block, as Python-Markdown finds them (fenced
    blocks, which may be indented inside a list item or admonition, are left to the callers).

    Examples
    --------
    >>> text = "Text\\n\\n    code [a](b.md)\\n\\n    more\\n\\nText\\n\\n- item\\n\\n    its paragraph"
    >>> [text[s:e] for s, e in indented_code(text)]
    ['    code [a](b.md)\\n\\n    more']
    """
    if not _may_hold_code(text):
        return []
    spans: list[tuple[int, int]] = []
    block: list[int] | None = None  # [start, end] of the open code block
    opens, container, fence = True, False, ""
    pos = 0
    for line in text.splitlines(keepends=True):
        here, pos = pos, pos + len(line)
        bare = line.strip()
        if fence:  # inside a fenced block, until the line that closes it
            if bare.startswith(fence) and not bare.strip(fence[0]):
                fence = ""  # (a line right after it continues a paragraph)
            continue
        if not bare:
            opens = True
            continue
        indented = line.startswith(("    ", "\t"))
        if block is not None:
            if indented:
                block[1] = here + len(line.rstrip("\r\n"))
                continue
            spans.append((block[0], block[1]))
            block = None
        if indented and opens and not container:
            block = [here, here + len(line.rstrip("\r\n"))]
        elif found := _FENCE_OPENS.match(line):
            fence = found.group(1)
            if not indented:
                container = False
        elif indented:
            opens = False  # a paragraph of the list item (or admonition...) before
        elif _HEADING_LINE.match(line):
            opens, container = True, False
        else:
            if opens:
                container = bool(_CONTAINER.match(line))
            opens = False
    if block is not None:
        spans.append((block[0], block[1]))
    return spans


# Where Markdown renders math: everywhere but in code. Every alternative starts with "$" or a
# backtick (the lookbehind comes after the first "$"), so the regex engine skips the rest of a
# text in C: 4x faster than protected_spans. Fenced blocks, which start a line, are cut out
# first, and only from texts that have one.
_MATH = (r"\$(?:(?P<display>\$.+?\$\$)"
         r"|(?P<inline>(?<![\\$]\$)(?=\S)[^$\n]*?(?<![\s\\])\$(?!\d)))")
_MATH_ONLY = re.compile(_MATH, re.DOTALL)
_MATH_OR_CODE = re.compile(_MATH + r"|(?P<code>`(?P<more>`*).+?`(?P=more))", re.DOTALL)
_FENCED = re.compile(r"^[ \t]*(?P<tick>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*(?P=tick)[ \t]*$|\Z)",
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
    code = indented_code(text)
    if code or "```" in text or "~~~" in text:
        pieces, start = [], 0
        fences = _FENCED.finditer(text) if "```" in text or "~~~" in text else ()
        for block in sorted([*code, *((f.start(), f.end()) for f in fences)]):
            if block[0] >= start:
                pieces.append((start, block[0]))
                start = block[1]
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
