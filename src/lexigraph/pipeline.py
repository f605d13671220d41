"""Run the core stages: load -> validate -> auto-link -> graph.

The result, :class:`Glossary`, is everything the render stage, the MkDocs plugin and the CLI
need. No MkDocs import here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import cast

import networkx as nx

from . import demo_embed, demo_run, demos
from .autolink import NameIndex, autolink, marked_link
from .cache_files import code_digest, write_atomic
from .errors import GlossaryError, Problem, resolved
from .graph import build_graph, graph_hash, pagerank, prerequisite_dag, ranked_neighbours
from .load import (TAXONOMY_FILE, ParseCache, RawEntry, StoredParses, load_entries,
                   load_taxonomy_data)
from .mathml import KnownFormulas
from .model import Slug, Taxonomy, Term
from .parallel import map_chunks
from .validate import Site, check_glossary, check_site_links, name_owners, validate_taxonomy


@dataclass
class Glossary:
    """Validated terms, their auto-linked bodies and the concept graph."""

    root: Path
    terms: dict[Slug, Term]
    taxonomy: Taxonomy
    bodies: dict[Slug, str] = field(default_factory=dict)
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    dag: nx.DiGraph = field(default_factory=nx.DiGraph)
    ranks: dict[Slug, float] = field(default_factory=dict)
    demos: dict[str, Path] = field(default_factory=dict)
    #: :func:`graph_hash` of ``graph`` (layouts and PageRank are kept by it), worked out when
    #: the glossary is built with a cache folder; "" otherwise.
    structure: str = ""
    #: Built with ``partial`` (see :func:`build_glossary`): the entries left out, by slug, and
    #: their files: a preview gives each a page, which links to them may still reach.
    left_out: dict[Slug, Path] = field(default_factory=dict)

    def sorted_terms(self) -> list[Term]:
        return sorted(self.terms.values(), key=lambda t: (t.title.casefold(), t.slug))

    @cached_property
    def ranked(self) -> dict[Slug, list[Slug]]:
        """Each term's linked terms, highest PageRank first (see :func:`ranked_neighbours`)."""
        return ranked_neighbours(self.graph, self.ranks)


@dataclass
class Reuse:
    """What a later build of the same glossary in this process may reuse (``mkdocs serve``).

    Parsed files by their text, and auto-linked bodies while every term keeps its names:
    after an edit, only the edited entry is parsed and auto-linked again.
    """

    parsed: ParseCache = field(default_factory=dict)
    index: NameIndex | None = None
    #: slug -> (what was linked: :func:`link_input`, auto-linked body, mentioned slugs), valid
    #: for ``index``.
    linked: dict[Slug, tuple[str, str, list[Slug]]] = field(default_factory=dict)

    def autolink(self, index: NameIndex, term: Term) -> tuple[str, list[Slug]]:
        known = self.linked.get(term.slug) if index == self.index else None
        if known is not None and known[0] == link_input(term):
            return known[1], known[2]
        body, mentions = autolink(term.body, index, term.slug, marked_link, term.unlinked)
        self.remember(index, term, body, mentions)
        return body, mentions

    def remember(self, index: NameIndex, term: Term, body: str, mentions: list[Slug]) -> None:
        """Keep ``term``'s auto-linked body for ``index`` (a new index starts over)."""
        if index != self.index:
            self.index, self.linked = index, {}
        self.linked[term.slug] = (link_input(term), body, mentions)


def link_input(term: Term) -> str:
    """What a term's auto-linked body is made of: its body and its ``unlinked`` names."""
    return "\0".join((term.body, *term.unlinked))


