"""Finding the parts of a Markdown body that generated markup must never touch."""

from __future__ import annotations

import bisect
import re

from markdown.util import BLOCK_LEVEL_ELEMENTS

#: What an inline formula holds between its ``$``: no ``$``, and a line break only within its
#: paragraph, as Markdown's inline patterns see it: a formula may wrap onto the next line of
#: the source, never across a blank line (in a quote, a line of ``>`` alone) nor onto a
#: heading. (Read on the whole text, not block by block: in a list, the next item's line is
#: taken as the paragraph's next line, which it would be outside a list.)
INLINE_MATH = r"(?:[^$\n]|\n(?![ \t]*(?:>[ \t]*)*(?:\n|$)|[ \t]{0,3}\#{1,6}(?:[ \t]|$)))*?"

# Order matters: a fenced block wins over the inline patterns inside it. The lookahead
# rejects at once the characters no alternative can start at (most of a text: letters and
# inner blanks), instead of trying every alternative there: 5x faster on a whole glossary.
_PROTECTED = re.compile(
    r"""
    (?=[`~\#$!\[<]|https?://|^[ \t])
    (?:
      ^(?P<fence>(?P<ind>[ \t]*)(?P<tick>`{3,}(?![^\n]*`)|~{3,})[^\n]*\n.*?^(?P=ind)(?P=tick)[ \t]*$)
    | (?P<heading>^[ \t]{0,3}\#{1,6}[ \t][^\n]*$)
    | (?P<display>\$\$.+?\$\$)
    | (?P<code>(?P<bt>`+).+?(?P=bt))
    | (?P<inline>(?<![\\$])\$(?=\S)""" + INLINE_MATH + r"""(?<![\s\\])\$(?!\d))
    | (?P<image>!\[[^\]\n]*\]\([^)\n]*\))
    | (?P<link>\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]\[[^\]\n]*\]|<https?://[^>\n]+>)
    | (?P<url>https?://[^\s)>\]]+)
    | (?P<html><a\b.*?</a>|<[^>\n]+>)
    | (?P<refdef>^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*$)
    )
    """,
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)

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
    for block_start, block_end, kind in [*_blocks(text), (len(text), len(text), "")]:
        spans += [(m.start(), m.end(), m.lastgroup)  # type: ignore[misc]
                  for m in _PROTECTED.finditer(text, start, block_start)]
        if block_end > block_start:
            spans.append((block_start, block_end, kind))  # indented code, raw HTML
        start = block_end
    return spans


# An indented code block (Markdown's other kind of code block) is a block indented four columns
# more than the container it is in: the page, or a list item, admonition, collapsible block or
# footnote, whose own paragraphs are indented four columns (each level) more than the line that
# opens it. A block starts after a blank line or a heading, and inside an admonition or
# collapsible block right after its title line; the code takes in the lines that follow as
# indented as its first, and the blank lines between them.
_INDENTED_LINE = re.compile(r"\n(?= {4}| {0,3}\t)")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}\.)[ \t]")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a horizontal rule, not a list item
_TITLED = re.compile(r"(?:!!!|\?\?\?\+?)[ \t]*[\w-]|===\+?[ \t]+\"")  # admonition, details, tab
_DEFINITION = re.compile(r":[ \t]{1,3}\S")  # a definition list's definition (def_list)
_FOOTNOTE = re.compile(r"\[\^[^\]\n]+\]:")
_FENCE_OPENS = re.compile(r"(?P<tick>`{3,}(?![^\n]*`)|~{3,})")
#: Block-level elements without content.
_VOID = frozenset({"hr"})


def _may_hold_code(text: str) -> bool:
    """Whether a line indented by four columns starts the text or follows a blank line, a
    heading or a title line (most texts have no indented line at all: a substring search says
    so)."""
    if text.startswith(("    ", "\t")) or text[:4].expandtabs(4).startswith("    "):
        return True
    if "\n    " not in text and "\t" not in text:
        return False
    for line in _INDENTED_LINE.finditer(text):
        before = text[text.rfind("\n", 0, line.start()) + 1:line.start()].strip(" \t\r")
        if not before or before.startswith("#") or _TITLED.match(before):
            return True
    return False


