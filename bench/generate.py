"""Synthetic glossaries in the real entry format, for scale benchmarks.

``write_glossary(directory, n, seed)`` writes ``n`` term files and ``_taxonomy.yml`` that pass
``lexigraph check``. The shape is calibrated on the repository's own glossary (``glossary/``,
52 entries): bodies of ~430 words with the required sections, ~19 math spans (1-2 display
blocks), ~9 mentioned terms, ~5 related terms, ~1.4 prerequisites, learning paths of ~5 steps,
0-1 alias, 5 keywords and 2 references per entry.

How the links are laid out, and why:

- Terms come in topic clusters of :data:`CLUSTER` terms (cluster size does not grow with N).
  Prerequisites point only to lower-numbered terms (a DAG), mostly within the cluster, so a
  learning path stays as short as in a real glossary whatever N is.
- Related terms are mostly in the cluster, some anywhere.
- Bodies mention the titles (and a few aliases) of related terms, prerequisites, random terms
  and, with a Zipf bias, the first cluster's "foundation" terms. Those become hubs that a share
  of all terms mention, as "neural network" is in a real glossary: their "Referenced by" list
  grows with N, which is exactly what a scale benchmark must expose.
- Titles are built from a technical vocabulary that the filler prose never uses, so every link
  the auto-linker makes is a mention the generator planned.
"""

from __future__ import annotations

import json
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import _words as w

#: Terms per topic cluster; related terms are mostly in the same cluster.
CLUSTER = 30
#: Terms per sub-topic of a cluster; prerequisites stay (mostly) inside a sub-topic.
TOPIC = 8


@dataclass
class TermSpec:
    """What the generator decided for one term, before writing its text."""

    index: int
    title: str
    slug: str
    cluster: int
    difficulty: str
    domains: list[str]
    industries: list[str]
    alias: str | None = None
    related: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    #: Slugs the body mentions by name, in the order they are written.
    mentions: list[str] = field(default_factory=list)


def _titles(n: int, rng: random.Random) -> list[str]:
    """``n`` titles, unique case-insensitively: 'Modifier head' or 'Modifier modifier head'."""
    seen: set[str] = set()
    titles: list[str] = []
    while len(titles) < n:
        head = rng.choice(w.HEADS)
        mods = rng.sample(w.MODIFIERS, 1 if rng.random() < 0.4 else 2)
        words = [*mods, head]
        if len(seen) > 300_000:  # vocabulary exhausted: number the rest
            words.append(f"v{len(titles)}")
        title = " ".join(words)
        title = title[0].upper() + title[1:]
        if title.casefold() not in seen:
            seen.add(title.casefold())
            titles.append(title)
    return titles


def _slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def _abbreviation(title: str) -> str:
    return "".join(part[0] for word in title.split() for part in word.split("-")).upper()


def _pick(rng: random.Random, weights: dict[int, float]) -> int:
    return rng.choices(list(weights), list(weights.values()))[0]


def plan_glossary(n: int, seed: int = 0) -> list[TermSpec]:
    """Decide every term's title, metadata and links (deterministic for a given ``seed``).

    Examples
    --------
    >>> specs = plan_glossary(50, seed=1)
    >>> len({s.title.casefold() for s in specs})
    50
    >>> index = {s.slug: s.index for s in specs}
    >>> all(index[p] < s.index for s in specs for p in s.prerequisites)  # a DAG
    True
    """
    rng = random.Random(seed)
    titles = _titles(n, rng)
    specs: list[TermSpec] = []
    used_aliases: set[str] = set()
    domain_keys = list(w.DOMAINS)
    for i, title in enumerate(titles):
        cluster, pos = divmod(i, CLUSTER)
        difficulty = "beginner" if pos < 10 else "intermediate" if pos < 22 else "advanced"
        domains = [domain_keys[cluster % len(domain_keys)]]
        for _ in range(_pick(rng, {0: 0.4, 1: 0.5, 2: 0.1})):
            extra = rng.choice(domain_keys)
            if extra not in domains:
                domains.append(extra)
        industries = rng.sample(list(w.INDUSTRIES), _pick(rng, {0: 0.4, 1: 0.15, 2: 0.25,
                                                                3: 0.15, 5: 0.05}))
        spec = TermSpec(i, title, _slug(title), cluster, difficulty, domains, sorted(industries))
        abbreviation = _abbreviation(title)
        # An alias must stay a string in YAML ('NO' and 'ON' would read as booleans).
        plain = yaml.safe_load(abbreviation) == abbreviation
        if rng.random() < 0.8 and plain and abbreviation not in used_aliases:
            used_aliases.add(abbreviation)
            spec.alias = abbreviation
        specs.append(spec)
    for spec in specs:
        _plan_links(spec, specs, rng)
    return specs