class LinkedBodies:
    """Auto-linked bodies of the last run, kept in ``folder`` while every term keeps its names.

    Linking is the costliest core stage after validation (0.3 ms an entry), and between two
    builds almost every entry and every name is unchanged. The file holds the last run's
    bodies for one set of names (:meth:`NameIndex.digest`) and one version of the code that
    links (:func:`code_digest`); another starts it over.
    """

    def __init__(self, folder: Path, index: NameIndex) -> None:
        self.path = folder / "autolinked.json.z"
        self.index = index
        self.digest = f"{index.digest()} {code_digest()}"
        self.old: dict[str, list[object]] = {}
        with contextlib.suppress(OSError, zlib.error, ValueError):  # none yet, or damaged
            data = json.loads(zlib.decompress(self.path.read_bytes()))
            if isinstance(data, dict) and data.get("names") == self.digest:
                self.old = data["bodies"]
        self.new: dict[str, list[object]] = {}

    def link_all(self, terms: Iterable[Term]) -> dict[Slug, tuple[str, list[Slug]]]:
        """Each term's auto-linked body and mentions: the last run's when its body is
        unchanged, else linked now (see :func:`link_all`)."""
        out: dict[Slug, tuple[str, list[Slug]]] = {}
        todo: list[Term] = []
        keys: dict[Slug, str] = {}
        for term in terms:
            key = keys[term.slug] = hashlib.sha256(
                link_input(term).encode("utf-8", "surrogatepass")).hexdigest()
            known = self.old.get(term.slug)
            if isinstance(known, list) and len(known) == 3 and known[0] == key:
                out[term.slug] = str(known[1]), [Slug(str(s)) for s in cast(list, known[2])]
            else:
                todo.append(term)
        out.update(link_all(todo, self.index))
        for slug, (body, mentions) in out.items():
            self.new[slug] = [keys[slug], body, mentions]
        return out

    def save(self) -> None:
        if self.new == self.old:
            return
        data = json.dumps({"names": self.digest, "bodies": self.new}, ensure_ascii=False)
        write_atomic(self.path, zlib.compress(data.encode("utf-8", "surrogatepass"), 1))


#: Terms per worker process below which auto-linking in this process is faster (0.3 ms a term).
LINK_PARALLEL_FROM = 1000


def link_all(terms: Iterable[Term], index: NameIndex) -> dict[Slug, tuple[str, list[Slug]]]:
    """:func:`autolink` every term's body; a large glossary in one process per CPU."""
    terms = list(terms)
    found = map_chunks(_link_some, [(t.body, t.slug, t.unlinked) for t in terms], index,
                       per_process=LINK_PARALLEL_FROM)
    return {term.slug: result for term, result in zip(terms, found)}


def _link_some(bodies: list[tuple[str, Slug, tuple[str, ...]]],
               index: NameIndex) -> list[tuple[str, list[Slug]]]:
    return [autolink(body, index, slug, marked_link, unlinked)
            for body, slug, unlinked in bodies]


def check_taxonomy(glossary_dir: Path) -> tuple[Taxonomy | None, list[Problem]]:
    """The glossary's taxonomy (``None`` if it cannot be read) and what is wrong with it."""
    data, lines, problems = load_taxonomy_data(glossary_dir)
    if data is None:
        return None, problems
    taxonomy, found = validate_taxonomy(data, glossary_dir / TAXONOMY_FILE, lines)
    return taxonomy, problems + found


def check(glossary_dir: Path, demo_ids: Collection[str] | None = None,
          reuse: Reuse | None = None, cache_dir: Path | None = None, markup: bool = True,
          pages: Collection[str] = (), site: Site | None = None
          ) -> tuple[dict[Slug, Term], Taxonomy | None, list[Problem]]:
    """Load and validate; return the good terms and every problem found.

    ``pages``: names (without ``.md``) of other pages beside the term pages, which an entry
    may link to by hand like another entry (the site's hand-written pages in its terms folder).
    ``site``: the files of the site, which the entries' other links must lead to (see
    :func:`~lexigraph.validate.check_site_links`); ``None``: those links are not checked.

    ``cache_dir`` keeps the formulas known to convert (:class:`KnownFormulas`) and the
    parsed entries (:class:`~lexigraph.load.StoredParses`) between runs.
    ``markup=False`` when nothing is rendered next: formulas are checked, their MathML not kept.
    """
    taxonomy, problems = check_taxonomy(glossary_dir)
    if taxonomy is None:
        return {}, None, problems
    parsed = reuse.parsed if reuse is not None else None
    stored = None
    if cache_dir is not None and not parsed:
        # A first run in this process starts from the files that the last run parsed
        # (serve's later builds have them in memory).
        stored = StoredParses(cache_dir, glossary_dir)
        if parsed is None:
            parsed = stored.cache
        else:  # (the caller's, kept for its next build)
            parsed.update(stored.cache)
            stored.cache = parsed
    entries, found = load_entries(glossary_dir, parsed)
    if stored is not None:
        stored.save()
    problems += found
    unread = {Slug(p.path.stem) for p in found}
    known = KnownFormulas(cache_dir) if cache_dir is not None else None
    terms, found = check_glossary(entries, taxonomy, demo_ids, known, markup, unread, pages)
    if known is not None:
        known.save()
    if stored is not None:
        stored.wait()  # (written meanwhile, on another CPU, where this process may fork)
    problems += found
    slugs = {entry.slug for entry in entries} | unread  # (with problems too)
    if site is not None:
        from .browse import generated_pages  # (browse builds on this module)
        home = not {"index.md", "README.md"} & site.files  # (else the plugin makes one)
        made = generated_pages(taxonomy.domains, slugs, site.terms_dir, home)
        # Every entry read, not only those without problems: all of them at once.
        problems += check_site_links(entries, site, made)
    if isinstance(demo_ids, Mapping):  # the modules are known: check them and their uses
        found = demo_run.check_all(demo_ids, slugs, name_owners(entries))
        found += demo_embed.check_placements(demo_ids, _placements(entries))
        problems += dict.fromkeys(found)  # a broken module is said once, however often used
    return terms, taxonomy, problems