def indented_code(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every indented code block, as Python-Markdown (with superfences,
    admonitions, collapsible blocks and footnotes) finds them. Fenced blocks are skipped, not
    listed: callers find those themselves.

    Examples
    --------
    >>> text = "Text\\n\\n    code [a](b.md)\\n\\n    more\\n\\nText\\n\\n- item\\n\\n    its paragraph"
    >>> [text[s:e] for s, e in indented_code(text)]
    ['    code [a](b.md)\\n\\n    more']
    """
    return [(start, end) for start, end, kind in _blocks(text) if kind == "code"]


def raw_html(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every block of raw HTML, which Markdown passes on as it is: from a
    block-level tag (or a comment) starting a line of the page (not of a list item or the
    like) to the end of its closing tag, or of the text if it is never closed. With a
    ``markdown`` attribute (md_in_html) the content is Markdown again, and is not listed.

    >>> text = "<details><summary>GRU</summary>\\nSee [a](b.md).\\n</details> *c*\\n<span>d</span>"
    >>> [text[s:e] for s, e in raw_html(text)]
    ['<details><summary>GRU</summary>\\nSee [a](b.md).\\n</details>']
    """
    return [(start, end) for start, end, kind in _blocks(text) if kind == "html"]


#: A start tag or a comment at the start of a line (after up to three spaces).
_HTML_OPENS = re.compile(r"<(?:(?P<comment>!--)|(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])"
                         r"(?P<attrs>[^>]*)>)")


def _blocks(text: str, quoted: bool = False) -> list[tuple[int, int, str]]:
    """The indented code blocks (``"code"``) and raw HTML blocks (``"html"``) of ``text``,
    in order (see :func:`indented_code`, :func:`raw_html`); in a blockquote, which
    :func:`_quote` reads from the text without its ``>`` marks, its fenced blocks
    (``"fence"``) and headings (``"heading"``) too, which the patterns of
    :func:`protected_spans` find only outside quotes. Markdown leaves raw HTML in a quote as
    inline HTML (``quoted``)."""
    html = "<" in text and not quoted
    if not html and not _may_hold_code(text) and not quoted and not _has_quote(text):
        return []
    spans: list[tuple[int, int, str]] = []
    block: list[int] | None = None  # [start, end, columns] of the open code block
    containers: list[bool] = []  # open containers, innermost last: whether each has a title
    opens = True  # the next line starts a block
    fence: re.Pattern[str] | None = None  # the line that closes the open fenced block
    fenced = 0  # where it starts
    pos = skip = 0  # (skip: where the raw HTML block or blockquote being passed ends)
    for line in text.split("\n"):
        here, pos = pos, pos + len(line) + 1
        if here < skip:
            continue
        line = line.rstrip("\r")
        if fence is not None:
            if fence.fullmatch(line):
                fence = None
                if quoted:
                    spans.append((fenced, here + len(line), "fence"))
            continue
        bare = line.lstrip(" \t")
        if not bare.rstrip(" \t"):
            opens = True
            continue
        indent = line[:len(line) - len(bare)]
        width = len(indent.expandtabs(4))
        if block is not None:
            if width >= block[2]:
                block[1] = here + len(line)
                continue
            spans.append((block[0], block[1], "code"))
            block, opens = None, True  # (the line after code starts a block of its own)
        depth = len(containers)
        if opens and width >= 4 * (depth + 1):
            block = [here, here + len(line), 4 * (depth + 1)]
            continue
        # A line less indented than its container's paragraphs leaves the container when it
        # starts a block, or when the container has a title (its lines must all be indented).
        if opens or (containers and containers[-1] and width < 4 * depth):
            del containers[width // 4:]
            depth = len(containers)
            opens = True
        # (A line going on with a list item's first lines keeps its indentation in the item:
        # a quote mark there must be as little indented as the item's own mark.)
        if bare.startswith(">") and width < 4 * (depth if opens else max(depth - 1, 0)) + 4:
            end, inner = _quote(text, here, 4 * depth)
            spans += inner
            skip, opens = end, True
            continue
        found = _FENCE_OPENS.match(bare)
        closing = rf"{re.escape(indent)}{found['tick']}[ \t]*" if found else ""
        if found and re.search(rf"^{closing}\r?$", text[pos:], re.MULTILINE):
            fence, fenced = re.compile(closing), here
            opens = False  # (a line right after it continues the same paragraph)
            continue
        tag = here + len(indent)  # (where a raw HTML block would start)
        raw = _raw_end(text, tag) if html and not containers and width < 4 \
            and bare.startswith("<") else None
        if raw is not None:
            spans.append((tag, raw, "html"))
            skip = text.find("\n", raw) + 1 or len(text)  # (after it, its line is Markdown)
            opens = skip > raw + 1  # (nothing follows it on its line)
            continue
        at_margin = width == 4 * depth
        if _TITLED.match(bare) and at_margin:
            containers.append(True)
            opens = True  # its first block starts on the next line
        elif _FOOTNOTE.match(bare) and width < 4 * depth + 4:
            containers.append(False)
            opens = False
        elif (opens or containers) and width < 4 * depth + 4 and _LIST_ITEM.match(bare) \
                and not _RULE.match(bare):
            # (in a list, an item needs no blank line before it: a nested list's first item)
            del containers[width // 4 + 1:]
            if len(containers) <= width // 4:
                containers.append(False)
            opens = False
        elif _DEFINITION.match(bare) and width < 4 * depth + 4:
            containers.append(False)
            opens = False
        elif bare.startswith("#") and at_margin:
            if quoted and _HEADING.match(bare):
                spans.append((here, here + len(line), "heading"))
            opens = True  # a heading ends its block
        else:
            opens = False
    if block is not None:
        spans.append((block[0], block[1], "code"))
    return spans


_QUOTE_LINE = re.compile(r"\n[ \t]*>")  # (a literal first: the engine skips to each line)
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")


def _has_quote(text: str) -> bool:
    """Whether a line of the text starts with a quote mark (a substring search first: most
    texts have no ``>`` at all).

    >>> _has_quote("a\\n  > b"), _has_quote("$x > 0$")
    (True, False)
    """
    return ">" in text and (text.lstrip(" \t").startswith(">")
                            or _QUOTE_LINE.search(text) is not None)


def _quote(text: str, start: int, margin: int = 0) -> tuple[int, list[tuple[int, int, str]]]:
    """The blockquote whose first line starts at ``start``, in a container whose lines are
    indented ``margin`` columns: where it ends, and the blocks of its content
    (:func:`_blocks`) at their places in ``text``.

    A quote takes in the lines after its first up to a blank line, with or without the mark
    (Markdown's "lazy" lines, less the container's indentation) but an admonition's title
    line, and goes on after blank lines with the next line that has the mark; its content is
    those lines without their marks. Markdown expands tabs before it
    takes the marks off (``>\\tx``: ``  x``, not indented code).

    >>> text = "> Quote:\\n>\\n>     code\\n\\n> ```\\n> fence\\n> ```\\n>\\tnot code\\n\\nText"
    >>> end, spans = _quote(text, 0)
    >>> text[end:], [(kind, text[s:e]) for s, e, kind in spans]
    ('\\nText', [('code', '    code'), ('fence', '```\\n> fence\\n> ```')])
    """
    lines: list[str] = []
    #: Of each line: where its content starts in ``text`` after the mark, and where after
    #: the blanks that follow it, and how many columns of blanks the content has there.
    places: list[tuple[int, int, int]] = []
    pos, end, blank = start, start, False
    while pos < len(text):
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        line = text[pos:stop].rstrip("\r")
        bare = line.lstrip(" \t")
        if not bare:
            blank = True
        elif blank and not bare.startswith(">") or _TITLED.match(bare):
            break  # a paragraph after the quote; an admonition's title ends it at once
        else:
            if blank:
                lines.append("")
                places.append((end, end, 0))
            blank = False
            cut = 0
            if bare.startswith(">"):  # (else a lazy line, as it is)
                mark = line.index(">") + 1
                column = len(line[:mark].expandtabs(4))
                cut = mark + (line[mark:mark + 1] == " ")
            else:
                mark, column = 0, margin
            content = len(line) - len(line[cut:].lstrip(" \t"))
            # The blanks between the mark and the content, as columns, less the mark's space.
            blanks = len(line[:content].expandtabs(4)) - column
            if mark:
                blanks -= 1
            lines.append(" " * max(blanks, 0) + line[content:])
            places.append((pos + cut, pos + content, max(blanks, 0)))
            end = stop + 1
        pos = stop + 1
    inner = "\n".join(lines)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1

    def place(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        marked, content, blanks = places[i]
        within = offset - starts[i]
        return marked + min(within, content - marked) if within < blanks else \
            content + within - blanks

    spans = [(place(s), place(e), kind) for s, e, kind in _blocks(inner, quoted=True)]
    return min(end, len(text)), spans


def _raw_end(text: str, start: int) -> int | None:
    """Where the raw HTML block that the tag at ``start`` opens ends (``None``: it opens
    none: an inline tag, or one with a ``markdown`` attribute)."""
    found = _HTML_OPENS.match(text, start)
    if found is None:
        return None
    if found["comment"]:
        end = text.find("-->", start + 4)
        return len(text) if end < 0 else end + 3
    tag = found["tag"].lower()
    if tag not in BLOCK_LEVEL_ELEMENTS or re.search(r"\bmarkdown\b", found["attrs"]):
        return None
    if tag in _VOID or found["attrs"].rstrip().endswith("/"):
        return found.end()
    depth = 1
    for other in re.finditer(rf"<(/?){tag}(?=[\s/>])[^>]*>", text[found.end():], re.IGNORECASE):
        depth += -1 if other.group(1) else 1
        if depth == 0:
            return found.end() + other.end()
    return len(text)  # never closed: the rest of the text


# Where Markdown renders math: everywhere but in code. Every alternative starts with "$" or a
# backtick (the lookbehind comes after the first "$"), so the regex engine skips the rest of a
# text in C: 4x faster than protected_spans. Fenced blocks, which start a line, are cut out
# first, and only from texts that have one.
_MATH = (r"\$(?:(?P<display>\$.+?\$\$)"
         r"|(?P<inline>(?<![\\$]\$)(?=\S)" + INLINE_MATH + r"(?<![\s\\])\$(?!\d)))")
_MATH_ONLY = re.compile(_MATH, re.DOTALL)
_MATH_OR_CODE = re.compile(_MATH + r"|(?P<code>`(?P<more>`*).+?`(?P=more))", re.DOTALL)
_FENCED = re.compile(r"^(?P<ind>[ \t]*)(?P<tick>`{3,}(?![^\n]*`)|~{3,})[^\n]*\n.*?"
                     r"^(?P=ind)(?P=tick)[ \t]*$",
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
    # Indented code, raw HTML and fences in quotes (a quoted heading renders its formulas).
    code = [(start, end) for start, end, kind in _blocks(text) if kind != "heading"]
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
