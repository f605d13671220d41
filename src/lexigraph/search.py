"""Help Material's search find a term by its names first.

Material's search (lunr) turns off length normalisation (``b = 0``), so a query for ``relu``
scores the titles "ReLU" and "Dying ReLU" alike, and the page whose text says "ReLU" most
wins. We give each term page's top entry a ``tags`` field (the most boosted field; our
stylesheet hides the chips Material shows for it in results) holding the words a reader may
type for the term, each repeated by how surely it means this term: a one-word title most
(12 times), the words of a longer title that count shared among them (6 each of two, 4 of
three; 3 at least), a one-word alias 3 times (6 for an abbreviation), the words of a longer alias
about half what a title's would get, and the words of the keywords once each. Lunr's term
frequency saturates (BM25, k1 = 1.2: 12 repetitions score 2.0, 6 score 1.83, 3 score 1.57,
1 scores 1.0), so a name the query spells out whole outranks a longer name that holds the
same words. Material's search has no stemmer and no typo tolerance, so the tags also
hold each name word's plural and British spelling (-ise, -isation), as often as the word, and
a name holding a word lunr drops as a stop word is also written as one word
(``heinitialization``, which a query "he" matches as a prefix); a query with other words
goes to the search without its stop words (``assets/suggest.js``), which lunr would match,
as prefixes, with the starts of the tags' words. Only the page-level entry gets tags, so
the index grows by one short list per term rather than one per section. Terms whose names
match a query alike would be ordered by the words of their pages' text; every
entry of a term page is instead raised by the term's centrality in the concept graph
(:func:`rank_entry`), a hair's breadth that only orders such ties.

For the typos lunr cannot forgive, the site also serves the words of every term's names and
keywords (:func:`suggestion_json`): when a query word finds nothing, the browser offers the
nearest of them ("Did you mean *vanishing*?", ``assets/suggest.js``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .autolink import is_abbreviation
from .model import Term

#: How much a term's centrality may raise the score of its page's entries: enough to order
#: terms whose names match a query alike (their texts differ by a few millionths of the
#: score), too little to pass a term whose name matches better (a title's match is worth a
#: thousandth of a tag's, which hold the names) or to matter to an entry only the text matches.
TIE_BREAK = 1e-5
#: Where the site serves :func:`suggestion_json`, beside the script that reads it (suggest.js).
WORDS_URI = "assets/lexigraph/search-words.json"
#: Repetitions: a one-word title; a one-word alias; a word of a longer title at least; the rest.
EXACT, ALIAS, NAMED, MENTIONED = 12, 6, 3, 1
_WORD = re.compile(r"\w+")
#: American -ize spellings and their British -ise forms, after a stem of three letters or
#: more (normalize, optimizer; not size or prize).
_IZE = re.compile(r"(?<=\w{3})iz(e|es|ed|er|ers|ing|ation|ations)$")
#: Short words of lunr's English stop-word list that a term's name may hold ("He
#: initialization"): the index never holds them.
STOP_WORDS = frozenset("a an and as at be by he her his i in is it its of on or the to we".split())


def term_tokens(title: str, aliases: Iterable[str] = (), keywords: Iterable[str] = ()) -> list[str]:
    """Tokens for the ``tags`` field of a term's entry (see the module's description).

    Examples
    --------
    >>> from collections import Counter
    >>> Counter(term_tokens("ReLU", ["rectified linear unit"]))["ReLU"]
    12
    >>> tags = Counter(term_tokens("Batch normalization", ["BN"], ["mini-batch statistics"]))
    >>> tags["normalization"], tags["BN"], tags["statistics"], tags["normalisation"]
    (6, 6, 1, 6)
    >>> Counter(term_tokens("Overfitting", keywords=["poor generalization"]))["generalisation"]
    1
    >>> Counter(term_tokens("He initialization"))["heinitialization"], "batchnormalization" in tags
    (6, False)
    """
    out: list[str] = []
    for count, word in sorted(_weights(title, aliases, keywords).values(),
                              key=lambda cw: cw[1].casefold()):
        out.extend([word] * count)
    return out


def _weights(title: str, aliases: Iterable[str],
             keywords: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Each word of a term's names and keywords, casefolded, with how often its tags hold it
    and the word as written."""
    weight: dict[str, tuple[int, str]] = {}

    def add(word: str, count: int) -> None:
        if count > weight.get(word.casefold(), (0, ""))[0]:
            weight[word.casefold()] = (count, word)

    for index, name in enumerate([title, *aliases]):
        words = _words(name)
        count = _share(index == 0, len(words), len(words) == 1 and is_abbreviation(name))
        for word in words:
            add(word, count)
            for form in _forms(word):  # the same word as a reader may also type it
                add(form, count)
        if len(words) > 1 and STOP_WORDS.intersection(w.casefold() for w in words):
            add("".join(words).casefold(), count)
    for words in (_words(k) for k in keywords):
        for word in words:
            if len(word) > 1:  # (a formula's x, F: every query of that letter would match)
                add(word, MENTIONED)
                add(_british(word), MENTIONED)  # (as for a name: search-words.json offers it)
    return weight