def _placements(entries: Iterable[RawEntry]) -> Iterator[demo_embed.Placement]:
    """Each entry's body and ``demo:`` field (see :func:`demo_embed.check_placements`)."""
    for entry in entries:
        demo = entry.data.get("demo")
        if "demo" in entry.body or isinstance(demo, str):
            yield (entry.path, entry.body, entry.body_line,
                   demo.strip() if isinstance(demo, str) else None, entry.key_lines.get("demo"))


def build_glossary(glossary_dir: Path, demos_dir: Path | None = None,
                   link_terms: bool = True, reuse: Reuse | None = None,
                   cache_dir: Path | None = None, check_demos: bool | None = None,
                   pages: Collection[str] = (), partial: bool = False,
                   previous: Glossary | None = None, site: Site | None = None) -> Glossary:
    """Run every core stage; raise :class:`GlossaryError` listing all problems.

    ``demos_dir``: the demo modules, which entries name (``demo:``) and place; without it,
    demo names and placements are not checked (``check_demos``, when given, decides).
    ``link_terms``: auto-link the first mention of each term (the plugin's ``autolink``).
    ``reuse`` (kept by the caller across builds) skips the work on unchanged entries;
    ``cache_dir`` keeps the parsed entries and the formulas known to convert between runs
    (see :func:`check`).
    ``pages``, ``site``: see :func:`check`. ``partial``: with problems, the error also carries
    the glossary of the entries that have none (``GlossaryError.partial``; see
    :func:`without_broken`), without the demo modules that have some, and naming the entries
    left out (``Glossary.left_out``), or ``None`` if even that cannot be built: what a
    preview shows. An entry with problems that ``previous`` (the glossary the preview shows)
    has is kept there as it was, not left out (it breaks while its author edits it).
    """
    glossary_dir = Path(glossary_dir)
    if not glossary_dir.is_dir():
        raise GlossaryError([Problem(glossary_dir, None, "the glossary folder does not exist",
                                     "create it, or set the plugin's 'glossary_dir'")])
    found_demos = demos.discover(None if demos_dir is None else Path(demos_dir))
    if check_demos is None:
        check_demos = demos_dir is not None
    terms, taxonomy, problems = check(glossary_dir, found_demos if check_demos else None, reuse,
                                      cache_dir, pages=pages, site=site)
    if not problems:
        assert taxonomy is not None
        return _assemble(glossary_dir, terms, taxonomy, found_demos, link_terms, reuse, cache_dir)
    kept = None
    if partial and taxonomy is not None:
        broken = {resolved(problem.path) for problem in problems}
        sound_demos = {demo: path for demo, path in found_demos.items()
                       if resolved(path) not in broken}
        # Entries the preview showed that have problems now: as they were there, if what they
        # name of the taxonomy is still in it (a renamed domain breaks the old versions too).
        before = {slug: term for slug, term in (previous.terms if previous else {}).items()
                  if resolved(term.path) in broken and term.path.is_file()
                  and set(term.domains) <= taxonomy.domains.keys()
                  and set(term.industries) <= taxonomy.industries.keys()}
        folder = resolved(glossary_dir)
        entries = {resolved(term.path) for term in terms.values()} | {
            path for path in broken if path.suffix == ".md" and path.parent == folder}
        kept = None
        for earlier in ([before, {}] if before else [{}]):
            as_were = {resolved(term.path) for term in earlier.values()}
            sound = without_broken({**terms, **earlier}, broken - as_were, sound_demos)
            try:
                kept = _assemble(glossary_dir, sound, taxonomy, sound_demos, link_terms, reuse,
                                 cache_dir)
            except Exception:  # (what the problems break): without them, or only the report
                continue
            kept.left_out = {Slug(path.stem): path for path in sorted(entries)
                             if path.stem not in sound}
            break
    raise GlossaryError(problems, partial=kept)