def _plan_links(spec: TermSpec, specs: list[TermSpec], rng: random.Random) -> None:
    i, n = spec.index, len(specs)
    first = spec.cluster * CLUSTER
    # Prerequisites: a few lower-numbered terms of the same sub-topic (often none), sometimes one
    # of the sub-topic before or a foundation term; only lower indices, so they form a DAG.
    topic = first + (i - first) // TOPIC * TOPIC
    window = list(range(max(topic, i - 5), i))
    count = min(len(window), _pick(rng, {0: 0.2, 1: 0.35, 2: 0.3, 3: 0.15}))
    prereqs = rng.sample(window, count)
    if topic > first and rng.random() < 0.2:
        prereqs.append(rng.randrange(max(first, topic - TOPIC), topic))
    if i > CLUSTER and rng.random() < 0.1:
        prereqs.append(rng.randrange(CLUSTER))
    spec.prerequisites = [specs[j].slug for j in dict.fromkeys(prereqs)]
    # Related: mostly the same cluster, some anywhere (not itself, not a prerequisite).
    related: list[int] = []
    last = min(n, first + CLUSTER)
    for _ in range(rng.randint(4, 8)):
        j = rng.randrange(first, last) if rng.random() < 0.7 else rng.randrange(n)
        if j != i and j not in related and j not in prereqs:
            related.append(j)
    spec.related = [specs[j].slug for j in related]
    # Mentions: the prerequisites, most related terms, Zipf-biased foundations, random terms.
    hubs = range(min(CLUSTER, n))
    zipf = [1 / (r + 1) for r in hubs]
    mentioned = list(prereqs) + related[: rng.randint(3, 5)]
    mentioned += rng.choices(hubs, zipf, k=_pick(rng, {0: 0.4, 1: 0.4, 2: 0.2}))
    mentioned += [rng.randrange(n) for _ in range(rng.randint(2, 4))]
    spec.mentions = [specs[j].slug for j in dict.fromkeys(mentioned) if j != i]


def _name(spec: TermSpec, rng: random.Random) -> str:
    """How the body writes another term's name: its title in running text, or its alias."""
    if spec.alias and rng.random() < 0.25:
        return spec.alias
    name = spec.title[0].lower() + spec.title[1:]
    if rng.random() < 0.15 and name[-1] not in "sxy":
        name += "s"  # the auto-linker also links plurals
    return name


def _math(rng: random.Random, display: bool = False) -> str:
    pool = w.DISPLAY_MATH if display else w.INLINE_MATH
    if not display and rng.random() < 0.5:
        return rng.choice(w.COMMON_SYMBOLS)  # glossaries repeat their symbols
    values = {"a": rng.randint(2, 9), "b": rng.randint(2, 64), "k": rng.randint(1, 12),
              "lr": rng.choice(["0.1", "0.01", "0.001", "3 \\times 10^{-4}"]),
              "c": round(rng.uniform(0.05, 2.0), 3)}
    return rng.choice(pool).format(**values)


def _inline(rng: random.Random) -> str:
    # NUL keeps textwrap from breaking a line inside a formula (inline math is one line).
    return "$" + _math(rng).replace(" ", "\0") + "$"


def _sentence(rng: random.Random, math: bool) -> str:
    noun, noun2, noun3 = rng.sample(w.NOUNS, 3)
    text = rng.choice(w.SENTENCES).format(
        n=noun, n2=noun2, n3=noun3, a=rng.choice(w.ADJECTIVES), v=rng.choice(w.VERBS),
        near=rng.choice(w.MODIFIERS), m=_inline(rng) if math else "the " + noun3)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int, maths: int, names: list[str]) -> str:
    parts = [_sentence(rng, math=k < maths) for k in range(sentences)]
    for name in names:
        template = rng.choice(w.MENTION_SENTENCES)
        parts.insert(rng.randrange(len(parts) + 1), template.format(t=name, n=rng.choice(w.NOUNS),
                                                                    a=rng.choice(w.ADJECTIVES)))
    text = textwrap.fill(" ".join(parts), width=96, break_on_hyphens=False,
                         break_long_words=False)
    return text.replace("\0", " ")