def _share(title: bool, words: int, abbreviation: bool = False) -> int:
    """How often the tags hold each word of a title (or an alias) of ``words`` words: a
    one-word name's count shared among them, so that a name the query spells out whole beats
    a longer one holding the same words (*neural network*: Neural network before Deep neural
    network); an alias's words weigh about half a title's, and at least a word of a title
    :data:`NAMED`, of an alias :data:`MENTIONED`.

    >>> [_share(True, n) for n in (1, 2, 3, 4, 5)], [_share(False, n) for n in (1, 2, 3, 4)]
    ([12, 6, 4, 3, 3], [3, 3, 2, 2])
    >>> _share(False, 1, abbreviation=True)
    6
    """
    if title:
        return EXACT if words <= 1 else max(NAMED, round(EXACT / words))
    # An abbreviation (GAN) as much as a word of a two-word title holding it (Conditional
    # GAN): they tie, and centrality orders them; another one-word alias less (batchnorm,
    # which every query word "batch" matches as a prefix); a longer alias's words share about
    # half a title's count.
    if words <= 1:
        return ALIAS if abbreviation else NAMED
    return max(MENTIONED, round(2 * NAMED / words))


def suggestion_words(terms: Iterable[Term]) -> list[str]:
    """The words a misspelt search is corrected to (the site's ``search-words.json``): every
    word of the terms' names and keywords, and its British spelling, of three characters or
    more with a letter in it and not a stop word, in lower case as lunr indexes it (JavaScript's
    ``toLowerCase``, which Python's ``lower`` matches and ``casefold`` does not: *straße*,
    final *ς*). The plurals and joined names the tags also hold are left out: a query word is
    a prefix, so the word itself finds them, and an offer of *convolutionals* or *ands* for a
    word the text holds would mislead. The weightiest come first (summed over the terms), words
    as the glossary writes them before their British spellings: of two words as near to what
    the reader typed, the browser offers the first.

    >>> from pathlib import Path
    >>> def term(title, keywords=()):
    ...     return Term(slug="", title=title, summary="", difficulty="", domains=(), body="",
    ...                 path=Path(), keywords=keywords)
    >>> suggestion_words([term("ReLU"), term("Leaky ReLU", ["negative slope"]),
    ...                   term("Batch normalization"), term("Weights and biases"), term("Straße")])
    ['relu', 'straße', 'batch', 'leaky', 'normalization', 'normalisation', 'biases', 'weights', \
'negative', 'slope']
    """
    total: dict[str, int] = {}
    written: set[str] = set()
    for term in terms:
        weight = _weights(term.title, term.aliases, term.keywords)
        seen: set[str] = set()
        for name in (term.title, *term.aliases, *term.keywords):
            for word in _words(name):
                written.add(word.lower())
                for form in {word.lower(), _british(word).lower()}:
                    if (len(form) >= 3 and any(c.isalpha() for c in form)
                            and form not in STOP_WORDS and form not in seen):
                        seen.add(form)
                        total[form] = total.get(form, 0) + weight[word.casefold()][0]
    return sorted(total, key=lambda w: (-total[w], w not in written, w))


