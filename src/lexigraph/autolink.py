"""Auto-linking: the first mention of another term's title or alias becomes a link to it."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from .markup import protected_spans
from .model import Slug, Term

#: The symbols that end a word and make a name of its own: "C++" and "C#" keep them, or both
#: were a mention of "C" (other symbols, as in CNN+LSTM or Q&A, stay punctuation).
NAME_SYMBOLS = r"\+\+|#"
#: A word of a name or text.
_TOKEN = re.compile(rf"\w+(?:[-–']\w+)*(?:{NAME_SYMBOLS})?")
# A typographic apostrophe is read as a straight one (same length: offsets hold).
_APOSTROPHES = str.maketrans("’", "'")
#: A possessive ending: "the Transformer's residual path" mentions the Transformer.
_POSSESSIVE = "'s"
# Words inside one name may be separated by spaces or a single line break, nothing else.
_GAP = re.compile(r"[ \t]*\n?[ \t]*")

#: Writes the link for ``(matched text, target slug)``.
LinkWriter = Callable[[str, Slug], str]


def markdown_link(text: str, slug: Slug) -> str:
    """A relative Markdown link between two term pages, as an author would write it."""
    return f"[{text}]({slug}.md)"


# Unicode noncharacters, which are never assigned and exist for a program's own use: no entry
# holds them, and nothing but :class:`AutolinkExtension` reads them.
_OPEN, _TO, _CLOSE = "\ufdd0", "\ufdd1", "\ufdd2"


def marked_link(text: str, slug: Slug) -> str:
    """The link the site's pages carry: :class:`AutolinkExtension` turns it into the element
    Markdown makes of :func:`markdown_link`, so MkDocs resolves and checks it all the same.

    Python-Markdown 3.11.4 reads the rest of a paragraph again after each link it parses, so
    a page of Markdown links converted about 40% slower than with 3.11.3; this mark costs a
    single regular expression match.

    Examples
    --------
    >>> import markdown
    >>> markdown.markdown(f"A {marked_link('ReLU', Slug('relu'))}.", extensions=[AutolinkExtension()])
    '<p>A <a href="relu.md">ReLU</a>.</p>'
    """
    return f"{_OPEN}{text}{_TO}{slug}.md{_CLOSE}"


class _MarkedLink(InlineProcessor):
    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        link = etree.Element("a", {"href": m.group(2)})
        link.text = m.group(1)  # (Markdown goes on to read it, as it does a link's text)
        return link, m.start(0), m.end(0)


class AutolinkExtension(Extension):
    """Python-Markdown extension that reads :func:`marked_link`'s links."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        # Before every other pattern (code spans are 190), as the marks hold nothing else.
        pattern = f"{_OPEN}([^{_OPEN}{_TO}{_CLOSE}]+){_TO}([^{_OPEN}{_TO}{_CLOSE}]+){_CLOSE}"
        md.inlinePatterns.register(_MarkedLink(pattern, md), "lexigraph_autolink", 200)


def makeExtension(**kwargs: object) -> AutolinkExtension:  # noqa: N802 - Markdown's API name
    return AutolinkExtension(**kwargs)


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(name.translate(_APOSTROPHES)))