def without_broken(terms: Mapping[Slug, Term], broken: Collection[Path],
                   demos: Mapping[str, Path]) -> dict[Slug, Term]:
    """The terms of the files not in ``broken`` (the resolved paths of the files with
    problems), without their links to the others and without a demo not in ``demos`` (the
    modules without problems): an entry placing such a demo in its text is left out too (the
    page could not be built)."""

    def places_broken(body: str) -> bool:
        fences, _ = demo_embed.find_fences(body)
        return any(next(iter(f.words.split()), None) not in demos for f in fences)

    kept = {slug: term for slug, term in terms.items()
            if resolved(term.path) not in broken and not places_broken(term.body)}

    return {slug: replace(term, related=tuple(s for s in term.related if s in kept),
                          prerequisites=tuple(s for s in term.prerequisites if s in kept),
                          demo=term.demo if term.demo in demos else None)
            for slug, term in kept.items()}


def _assemble(glossary_dir: Path, terms: dict[Slug, Term], taxonomy: Taxonomy,
              found_demos: dict[str, Path], link_terms: bool, reuse: Reuse | None,
              cache_dir: Path | None) -> Glossary:
    """The stages after validation: auto-links, the graph and its ranks."""
    bodies: dict[Slug, str] = {}
    mentions: dict[Slug, list[Slug]] = {}
    if link_terms:
        index = NameIndex.build(terms.values())
        # From the last run's file: for a single build, or the first one of `mkdocs serve`.
        stored = (LinkedBodies(cache_dir, index)
                  if cache_dir is not None and (reuse is None or reuse.index is None) else None)
        if stored is not None:
            linked = stored.link_all(terms.values())
            stored.save()
            if reuse is not None:
                for slug, (body, found) in linked.items():
                    reuse.remember(index, terms[slug], body, found)
        elif reuse is not None:
            linked = {slug: reuse.autolink(index, term) for slug, term in terms.items()}
        else:
            linked = link_all(terms.values(), index)
        for slug in terms:
            bodies[slug], mentions[slug] = linked[slug]
    graph = build_graph(terms.values(), mentions)
    structure = graph_hash(graph) if cache_dir is not None else ""
    ranks = stored_pagerank(graph, structure, cache_dir) if cache_dir is not None \
        else pagerank(graph)
    return Glossary(root=glossary_dir, terms=terms, taxonomy=taxonomy, bodies=bodies,
                    graph=graph, dag=prerequisite_dag(graph), ranks=ranks,
                    demos=found_demos, structure=structure)


def stored_pagerank(graph: nx.MultiDiGraph, structure: str, folder: Path) -> dict[Slug, float]:
    """:func:`pagerank` of ``graph``, kept in ``folder`` for the graph's structure
    (``structure``: its :func:`graph_hash`) and the code (:func:`code_digest`). Texts do not
    change it; links do."""
    path = folder / "pagerank.json"
    structure = f"{structure} {code_digest()}"
    with contextlib.suppress(OSError, ValueError):  # none yet, or damaged: compute
        data = json.loads(path.read_text(encoding="utf-8"))
        ranks = (data.get("ranks") if isinstance(data, dict) and data.get("graph") == structure
                 else None)
        if isinstance(ranks, dict) and ranks.keys() == set(graph.nodes):
            return {Slug(slug): float(rank) for slug, rank in ranks.items()}
    ranks = pagerank(graph)
    write_atomic(path, json.dumps({"graph": structure, "ranks": ranks}).encode("utf-8"))
    return ranks