def _body(spec: TermSpec, by_slug: dict[str, TermSpec], rng: random.Random) -> str:
    names = [_name(by_slug[s], rng) for s in spec.mentions]
    cut = [len(names) * k // 4 for k in range(5)]  # spread the mentions over four sections
    blocks = [
        "## Why it matters",
        _paragraph(rng, 3, 2, names[cut[0]:cut[1]]),
        _paragraph(rng, 1, 1, []),
        "## Definition",
        _paragraph(rng, 4, 4, names[cut[1]:cut[2]]),
        f"$$\n{_math(rng, display=True)}\n$$",
        _paragraph(rng, 3, 3, []),
        "## Example",
        _paragraph(rng, 3, 3, names[cut[2]:cut[3]]),
    ]
    if rng.random() < 0.6:
        blocks.append(f"$$\n{_math(rng, display=True)}\n$$")
    if rng.random() < 0.25:
        blocks.append(w.CODE.format(lr=rng.choice(["0.1", "0.01"]), k=rng.randint(2, 9)))
    blocks += [_paragraph(rng, 2, 2, []), "## Common misconceptions"]
    count = rng.randint(2, 3)
    rest = names[cut[3]:]
    bullets = ["- " + _paragraph(rng, 2, 1, rest[k::count]).replace("\n", "\n  ")
               for k in range(count)]
    return "\n\n".join(blocks) + "\n\n" + "\n".join(bullets) + "\n"


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def entry_text(spec: TermSpec, by_slug: dict[str, TermSpec], seed: int = 0) -> str:
    """The whole Markdown file of one term: YAML front matter and body."""
    rng = random.Random(f"{seed}:{spec.index}")
    noun, noun2 = rng.sample(w.NOUNS, 2)
    summary = (f"A {rng.choice(w.ADJECTIVES)} {spec.title.split()[-1]} that "
               f"{rng.choice(w.VERBS_3RD)} each {noun} so that the {noun2} stays "
               f"{rng.choice(w.ADJECTIVES)} during training.")
    lines = ["---", f"title: {spec.title}", "summary: >-",
             textwrap.indent(textwrap.fill(summary, 94), "  "),
             f"difficulty: {spec.difficulty}", f"domains: {_flow(spec.domains)}"]
    if spec.industries:
        lines.append(f"industries: {_flow(spec.industries)}")
    keywords = sorted({f"{rng.choice(w.ADJECTIVES)} {rng.choice(w.NOUNS)}"
                       for _ in range(rng.randint(3, 6))})
    lines.append(f"keywords: {_flow(keywords)}")
    if spec.alias:
        lines.append(f"aliases: [{spec.alias}]")
    if spec.related:
        lines.append(f"related: {_flow(spec.related)}")
    if spec.prerequisites:
        lines.append(f"prerequisites: {_flow(spec.prerequisites)}")
    lines.append("references:")
    for k in range(rng.randint(1, 3)):
        authors = [f"{rng.choice(w.FIRST_NAMES)} {rng.choice(w.LAST_NAMES)}"
                   for _ in range(rng.randint(1, 4))]
        ref_title = f"{spec.title}: {rng.choice(w.PAPER_TITLES).format(n=rng.choice(w.NOUNS))}"
        lines += [f"  - title: {json.dumps(ref_title)}", f"    authors: {_flow(authors)}",
                  f"    year: {rng.randint(1986, 2024)}",
                  f"    url: https://example.org/papers/{spec.slug}-{k + 1}"]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + _body(spec, by_slug, rng)


def taxonomy_text() -> str:
    """``_taxonomy.yml`` with the generator's domains and industries."""
    lines = ["# Synthetic taxonomy written by bench/generate.py.", "domains:"]
    for key, (title, description) in w.DOMAINS.items():
        lines += [f"  {key}:", f"    title: {title}", f"    description: {description}"]
    lines.append("industries:")
    for key, title in w.INDUSTRIES.items():
        lines += [f"  {key}:", f"    title: {title}"]
    return "\n".join(lines) + "\n"


def write_glossary(directory: Path, n: int, seed: int = 0) -> None:
    """Write ``n`` term files and ``_taxonomy.yml`` into ``directory`` (created if missing).

    The folder must not already hold Markdown files, so that no stale term is left over.
    Output is deterministic: the same ``n`` and ``seed`` give byte-identical files.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.glob("*.md")):
        raise FileExistsError(f"{directory} already holds .md files; pass an empty folder")
    specs = plan_glossary(n, seed)
    by_slug = {s.slug: s for s in specs}
    (directory / "_taxonomy.yml").write_text(taxonomy_text(), encoding="utf-8")
    for spec in specs:
        (directory / f"{spec.slug}.md").write_text(entry_text(spec, by_slug, seed),
                                                   encoding="utf-8")