def is_abbreviation(name: str) -> bool:
    """Whether ``name`` is an abbreviation (BN, RNN): two letters or more, all capitals. It
    links only as written, and the search weighs it as a name of its own."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def name_forms(name: str) -> list[tuple[bool, tuple[str, ...]]]:
    """The word sequences a mention of ``name`` may be written as, each with whether it must
    be written as here (an abbreviation, in capitals) or in any case (then case-folded): the
    name and its plural (a trailing ``s`` or ``es``).

    >>> name_forms("BN"), name_forms("Vanishing gradient")[1]
    ([(True, ('BN',)), (True, ('BNs',))], (False, ('vanishing', 'gradients')))
    """
    tokens = _tokens(name)
    if not tokens:
        return []
    if is_abbreviation(name):
        return [(True, tokens), (True, (*tokens[:-1], tokens[-1] + "s"))]
    key = tuple(t.casefold() for t in tokens)
    forms = [(False, key)]
    if key[-1].isalpha() and len(key[-1]) > 2:
        forms += [(False, (*key[:-1], key[-1] + suffix)) for suffix in ("s", "es")]
    return forms


def mention_keys(name: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """What ``name`` is known by among names (its forms: see :func:`name_forms`), and what it
    clashes with: a form written in any case clashes with the same form of another name in
    any case, or of an abbreviation once case-folded; an abbreviation's form, with the same
    form of another abbreviation, or of another name once case-folded (*LSTMs* and LSTM's
    plural), not with another abbreviation in other capitals (RL's plural RLs and RLS)."""
    known: set[tuple[str, ...]] = set()
    clashes: set[tuple[str, ...]] = set()
    for as_written, form in name_forms(name):
        folded = tuple(t.casefold() for t in form)
        if as_written:
            known |= {("exact", *form), ("capitals folded", *folded)}
            clashes |= {("exact", *form), ("folded", *folded)}
        else:
            known.add(("folded", *folded))
            clashes |= {("folded", *folded), ("capitals folded", *folded)}
    return known, clashes


def same_mentions(name: str, other: str) -> bool:
    """Whether a mention may be read as either name: one is the other, or its plural.

    >>> same_mentions("Vanishing gradients", "vanishing gradient"), same_mentions("LSTMs", "LSTM")
    (True, True)
    >>> same_mentions("Gradient", "Gradient descent"), same_mentions("RLS", "RL")
    (False, False)
    """
    known, clashes = mention_keys(name)
    other_known, other_clashes = mention_keys(other)
    return bool(clashes & other_known or other_clashes & known)


@dataclass
class NameIndex:
    """Maps the token sequence of every title and alias to its term.

    Abbreviations (``BN``, ``RNN``) match only in capitals so that ordinary words are not
    mistaken for them; every other name matches in any case, and a trailing ``s``/``es``
    (plural) still counts.
    """

    exact: dict[tuple[str, ...], Slug]
    folded: dict[tuple[str, ...], Slug]
    starts: set[str]
    longest: int

    @classmethod
    def build(cls, terms: Iterable[Term]) -> NameIndex:
        exact: dict[tuple[str, ...], Slug] = {}
        folded: dict[tuple[str, ...], Slug] = {}
        for term in sorted(terms, key=lambda t: t.slug):
            for name in term.names:
                for as_written, form in name_forms(name):
                    (exact if as_written else folded).setdefault(form, term.slug)
        # A word starts a name if it is the first word of an abbreviation as written or, once
        # case-folded, of another name. Abbreviations' first words are not added case-folded:
        # they never match in lower case, and in a large glossary they would make ordinary
        # words ("the", "and") candidates that cost a failed lookup each.
        starts = {k[0] for k in exact} | {k[0] for k in folded}
        longest = max((len(k) for k in (*exact, *folded)), default=0)
        return cls(exact, folded, starts, longest)

    def digest(self) -> str:
        """Names and their terms, hashed: two indexes with one digest link alike.

        >>> from pathlib import Path
        >>> relu = Term(Slug("relu"), "ReLU", "", "beginner", ("x",), "", Path("r"))
        >>> NameIndex.build([relu]).digest() == NameIndex.build([relu]).digest()
        True
        """
        names = [sorted((" ".join(k), v) for k, v in table.items())
                 for table in (self.exact, self.folded)]
        text = json.dumps(names, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def match(self, words: list[str]) -> tuple[Slug, int, int] | None:
        """The longest name starting at ``words[0]``: ``(slug, number of words, length of
        a possessive ending left out of the name)``; the last word may be a possessive.

        >>> from pathlib import Path
        >>> idx = NameIndex.build([Term(Slug("t"), "Transformer", "", "beginner", ("x",), "",
        ...                             Path("t"))])
        >>> idx.match(["Transformer's", "residual"]), idx.match(["Transformers"])
        (('t', 1, 2), ('t', 1, 0))
        """
        for n in range(min(self.longest, len(words)), 0, -1):
            key = tuple(words[:n])
            slug = self._lookup(key)
            if slug is not None:
                return slug, n, 0
            if key[-1].endswith(_POSSESSIVE) and len(key[-1]) > len(_POSSESSIVE):
                slug = self._lookup((*key[:-1], key[-1][:-len(_POSSESSIVE)]))
                if slug is not None:
                    return slug, n, len(_POSSESSIVE)
        return None

    def _lookup(self, key: tuple[str, ...]) -> Slug | None:
        return self.exact.get(key) or self.folded.get(tuple(w.casefold() for w in key))

    def starts_name(self, word: str) -> bool:
        """Whether ``word`` (or, a possessive, the word it ends) may start a name: most words
        are rejected here at once."""
        if word in self.starts or word.casefold() in self.starts:
            return True
        bare = word[:-len(_POSSESSIVE)] if word.endswith(_POSSESSIVE) else ""
        return bool(bare) and (bare in self.starts or bare.casefold() in self.starts)


def autolink(body: str, index: NameIndex, own: Slug, link: LinkWriter = markdown_link,
             unlinked: Iterable[str] = ()) -> tuple[str, list[Slug]]:
    """Link the first mention of each other term in ``body``.

    Returns the new body and the linked slugs in order of first mention. Code, math, headings,
    existing links, URLs and raw HTML are never touched; a term never links to itself, and
    no name of ``unlinked`` (or its plural) is linked: the entry uses it in another sense
    (*unit* in "unit vector" is no neuron).

    Notes
    -----
    Runs in O(words x longest name) with a set lookup that rejects most words at once.

    Examples
    --------
    >>> from pathlib import Path
    >>> def term(slug, title, *aliases):
    ...     return Term(Slug(slug), title, "", "beginner", ("x",), "", Path(slug), aliases=aliases)
    >>> idx = NameIndex.build([term("relu", "ReLU", "rectifier"), term("leaky-relu", "Leaky ReLU"),
    ...                        term("batch-normalization", "Batch normalization", "BN")])
    >>> autolink("A leaky ReLU is a ReLU; BN, bn and `ReLU` too.", idx, Slug("x"))[0]
    'A [leaky ReLU](leaky-relu.md) is a [ReLU](relu.md); [BN](batch-normalization.md), bn and `ReLU` too.'
    """
    linked: list[Slug] = []
    seen: set[Slug] = {own}
    out: list[str] = []
    cursor = 0
    spans = protected_spans(body) + [(len(body), len(body), "end")]
    skip = {tuple(t.casefold() for t in form)
            for name in unlinked for _, form in name_forms(name)}
    for span_start, span_end, _ in spans:
        segment = body[cursor:span_start]
        out.append(_link_segment(segment, index, seen, linked, link, skip))
        out.append(body[span_start:span_end])
        cursor = span_end
    return "".join(out), linked


def _link_segment(text: str, index: NameIndex, seen: set[Slug], linked: list[Slug],
                  link: LinkWriter, skip: set[tuple[str, ...]]) -> str:
    matches = list(_TOKEN.finditer(text.translate(_APOSTROPHES)))
    if not matches:
        return text
    pieces: list[str] = []
    cursor = 0
    i = 0
    while i < len(matches):
        word = matches[i].group(0)
        if not index.starts_name(word):
            i += 1
            continue
        # Gather the words that follow with only blanks (or one line break) in between.
        words = [word]
        j = i + 1
        while j < len(matches) and len(words) < index.longest:
            gap = text[matches[j - 1].end() : matches[j].start()]
            if not _GAP.fullmatch(gap):
                break
            words.append(matches[j].group(0))
            j += 1
        found = index.match(words)
        if found is None:
            i += 1
            continue
        slug, n, possessive = found
        start, end = matches[i].start(), matches[i + n - 1].end() - possessive
        if skip and tuple(_TOKEN.findall(text[start:end].translate(_APOSTROPHES).casefold())) \
                in skip:
            i += n
            continue
        if slug not in seen:
            seen.add(slug)
            linked.append(slug)
            pieces.append(text[cursor:start])
            pieces.append(link(text[start:end], slug))
            cursor = end
        i += n
    pieces.append(text[cursor:])
    return "".join(pieces)