def suggestion_json(terms: Iterable[Term]) -> str:
    """``search-words.json``: ``{"schema": "lexigraph/search-words", "version": 1,
    "words": [...]}`` (:func:`suggestion_words`)."""
    return json.dumps({"schema": "lexigraph/search-words", "version": 1,
                       "words": suggestion_words(terms)},
                      ensure_ascii=False, separators=(",", ":"))


def _words(name: str) -> list[str]:
    """The words of a name or keyword, without punctuation (``max(0, x)``: max, 0, x).

    >>> _words("max(0, x)"), _words("cross-entropy loss")
    (['max', '0', 'x'], ['cross', 'entropy', 'loss'])
    """
    return _WORD.findall(name)


def _forms(word: str) -> list[str]:
    """A name word's English plural and British spelling, as a reader may type them.

    >>> _forms("ReLU"), _forms("normalization"), _forms("batch"), _forms("memory")
    (['ReLUs'], ['normalizations', 'normalisation'], ['batches'], ['memories'])
    >>> _forms("loss"), _forms("size"), _forms("正規化"), _forms("Optimizers")
    ([], ['sizes'], [], ['Optimisers'])
    """
    if not (word.isascii() and word.isalpha()) or len(word) < 3:
        return []
    british = [_british(word)] if _british(word) != word else []
    if word.endswith("s"):  # a plural already (or "loss", "bias")
        return british
    if word.endswith(("x", "ch", "sh")):
        plural = word + "es"
    elif word.endswith("y") and word[-2].lower() not in "aeiou":
        plural = word[:-1] + "ies"
    else:
        plural = word + "s"
    return [plural, *british]


def _british(word: str) -> str:
    """A word's British spelling (-ise, -isation), or the word.

    >>> _british("normalization"), _british("size")
    ('normalisation', 'size')
    """
    return _IZE.sub(lambda m: "is" + m.group(1), word)


def tag_entry(entry: dict[str, Any], term: Term) -> None:
    """Give a term page's top entry in a Material search index its tokens."""
    entry["tags"] = [*entry.get("tags", []),
                     *term_tokens(term.title, term.aliases, term.keywords)]


def centrality(ranks: Mapping[str, float]) -> dict[str, float]:
    """Each term's PageRank over the highest: 1.0 for the most central term.

    >>> centrality({"gradient": 0.03, "relu": 0.015})
    {'gradient': 1.0, 'relu': 0.5}
    """
    top = max(ranks.values(), default=0.0)
    return {slug: rank / top if top > 0 else 0.0 for slug, rank in ranks.items()}


def rank_entry(entry: dict[str, Any], central: float) -> None:
    """Raise a term page's entry by its centrality (0..1), by :data:`TIE_BREAK` at most.

    >>> entry = {"location": "terms/relu/", "boost": 3}
    >>> rank_entry(entry, 0.5); entry["boost"]
    3.000015
    """
    entry["boost"] = round(float(entry.get("boost", 1)) * (1 + TIE_BREAK * central), 12)


def add_term_names(index: dict[str, Any], terms_by_url: Mapping[str, Term],
                   central: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Give each term page's top entry in a written search index its name tokens, and every
    entry of the page its centrality (by the term's slug in ``central``)."""
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        term = terms_by_url.get(location)
        if term is not None:
            tag_entry(doc, term)
        page = terms_by_url.get(location.split("#", 1)[0])
        if page is not None and central:
            rank_entry(doc, central.get(page.slug, 0.0))
    return index
