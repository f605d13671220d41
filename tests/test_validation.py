"""Hostile entries: one per validation case, each asserting the exact message and file:line,
the CLI's exit code, and that a failed build writes nothing."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.exceptions import Abort

from lexigraph import pipeline
from lexigraph.cli import main
from lexigraph.errors import GlossaryError, Problem
from lexigraph.load import split_front_matter
from lexigraph.pipeline import build_glossary
from lexigraph.validate import BODY_PLACEHOLDERS, SUMMARY_PLACEHOLDER

from .conftest import FIXTURES, build_site

GOOD = FIXTURES / "mini"


def entry(title: str = "Delta", *, extra: str = "", body: str | None = None,
          summary: str = "A test term.", difficulty: str = "beginner",
          domains: str = "[fundamentals]") -> str:
    body = body if body is not None else "## Why it matters\n\nIt does.\n\n## Definition\n\nIt is.\n"
    return (f"---\ntitle: {title}\nsummary: {summary}\ndifficulty: {difficulty}\n"
            f"domains: {domains}\n{extra}---\n\n{body}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    # (Without the cache that builds of the fixture in place leave there.)
    shutil.copytree(GOOD, target, ignore=shutil.ignore_patterns(".lexigraph-cache"))
    return target


def stored_parses(project: Path, glossary: str = "glossary") -> Path:
    """The file that keeps the parses of ``project``'s glossary, which must exist."""
    [path] = (project / ".lexigraph-cache").glob("parsed-*.pickle")
    assert path.read_bytes().split(b"\n", 1)[0].endswith(
        f"; {(project / glossary).resolve()}".encode()), "the parses of another glossary"
    return path


# (file name, content, expected "file:line: error: message", expected fix fragment)
CASES = [
    ("yaml-syntax", "delta.md", "---\ntitle: Delta\nsummary: [unclosed\ndifficulty: beginner\n---\nx\n",
     "delta.md:3: error: YAML syntax error in the front matter: did not find expected ',' or ']' "
     "(in the list that starts on line 3)",
     "close the list with ']' at the end of line 3 (or, if the value is text starting with "
     "'[', put it in quotes)"),
    ("unclosed-list", "delta.md", entry(extra="related: [alpha-unit, beta-layer\n"),
     "delta.md:6: error: YAML syntax error in the front matter: did not find expected ',' or "
     "']' (in the list that starts on line 6)",
     "close the list with ']' at the end of line 6"),
    ("unclosed-quote-before-another", "delta.md",
     '---\ntitle: "Delta\nsummary: A test term.\ndifficulty: beginner\ndomains: [fundamentals]\n'
     'keywords: ["a b"]\n---\n\n## Why it matters\n\nIt does.\n\n## Definition\n\nIt is.\n',
     "delta.md:2: error: YAML syntax error in the front matter: the quote opened on line 2 is "
     "not closed on that line (did not find expected key)",
     'close it with " at the end of line 2'),
    ("quote-over-two-lines-then-another-error", "delta.md",
     '---\ntitle: Delta\nsummary: "A test term,\n  on two lines."\ndifficulty: beginner\n'
     'domains: [fundamentals]\nreferences:\n  - title: Deep: an overview\n---\n\nx\n',
     "delta.md:8: error: YAML syntax error in the front matter: mapping values are not allowed "
     "in this context",
     "check indentation and quoting"),
    ("comment-in-a-list", "delta.md", entry(extra="keywords: [the #1 choice, other]\n"),
     "delta.md:6: error: YAML syntax error in the front matter: did not find expected ',' or "
     "']' (in the list that starts on line 6)",
     "' #' starts a comment in YAML"),
    ("tab-indent", "delta.md", entry(extra="aliases:\n\t- SiLU\n"),
     "delta.md:7: error: YAML syntax error in the front matter: this line is indented with a tab",
     "tabs cannot indent YAML: indent with spaces"),
    ("tab-indent-in-a-reference", "delta.md", entry(extra="references:\n  - title: T\n"
                                                          "  \tauthors: [A]\n"),
     "delta.md:8: error: YAML syntax error in the front matter: this line is indented with a tab",
     "tabs cannot indent YAML: indent with spaces"),
    ("summary-with-a-link", "delta.md", entry(summary="Like [Alpha](alpha-unit.md), squashed."),
     "delta.md:3: error: 'summary' is plain text (in lists, previews and search results): "
     "'[Alpha](alpha-unit.md)' would show as written",
     "write it in words"),
    ("summary-with-a-formula", "delta.md", entry(summary="It computes $\\max(0, x)$."),
     "delta.md:3: error: 'summary' is plain text (in lists, previews and search results): "
     "'$\\max(0, x)$' would show as written",
     "formulas belong in the body"),
    ("taxonomy-key-not-a-slug", "_taxonomy.yml", "domains:\n  fundamentals: Basics\n"
     "  Deep Nets/CNN: CNNs\n",
     "_taxonomy.yml:3: error: domains key 'Deep Nets/CNN': a key is lower-case letters and "
     "digits joined by hyphens (it names the category in addresses and in entries)",
     "use 'deep-nets-cnn', and the same in the entries"),
    ("taxonomy-key-twice", "_taxonomy.yml", "domains:\n  fundamentals: Basics\n"
     "  fundamentals: Again\n",
     "_taxonomy.yml:3: error: domains key 'fundamentals' is given twice (also on line 2): "
     "YAML keeps only the last",
     "keep one of them"),
    ("tab-indent-in-the-taxonomy", "_taxonomy.yml", "domains:\n\tfundamentals: Basics\n",
     "_taxonomy.yml:2: error: YAML syntax error: this line is indented with a tab",
     "tabs cannot indent YAML: indent with spaces"),
    ("no-front-matter", "delta.md", "# Delta\n\nJust text.\n",
     "delta.md:1: error: missing front matter", "start the file with a '---' line"),
    ("empty-front-matter", "delta.md", "---\n---\n\n## Why it matters\n\nx\n",
     "delta.md:2: error: the front matter is empty", "title, summary, difficulty, domains"),
    ("unclosed-front-matter", "delta.md", "---\ntitle: Delta\n",
     "delta.md:1: error: the front matter is not closed", "end the YAML block"),
    ("missing-required", "delta.md", "---\ntitle: Delta\ndifficulty: beginner\ndomains: [fundamentals]\n---\n\n## Why it matters\n\nx\n\n## Definition\n\ny\n",
     "delta.md:2: error: required field 'summary' is missing", "add 'summary: ...'"),
    ("empty-required", "delta.md", entry(summary='""'),
     "delta.md:3: error: required field 'summary' is empty", "add 'summary: ...'"),
    ("wrong-type", "delta.md", entry(extra="keywords: {a: 1}\n"),
     "delta.md:6: error: 'keywords': Expected a list but received: a mapping ({'a': 1})",
     "write 'keywords: [a, b]'"),
    ("outside-allowed", "delta.md", entry(difficulty="expert"),
     "delta.md:4: error: 'difficulty': Expected one of: ['beginner', 'intermediate', 'advanced'] "
     "but received: 'expert'", "use one of beginner, intermediate, advanced"),
    ("unknown-key", "delta.md", entry(extra="dificulty: hard\n"),
     "delta.md:6: error: unknown field 'dificulty'", "did you mean 'difficulty'?"),
    ("unknown-domain", "delta.md", entry(domains="[fundamental]"),
     "delta.md:5: error: 'domains': Expected one of: ['activation-functions', 'architectures', "
     "'fundamentals', 'initialization', 'normalization', 'optimization', 'sequence-models', "
     "'training-dynamics'] but received: 'fundamental'", "did you mean 'fundamentals'?"),
    ("duplicate-slug", "Alpha-Unit.md", entry("Alpha two"),
     "alpha-unit.md: error: duplicate slug: 'alpha-unit.md' and 'Alpha-Unit.md' differ only in case",
     "rename or merge"),
    ("duplicate-title", "delta.md", entry("beta LAYER"),
     "delta.md:2: error: duplicate name: title 'beta LAYER' is already the title of 'beta-layer.md'",
     "a title or alias may name only one term"),
    ("duplicate-alias", "delta.md", entry(extra="aliases: [Gamma, au]\n"),
     "delta.md:6: error: duplicate name: alias 'au' is already the alias of 'alpha-unit.md'",
     "a title or alias may name only one term"),
    ("duplicate-lone-alias", "delta.md", entry(extra="aliases: AU\n"),
     "delta.md:6: error: duplicate name: alias 'AU' is already the alias of 'alpha-unit.md'",
     "a title or alias may name only one term"),
    ("empty-alias", "delta.md", entry(extra='aliases: [SiLU, ""]\n'),
     "delta.md:6: error: 'aliases' item 2: Expected a non-empty string but received: a string "
     "('')", "remove the empty item"),
    ("empty-related-item", "delta.md", entry(extra="related:\n  - gamma-net\n  -\n"),
     "delta.md:8: error: 'related' item 2: Expected a non-empty string but received: nothing",
     "remove the empty item"),
    ("number-as-keyword", "delta.md", entry(extra="keywords: [1e-3, yes]\n"),
     "delta.md:6: error: 'keywords' item 2: Expected a non-empty string but received: a boolean "
     "(True)", "quote the value"),
    ("unknown-related", "delta.md", entry(extra="related: [beta-layr]\n"),
     "delta.md:6: error: 'related': unknown term 'beta-layr'", "did you mean 'beta-layer'?"),
    ("related-by-alias", "delta.md", entry(extra="related: [gamma-net, au]\n"),
     "delta.md:6: error: 'related': unknown term 'au'",
     "'au' is the alias of 'alpha-unit.md': write 'alpha-unit' instead (a term is named by its "
     "file name without '.md')"),
    ("related-by-own-title", "delta.md", entry(extra="related: [gamma-net, DELTA]\n"),
     "delta.md:6: error: 'related': unknown term 'DELTA'",
     "'DELTA' is this term's own title: remove it from 'related'"),
    ("self-reference", "delta.md", entry(extra="prerequisites:\n  - alpha-unit\n  - delta\n"),
     "delta.md:8: error: 'prerequisites': a term cannot name itself ('delta')", "remove 'delta'"),
    ("unknown-domain-not-close", "delta.md", entry(domains="[physics]"),
     "delta.md:5: error: 'domains': Expected one of: ['activation-functions', 'architectures', "
     "'fundamentals', 'initialization', 'normalization', 'optimization', 'sequence-models', "
     "'training-dynamics'] but received: 'physics'",
     "use one of activation-functions, architectures, fundamentals, initialization, "
     "normalization, optimization, sequence-models, training-dynamics, or add 'physics' to "
     "'domains:' in _taxonomy.yml"),
    ("alias-is-the-title", "delta.md", entry(extra="aliases: [delta]\n"),
     "delta.md:6: error: 'aliases': 'delta' is this entry's title already",
     "an alias is another name: remove it (the title is searched and linked already)"),
    ("alias-twice", "delta.md", entry(extra="aliases: [dt, DT]\n"),
     "delta.md:6: error: 'aliases': 'DT' is given twice in this entry", "remove the repeat"),
    ("unknown-demo-not-close", "delta.md", entry(extra="demo: fourier\n"),
     "delta.md:6: error: 'demo': unknown demo 'fourier'",
     "available demos: gradient-decay, numpy-probe (the modules of demos_dir)"),
    ("unknown-demo", "delta.md", entry(extra="demo: gradient-dekay\n"),
     "delta.md:6: error: 'demo': unknown demo 'gradient-dekay'", "did you mean 'gradient-decay'?"),
    ("empty-body", "delta.md", entry(body=""),
     "delta.md:7: error: the body is empty", "add the sections"),
    ("file-ends-at-the-front-matter", "delta.md", entry(body="").rstrip("\n") + "\n",
     "delta.md:6: error: the body is empty", "add the sections"),
    ("empty-file", "delta.md", "\n",
     "delta.md:1: error: the file is empty", "run `lexigraph new"),
    # An author's own '## References' stood above the generated one, which lost its anchor.
    ("generated-heading", "delta.md", entry(
        extra="references:\n  - {title: A, authors: [B], year: 2001, url: 'https://a.org/'}\n",
        body="## Why it matters\n\nx\n\n## Definition\n\ny\n\n### references {#refs}\n\n- A.\n"),
     "delta.md:18: error: the page adds a '## References' section itself, made from the front "
     "matter's 'references:'", "give this heading another name, or move its text there"),
    ("section-twice", "delta.md", entry(body="## Why it matters\n\nx\n\n## Definition\n\ny\n\n"
                                             "```\n## Definition\n```\n\n## Definition ##\n\nz\n"),
     "delta.md:20: error: section '## Definition' is given twice (also on line 12)",
     "merge the two into one section"),
    # An author's "$T = 0.1" showed on the page as written, with no word from check.
    ("stray-dollar", "delta.md", entry(body="## Why it matters\n\nWith $T = 0.1, it keeps "
                                            "$0.9^{50}$.\n\n## Definition\n\nIt costs $5, \\$3.\n"),
     "delta.md:10: error: a '$' opens a formula that is never closed: '$T = 0.1, it'",
     "close it with a '$' right after its last character, in the same paragraph; write '\\$'"),
    ("blank-before-closing-dollar", "delta.md", entry(body="## Why it matters\n\nHere $L = x^2 "
                                                           "$ holds.\n\n## Definition\n\nIt is.\n"),
     "delta.md:10: error: a '$' opens a formula that is never closed: '$L = x^2 $'",
     "remove the blank before the closing '$'"),
    ("spaced-formula", "delta.md", entry(body="## Why it matters\n\nThe rate $ \\alpha $ is "
                                              "small.\n\n## Definition\n\nIt is.\n"),
     "delta.md:10: error: '$ \\alpha $' is not read as a formula: its '$' must touch its text",
     "write it without blanks inside the dollars"),
    ("missing-section", "delta.md", entry(body="## Why it matters\n\nx\n"),
     "delta.md:7: error: missing section '## Definition'", "add a '## Definition' heading"),
    ("empty-section", "delta.md", entry(body="## Why it matters\n\n## Definition\n\nIt is.\n"),
     "delta.md:8: error: section '## Why it matters' has no text", "write the section's text"),
    ("related-twice", "delta.md", entry(extra="related: [alpha-unit, beta-layer, alpha-unit]\n"),
     "delta.md:6: error: 'related': 'alpha-unit' is given twice", "remove the repeat"),
    ("section-at-another-level", "delta.md", entry(body="## Why it matters\n\nx\n\n### Definition\n\ny\n"),
     "delta.md:12: error: missing section '## Definition': '### Definition' is not it",
     "write it '## Definition' (two #, this spelling)"),
    ("section-without-a-space", "delta.md", entry(body="## Why it matters\n\nx\n\n##Definition\n\ny\n"),
     "delta.md:12: error: missing section '## Definition': '##Definition' is text, not a heading",
     "write it '## Definition' (Markdown needs a space after the #)"),
    ("section-misspelt", "delta.md", entry(body="## Why it matters\n\nx\n\n## Definitons\n\ny\n"),
     "delta.md:12: error: missing section '## Definition': '## Definitons' is not it",
     "write it '## Definition'"),
    ("long-summary", "delta.md", entry(summary="x" * 201),
     "delta.md:3: error: 'summary' is 201 characters; the limit is 200", "one short sentence"),
    ("bad-reference", "delta.md", entry(extra="references:\n  - title: T\n    authors: [A]\n    year: 2001\n"),
     "delta.md:7: error: 'references' item 1: give a 'url' or a 'doi'", "doi: 10.1162"),
    ("reference-url", "delta.md", entry(extra="references:\n  - title: T\n    authors: [A]\n"
                                              "    year: 2001\n    url: javascript:alert(1)\n"),
     "delta.md:10: error: 'references' item 1: 'url' Expected a web address starting with "
     "https:// but received: 'javascript:alert(1)'", "url: https://"),
    ("reference-field-twice", "delta.md", entry(extra="references:\n  - title: T\n"
                                                     "    authors: [A]\n    year: 2001\n"
                                                     "    url: https://example.org/a\n"
                                                     "    url: https://example.org/b\n"),
     "delta.md:11: error: 'references' item 1: field 'url' is given twice",
     "keep one 'url:' line in the reference"),
    ("reference-year-in-words", "delta.md", entry(extra="references:\n  - title: T\n"
                                                       "    authors: [A]\n    year: twenty17\n"
                                                       "    url: https://example.org/\n"),
     "delta.md:9: error: 'references' item 1: 'year' Expected a four-digit year but received: "
     "'twenty17'", "write the year in four digits, e.g. year: 1997"),
    ("reference-year-as-a-date", "delta.md", entry(extra="references:\n  - title: T\n"
                                                        "    authors: [A]\n    year: 2017-01-01\n"
                                                        "    url: https://example.org/\n"),
     "delta.md:9: error: 'references' item 1: 'year' Expected a four-digit year but received: "
     "2017-01-01", "write the year alone: year: 2017"),
    ("date-as-title", "delta.md", entry("2017-01-01"),
     "delta.md:2: error: 'title': Expected a string but received: a date (2017-01-01)",
     "write a single line of text"),
    ("duplicate-key", "delta.md", entry(extra="title: Again\n"),
     "delta.md:6: error: field 'title' is given twice (also on line 2): YAML keeps only this "
     "one", "keep one 'title:' line"),
    ("key-three-times", "delta.md", entry(extra="title: Again\ntitle: Last\n"),
     "delta.md:7: error: field 'title' is given 3 times (also on lines 2 and 6): YAML keeps "
     "only this one", "keep one 'title:' line"),
    # The value YAML keeps is the repeat's: its problems are there (they were at the first).
    ("duplicate-key-bad-value", "delta.md", entry(extra="difficulty: expert\n"),
     "delta.md:6: error: 'difficulty': Expected one of: ['beginner', 'intermediate', 'advanced'] "
     "but received: 'expert'", "use one of beginner, intermediate, advanced"),
    ("duplicate-key-bad-item", "delta.md", entry(extra="domains:\n  - fundamentals\n  - nope\n"),
     "delta.md:8: error: 'domains': Expected one of: ['activation-functions', 'architectures', "
     "'fundamentals', 'initialization', 'normalization', 'optimization', 'sequence-models', "
     "'training-dynamics'] but received: 'nope'", "or add 'nope' to 'domains:' in _taxonomy.yml"),
    ("bad-formula", "delta.md", entry(body="## Why it matters\n\n$x^2$ grows.\n\n"
                                           "## Definition\n\nIt is $x^$.\n"),
     "delta.md:14: error: cannot convert the formula 'x^' to MathML: a ^ or _ has nothing "
     "after it", "check the LaTeX"),
    ("unmatched-left", "delta.md", entry(body="## Why it matters\n\n$\\left( x$ grows.\n\n"
                                            "## Definition\n\nIt is.\n"),
     "delta.md:10: error: cannot convert the formula '\\left( x' to MathML: a \\left has no "
     "matching \\right (or a \\right no \\left)", "check the LaTeX"),
    ("unknown-latex-command", "delta.md", entry(body="## Why it matters\n\n$\\frca{1}{2}$ grows."
                                                     "\n\n## Definition\n\nIt is.\n"),
     "delta.md:10: error: cannot convert the formula '\\frca{1}{2}' to MathML: unknown command "
     "\\frca", "check the LaTeX"),
    ("unclosed-brace", "delta.md", entry(body="## Why it matters\n\n$x^{2$ grows.\n\n"
                                              "## Definition\n\nIt is.\n"),
     "delta.md:10: error: cannot convert the formula 'x^{2' to MathML: a '{' is never closed",
     "check the LaTeX"),
    ("unclosed-display-math", "delta.md", entry(body="## Why it matters\n\n$$\nx^2\n\n"
                                                     "## Definition\n\nIt is.\n"),
     "delta.md:10: error: cannot convert the formula '' to MathML: the formula is empty (is a "
     "closing '$$' missing? a dollar sign is written \\$)", "check the LaTeX"),
    ("link-to-unknown-entry", "delta.md", entry(body="## Why it matters\n\nSee [beta](beta-layr.md) "
                                                     "and [home](../index.md).\n\n## Definition\n"
                                                     "\nIt is.\n"),
     "delta.md:10: error: link to 'beta-layr.md': no entry has that file name",
     "did you mean 'beta-layer.md'? (the first mention"),
    # A file renamed since: the link names the term, which has another file name now.
    ("link-to-a-name", "delta.md", entry(body="## Why it matters\n\nSee [AU](au.md).\n\n"
                                               "## Definition\n\nIt is.\n"),
     "delta.md:10: error: link to 'au.md': no entry has that file name",
     "'au' is the alias of 'alpha-unit.md': link to 'alpha-unit.md' (the first mention"),
    ("unlinked-unknown-name", "delta.md", entry(extra="unlinked: [Alpha unt]\n"),
     "delta.md:6: error: 'unlinked': 'Alpha unt' is no term's title or alias",
     "did you mean 'alpha unit'?"),
    ("unlinked-repeat", "delta.md", entry(extra="unlinked: [AU, au]\n"),
     "delta.md:6: error: 'unlinked': 'au' is given twice (as 'AU')", "remove the repeat"),
    ("unlinked-own-name", "delta.md", entry(extra="aliases: [DL]\nunlinked: [dl]\n"),
     "delta.md:7: error: 'unlinked': 'dl' is this term's own alias, which is never linked on "
     "its page", "remove 'dl' from 'unlinked'"),
    ("repeated-domain", "delta.md", entry(domains="[fundamentals, fundamentals]"),
     "delta.md:5: error: 'domains': 'fundamentals' is given twice", "remove the repeat"),
    ("repeated-keyword", "delta.md", entry(extra="keywords:\n  - Gate\n  - x\n  - gate\n"),
     "delta.md:9: error: 'keywords': 'gate' is given twice (as 'Gate')", "remove the repeat"),
    ("separator-in-a-keyword", "delta.md", entry(extra='keywords: ["piecewise; linear"]\n'),
     "delta.md:6: error: 'keywords' item 1: 'piecewise; linear' holds a ';', which separates "
     "items in glossary.csv", "if it is 2 items, write them as such: [piecewise, linear]"),
    ("name-written-another-way", "delta.md", entry("Alpha-Unit"),
     "delta.md:2: error: title 'Alpha-Unit' and the title 'Alpha unit' of 'alpha-unit.md' "
     "differ only in spaces, hyphens or punctuation: readers would take them for one name, "
     "written two ways", "make the name an alias of that entry, or name this term otherwise"),
    ("other-markdown-suffix", "delta.markdown", entry(),
     "delta.markdown: error: not read: term files end in '.md', not '.markdown'",
     "rename it to 'delta.md'"),
    ("upper-case-suffix", "Swish.MD", entry("Swish"),
     "Swish.MD: error: not read: term files end in '.md', not '.MD'", "rename it to 'swish.md'"),
    ("not-a-slug", "Leaky_ReLU.md", entry("Leaky ReLU"),
     "Leaky_ReLU.md: error: the file name 'Leaky_ReLU.md' is not a valid slug",
     "rename it to 'leaky-relu.md' (file names are lowercase letters, digits and hyphens"),
    ("unclosed-quote", "delta.md", '---\ntitle: "Delta\nsummary: x\ndifficulty: beginner\n---\nx\n',
     "delta.md:2: error: YAML syntax error in the front matter: found unexpected end of stream "
     "(in the quoted value that starts on line 2)", "check indentation and quoting"),
    ("blank-line-before-front-matter", "delta.md", "\n" + entry(),
     "delta.md:2: error: the front matter's opening '---' is not on the file's first line",
     "remove the blank lines above it"),
    ("blank-title", "delta.md", entry('"   "'),
     "delta.md:2: error: required field 'title' is empty", "add 'title: ...'"),
    ("reserved-slug", "index.md", entry("Index"),
     "index.md: error: the file name 'index.md' is reserved: the A–Z index is written there",
     "rename the file"),
    ("demo-fence-unknown", "delta.md", entry(body="## Why it matters\n\nx\n\n## Definition\n\n"
                                                  "```demo numpy-prob n=3\n```\n"),
     "delta.md:14: error: unknown demo 'numpy-prob'", "did you mean 'numpy-probe'?"),
    ("comment-cuts-summary", "delta.md", entry(summary="The #1 smooth activation."),
     "delta.md:3: error: 'summary': the rest of the line from ' #' was read as a YAML comment, "
     "not as part of the value",
     'to keep it, put the whole value in quotes: summary: "The #1 smooth activation."; for a '
     "comment, write a space after the '#'"),
    ("comment-cuts-list-item", "delta.md", entry(extra="aliases:\n  - SiLU\n  - Swish #1\n"),
     "delta.md:8: error: 'aliases' item 2: the rest of the line from ' #' was read as a YAML "
     "comment, not as part of the value", 'to keep it, put the whole item in quotes: "Swish #1"'),
    ("comment-cuts-reference-title", "delta.md", entry(
        extra="references:\n  - title: On #hashtags\n    authors: [A]\n    year: 2001\n"
              "    url: https://example.org/\n"),
     "delta.md:7: error: 'references' item 1: 'title': the rest of the line from ' #' was read "
     "as a YAML comment, not as part of the value",
     'to keep it, put the whole value in quotes: title: "On #hashtags"'),
    # A mapping where a list of names belongs: reported as such, not a crash reading the
    # comment's place as an item number.
    ("comment-in-a-mapping", "delta.md", entry(extra="aliases:\n  short: BL #x\n"),
     "delta.md:6: error: 'aliases': Expected a list but received: a mapping ({'short': 'BL'})",
     "write 'aliases: [a, b]'"),
    ("comma-separated-aliases", "delta.md", entry(extra="aliases: SiLU, SiL\n"),
     "delta.md:6: error: 'aliases': 'SiLU, SiL' was read as one item, not a list",
     """write 'aliases: [SiLU, SiL]' (or 'aliases: ["SiLU, SiL"]' if it is one item)"""),
    ("comma-separated-related", "delta.md", entry(extra="related: alpha-unit,beta-layer, gamma-net\n"),
     "delta.md:6: error: 'related': 'alpha-unit,beta-layer, gamma-net' was read as one item, "
     "not a list", "write 'related: [alpha-unit, beta-layer, gamma-net]'"),
    ("yaml-anchor-duplicate", "delta.md", entry(extra="keywords: &k [a, b]\naliases: *k\n"
                                                      "keywords: [c]\n"),
     "delta.md:8: error: field 'keywords' is given twice (also on line 6): YAML keeps only "
     "this one", "keep one 'keywords:' line"),
]


@pytest.mark.parametrize(("name", "filename", "content", "expected", "fix"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_file_line_and_fix(
        project: Path, name: str, filename: str, content: str, expected: str, fix: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    (project / "demos").mkdir(exist_ok=True)
    (project / "demos" / "gradient_decay.py").write_text(  # a stub, but one keeping the contract
        '"""Stub module for the id."""\nTITLE = "Stub"\nPARAMS = []\n\n\ndef run():\n'
        '    return {}\n')
    (project / "glossary" / filename).write_text(content, encoding="utf-8")

    code = main(["check", str(project / "glossary"), "--demos", str(project / "demos")])

    err = capsys.readouterr().err
    assert code == 1
    lines = err.splitlines()
    expected_line = f"{project / 'glossary'}/{expected}"
    assert expected_line in lines, err
    fix_line = lines[lines.index(expected_line) + 1]
    assert fix_line.startswith("    fix: ") and fix in fix_line, err
    assert "Traceback" not in err


def test_formulas_remembered_as_good_are_checked_again_once_changed(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    delta = project / "glossary" / "delta.md"
    delta.write_text(entry(body="## Why it matters\n\n$x^2$ and $y_1$.\n\n## Definition\n\n"
                                "It is.\n"), encoding="utf-8")
    assert main(["check", str(project / "glossary")]) == 0
    [cache] = (project / ".lexigraph-cache").glob("formulas-*.txt")
    remembered = set(cache.read_text().split())
    assert len(remembered) >= 2
    delta.write_text(entry(body="## Why it matters\n\n$x^2$ and $y_1^$.\n\n## Definition\n\n"
                                "It is.\n"), encoding="utf-8")
    assert main(["check", str(project / "glossary")]) == 1
    [line] = [x for x in capsys.readouterr().err.splitlines() if "error:" in x]
    assert line.startswith(f"{delta}:10: error: cannot convert the formula 'y_1^' to MathML: ")
    assert main(["check", str(project / "glossary"), "--no-cache"]) == 1


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed from now on (in this process: a small glossary)."""
    from lexigraph import load

    parsed: list[str] = []
    real = load.parse_entry

    def counted(path: Path, text: str) -> Any:
        parsed.append(path.name)
        return real(path, text)

    monkeypatch.setattr(load, "parse_entry", counted)
    return parsed


def test_a_second_check_parses_only_the_files_changed_since(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    glossary = project / "glossary"
    delta = glossary / "delta.md"
    delta.write_text(entry(), encoding="utf-8")
    assert main(["check", str(glossary)]) == 0
    stored_parses(project)
    parsed = _counting_parses(monkeypatch)

    assert main(["check", str(glossary)]) == 0
    assert parsed == []
    delta.write_text(entry(difficulty="2020-01-01"), encoding="utf-8")  # (a date, to YAML)
    assert main(["check", str(glossary)]) == 1
    assert parsed == ["delta.md"]
    report = capsys.readouterr().err
    assert f"{delta}:4: error: 'difficulty'" in report and "a date (2020-01-01)" in report
    # Read back, the entry keeps its problem; removed, it is gone with it.
    assert main(["check", str(glossary)]) == 1
    assert parsed == ["delta.md"]
    assert capsys.readouterr().err == report
    delta.unlink()
    assert main(["check", str(glossary)]) == 0
    assert "delta" not in capsys.readouterr().err
    assert parsed == ["delta.md"]


def test_parses_kept_by_a_build_are_read_by_the_next_and_by_check_with_its_paths(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(project, tmp_path / "site")
    parsed = _counting_parses(monkeypatch)
    build_site(project, tmp_path / "site")
    assert parsed == []
    monkeypatch.chdir(project)
    cache = Path(".lexigraph-cache")

    # The build named the folder by its full path, this names it from the project.
    terms, _, problems = pipeline.check(Path("glossary"), cache_dir=cache)

    assert parsed == [] and not problems
    assert terms and all(term.path == Path("glossary") / f"{slug}.md"
                         for slug, term in terms.items())
    # What parsing a file found wrong is kept with it, and told with the path given too.
    (project / "glossary" / "delta.md").write_text("---\ntitle: [Delta\n---\n")
    _, _, problems = pipeline.check(project / "glossary", cache_dir=cache)
    assert [p.path for p in problems] == [project / "glossary" / "delta.md"]
    _, _, again = pipeline.check(Path("glossary"), cache_dir=cache)
    assert parsed == ["delta.md"]
    assert again == [dataclasses.replace(p, path=Path("glossary/delta.md")) for p in problems]


def test_parses_are_kept_whatever_the_folder_is_named_or_the_process_can_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder whose name is not UTF-8 stopped `check` with a UnicodeEncodeError, and so did
    a fork refused for want of memory or processes; a value nested hundreds deep, which
    pickle cannot write, did so where the parses are written in this process."""
    from lexigraph import load

    glossary = tmp_path / os.fsdecode(b"caf\xe9") / "glossary"
    shutil.copytree(GOOD, glossary.parent, ignore=shutil.ignore_patterns(".lexigraph-cache"))
    (glossary / "deep.md").write_text(entry(title="Deep", extra="aliases: " + "[" * 600
                                            + "]" * 600 + "\n"), encoding="utf-8")

    def refused(work: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(load, "can_fork", lambda: True)
    monkeypatch.setattr(load, "Forked", refused)
    assert main(["check", str(glossary)]) == 1  # (the deep entry's problems, and no crash)
    assert not list((glossary.parent / ".lexigraph-cache").glob("parsed-*"))
    (glossary / "deep.md").unlink()
    parsed = _counting_parses(monkeypatch)
    assert main(["check", str(glossary)]) == 0
    assert main(["check", str(glossary)]) == 0
    assert len(parsed) == len(list(glossary.glob("*.md")))  # (the first time only)


def test_the_command_has_written_its_parses_when_it_ends(project: Path) -> None:
    """The command itself, in a process of its own (where a forked copy of it writes them)."""
    glossary = project / "glossary"
    command = [sys.executable, "-m", "lexigraph.cli", "check", str(glossary)]

    first = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert first.returncode == 0, first.stderr
    stored = stored_parses(project)
    assert stored.read_bytes().startswith(b"lexigraph parsed entries; code ")
    written = stored.stat().st_ino
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert (second.returncode, second.stdout) == (0, first.stdout)
    assert stored.stat().st_ino == written  # (nothing changed: not written again, only read)


def test_a_cache_folder_keeps_the_parses_of_the_glossaries_last_checked(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One file held one glossary's parses: checking another glossary with the same cache
    folder (the project's, or `--cache-dir`) threw the first one's away."""
    from lexigraph.load import StoredParses

    folders = [project / "glossary"]
    for number in range(StoredParses.KEEP):
        folders.append(project / f"other{number}")
        shutil.copytree(folders[0], folders[-1])
    cache = project / ".lexigraph-cache"
    for folder in folders[:2]:
        assert main(["check", str(folder), "--cache-dir", str(cache)]) == 0
    parsed = _counting_parses(monkeypatch)
    assert main(["check", str(folders[0]), "--cache-dir", str(cache)]) == 0
    assert parsed == []
    for folder in folders[2:]:  # one too many: the least recently used goes, folders[1]
        assert main(["check", str(folder), "--cache-dir", str(cache)]) == 0
    assert len(list(cache.glob("parsed-*.pickle"))) == StoredParses.KEEP
    parsed.clear()
    assert main(["check", str(folders[0]), "--cache-dir", str(cache)]) == 0
    assert parsed == []
    assert main(["check", str(folders[1]), "--cache-dir", str(cache)]) == 0
    assert sorted(parsed) == sorted(p.name for p in folders[1].glob("*.md"))


def test_an_entry_whose_formulas_are_not_known_has_them_found(project: Path) -> None:
    """check_glossary took an entry's formulas as found when it was parsed: an entry made
    another way had none, and its broken formulas were not reported."""
    from lexigraph.load import parse_entry
    from lexigraph.validate import check_glossary

    taxonomy, _ = pipeline.check_taxonomy(project / "glossary")
    assert taxonomy is not None
    path = project / "glossary" / "delta.md"
    parsed, _ = parse_entry(path, entry())
    assert parsed is not None and parsed.formulas == []
    broken = dataclasses.replace(parsed, body=parsed.body + "\n$x^$\n", formulas=None)
    _, problems = check_glossary([broken], taxonomy)
    assert [p.message.split(":")[0] for p in problems] == ["cannot convert the formula 'x^' to MathML"]


def test_a_damaged_or_foreign_parse_cache_is_parsed_again(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from lexigraph.load import parse_entry

    glossary = project / "glossary"
    assert main(["check", str(glossary)]) == 0
    stored = stored_parses(project)
    whole = stored.read_bytes()
    files = sorted(p.name for p in glossary.glob("*.md"))
    parsed = _counting_parses(monkeypatch)

    stored.write_bytes(whole[:len(whole) // 2])  # (a disk that filled up, say)
    assert main(["check", str(glossary)]) == 0
    assert sorted(parsed) == files and "Traceback" not in capsys.readouterr().err
    assert stored.read_bytes() == whole  # written whole again
    header, rest = whole.split(b"\n", 1)
    stored.write_bytes(header.replace(b"; code ", b"; code x") + b"\n" + rest)  # other code
    parsed.clear()
    assert main(["check", str(glossary)]) == 0
    assert sorted(parsed) == files
    text = (glossary / files[0]).read_text(encoding="utf-8")
    kept = parse_entry(glossary / files[0], text)[0]
    for wrong in (5, (text, kept, [], len(text) + 1)):  # (a body longer than its file)
        stored.write_bytes(header + b"\n" + pickle.dumps((str(glossary), {files[0]: wrong})))
        parsed.clear()
        assert main(["check", str(glossary)]) == 0
        assert sorted(parsed) == files
    # One that would run code as it is read (a poisoned CI cache) is not run.
    class Payload:
        def __reduce__(self) -> tuple[Any, tuple[str, str]]:
            return open, (str(project / "ran"), "w")

    stored.write_bytes(header + b"\n" + pickle.dumps((str(glossary), {"x.md": Payload()})))
    parsed.clear()
    assert main(["check", str(glossary)]) == 0
    assert sorted(parsed) == files and not (project / "ran").exists()
    stored.unlink()
    assert main(["check", str(glossary), "--no-cache"]) == 0
    assert not stored.exists()


def test_non_utf8_file_names_the_line_of_the_bad_byte(project: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (project / "glossary" / "delta.md").write_bytes(entry().encode() + b"caf\xe9\n")
    assert main(["check", str(project / "glossary")]) == 1
    err = capsys.readouterr().err
    assert f"{project / 'glossary'}/delta.md:15: error: the file is not valid UTF-8 (byte 0xe9 " \
           "at offset" in err
    assert "fix: save the file as UTF-8" in err


def test_prerequisite_cycle_prints_the_cycle(project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    alpha = project / "glossary" / "alpha-unit.md"
    alpha.write_text(alpha.read_text().replace("keywords:", "prerequisites: [gamma-net]\nkeywords:"))
    assert main(["check", str(project / "glossary")]) == 1
    err = capsys.readouterr().err
    assert (f"{alpha}:7: error: prerequisites form a cycle: alpha-unit -> beta-layer -> "
            "gamma-net -> alpha-unit (each is a prerequisite of the next)") in err


def test_all_problems_are_collected_in_one_pass(project: Path) -> None:
    (project / "glossary" / "delta.md").write_text(entry(difficulty="expert",
                                                         extra="related: [nope]\n"))
    (project / "glossary" / "epsilon.md").write_text("no front matter\n")
    with pytest.raises(GlossaryError) as info:
        build_glossary(project / "glossary")
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 3
    assert str(info.value).endswith("3 problems in 2 files.")


def test_a_duplicate_name_is_blamed_on_the_entry_written_last(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    glossary = project / "glossary"
    newer = glossary / "au.md"
    newer.write_text(entry("AU"))  # alpha-unit's alias, as a title
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert f"{newer}:2: error: duplicate name: title 'AU' is already the alias of " \
           "'alpha-unit.md'" in err
    alpha = glossary / "alpha-unit.md"
    os.utime(newer, (alpha.stat().st_mtime - 60,) * 2)  # now alpha-unit.md is the newer one
    assert main(["check", str(glossary)]) == 1
    assert f"{alpha}:" in capsys.readouterr().err


def test_a_name_that_is_another_terms_plural_is_a_problem(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The auto-linker reads plurals: "Alpha units" (or "AUs") mentioned anywhere linked to
    Alpha unit, so a term titled so was never linked by its own name. `check` and `new` say
    so, as for a name given twice."""
    glossary = project / "glossary"
    (glossary / "delta.md").write_text(entry("Alpha units"))
    assert main(["check", str(glossary)]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"{glossary / 'delta.md'}:2: error: title 'Alpha units' and the title 'Alpha unit' of "
        "'alpha-unit.md' are one name and its plural, so a mention of either would link to "
        "one of the two terms only",
        "    fix: name this term otherwise, or make the name an alias of that entry"]
    # Abbreviations are read in their capitals: AU's plural is AUs, not AUS, another name.
    (glossary / "delta.md").write_text(entry("Delta", extra="aliases: [AUS]\n"))
    assert main(["check", str(glossary)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    (glossary / "delta.md").unlink()
    assert main(["new", "AUs", "--dir", str(glossary)]) == 1
    assert "'AUs' is already the alias of 'alpha-unit.md' ('AU'), but for the plural; nothing " \
        "was written" in capsys.readouterr().err
    assert not (glossary / "aus.md").exists()


def test_links_to_pages_beside_the_terms_are_fine(project: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The A–Z index and hand-written pages in the terms folder are pages an entry may link
    to as "x.md", like another entry (the build knows the hand-written ones)."""
    (project / "glossary" / "delta.md").write_text(entry(
        body="## Why it matters\n\nSee the [index](index.md) and the [notes](notes.md).\n\n"
             "## Definition\n\nIt is.\n"))
    assert main(["check", str(project / "glossary")]) == 1  # the notes page: the build knows it
    assert "link to 'notes.md'" in capsys.readouterr().err
    (project / "docs" / "terms").mkdir()
    (project / "docs" / "terms" / "notes.md").write_text("# Notes\n")
    build_site(project, tmp_path / "site")
    assert (tmp_path / "site" / "terms" / "notes" / "index.html").is_file()
    # `check` in the project knows the site's pages as the build does (it reported this one).
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr().err
    # A draft there is left out of `mkdocs build`, which then fails: so does check.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "draft_docs: |\n  terms/notes.md\n")
    assert main(["check"]) == 1
    assert "link to 'notes.md': no entry has that file name" in capsys.readouterr().err


def the_same_report_stops_the_build(project: Path, tmp_path: Path, report: str,
                                    caplog: pytest.LogCaptureFixture) -> None:
    """``mkdocs build`` fails with ``report`` (what `lexigraph check` printed) before MkDocs
    empties the site folder."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "kept").write_text("the last good site")
    caplog.clear()
    with pytest.raises(Abort):
        build_site(project, site)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["the glossary has problems:\n" + report.rstrip("\n")]
    for record in errors:
        record.expected = True  # (see conftest._no_mkdocs_warnings)
    assert (site / "kept").is_file()


def what_mkdocs_reports_on_its_own(project: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The records of a build without `strict` in which the plugin leaves the entries' links
    to MkDocs (the oracle `check` must agree with)."""
    monkeypatch.setattr(pipeline, "check_site_links", lambda *args: [])
    caplog.clear()
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(project, tmp_path / "site", strict=False)
    for record in caplog.records:
        record.expected = True  # (the conftest guard: these warnings are the point)
    return caplog.records


def test_check_finds_the_broken_links_with_folders_the_build_would_report(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Links with a folder in them are MkDocs' to resolve in a build; `lexigraph check` knows
    the same pages (the site's own and those Lexigraph makes) and reports the same links."""
    (project / "docs" / "notes").mkdir()
    (project / "docs" / "notes" / "about.md").write_text("# About\n")
    (project / "docs" / "notes" / "draft.md").write_text("# Draft\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "draft_docs: |\n  notes/draft.md\n")
    fine = ("[a](../notes/about.md) [b](../domains/index.md) [c](../domains/optimization.md#top) "
            "[d](../difficulty/beginner.md) [e](../graph/index.md) [f](../index.md) "
            "[g](../terms/alpha-unit.md) [h](./beta-layer.md) [i](https://x.org/a/b.md) "
            "`[j](../no/such.md)`")
    broken = ("See [k](../notes/abut.md), [l](../domains/optimisation.md),\n"
              "[m](../notes/draft.md) and [n](../../outside.md).")
    (project / "glossary" / "delta.md").write_text(entry(
        body=f"## Why it matters\n\n{fine}\n\n## Definition\n\n{broken}\n"))
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    line = entry(body=f"## Why it matters\n\n{fine}\n\n## Definition\n\n").count("\n") + 1
    assert err == (
        f"glossary/delta.md:{line}: error: link to '../domains/optimisation.md': the site has "
        "no page 'domains/optimisation.md'\n"
        "    fix: did you mean '../domains/optimization.md'?\n"
        f"glossary/delta.md:{line}: error: link to '../notes/abut.md': the site has no page "
        "'notes/abut.md'\n"
        "    fix: did you mean '../notes/about.md'?\n"
        f"glossary/delta.md:{line + 1}: error: link to '../../outside.md': the site has no page "
        "'../outside.md' (it leads out of the site's folder)\n"
        "    fix: give the page's path from the term pages' folder, e.g. "
        "[Domains](../domains/index.md)\n"
        f"glossary/delta.md:{line + 1}: error: link to '../notes/draft.md': 'notes/draft.md' is "
        "a draft (draft_docs in mkdocs.yml), which `mkdocs build` leaves out of the site\n"
        "    fix: link it once it is no longer a draft, or link another page\n"
        "4 problems in 1 file.\n")
    # The build stops on them, before MkDocs starts, with the same report.
    the_same_report_stops_the_build(project, tmp_path, err, caplog)
    # What MkDocs makes of them on its own (the plugin's check left out): it warns of three of
    # those links (and no other), and says of the fourth that it leads to a page left out of
    # the site, at its INFO level (a strict build passes).
    records = what_mkdocs_reports_on_its_own(project, tmp_path, monkeypatch, caplog)
    warned = "\n".join(r.getMessage() for r in records if r.levelno == logging.WARNING)
    reported = sorted(re.findall(r"contains a link '([^']+)'.*?(?:Did you mean '([^']+)'|$)",
                                 warned, re.MULTILINE))
    assert reported == [("../../outside.md", ""),
                        ("../domains/optimisation.md", "../domains/optimization.md"),
                        ("../notes/abut.md", "../notes/about.md")]
    assert [(r.levelno, r.getMessage()) for r in records
            if "which is excluded" in r.getMessage()] == [(
                logging.INFO, f"glossary/delta.md:{line + 1}: the entry (its page terms/delta.md) "
                "contains a link to 'notes/draft.md' which is excluded from the built site.")]


def test_check_reads_folder_links_as_mkdocs_does(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    """Reference definitions, <targets with spaces>, percent-encoded paths, a link to an entry
    that has a problem of its own, a page exclude_docs leaves out, a home page named
    README.md and a terms_dir written with a slash: `check` agrees with the build."""
    docs = project / "docs"
    (docs / "index.md").rename(docs / "README.md")  # the home page: no index.md is made
    (docs / "my page.md").write_text("# Mine\n")
    (docs / "café.md").write_text("# Café\n")
    (docs / "old.md").write_text("# Old\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: old.md\n")
    config.write_text(config.read_text().replace("  - lexigraph\n",
                                                 "  - lexigraph:\n      terms_dir: terms/\n"))
    fine = ("[a](<../my page.md>) [b](../my%20page.md) [c](../caf%C3%A9.md) [d](./beta-layer.md) "
            "[e](../README.md) [f][ok]\n\n[ok]: ../domains/index.md")
    broken = "[g][nope] and [h](../index.md), [i](../old.md)\n\n[nope]: ../nope.md"
    (project / "glossary" / "delta.md").write_text(entry(
        body=f"## Why it matters\n\n{fine}\n\n## Definition\n\n{broken}\n"))
    beta = project / "glossary" / "beta-layer.md"  # a problem of its own: still a page to check
    beta.write_text(beta.read_text().replace("difficulty: intermediate", "difficulty: expert"))
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    found = sorted(re.findall(r"error: link to '([^']+)': (.*)", err))
    assert "    fix: did you mean '../README.md'?" in err.splitlines()  # (not terms/index.md)
    assert found == [
        ("../index.md", "the site has no page 'index.md'"),
        ("../nope.md", "the site has no page 'nope.md'"),
        ("../old.md", "'old.md' is excluded (exclude_docs in mkdocs.yml), which `mkdocs build` "
                      "leaves out of the site")], err
    beta.write_text(beta.read_text().replace("difficulty: expert", "difficulty: intermediate"))
    assert main(["check"]) == 1
    the_same_report_stops_the_build(project, tmp_path, capsys.readouterr().err, caplog)
    records = what_mkdocs_reports_on_its_own(project, tmp_path, monkeypatch, caplog)
    messages = [r.getMessage() for r in records if "glossary/delta.md" in r.getMessage()]
    assert sorted(re.findall(r"contains a link (?:to )?'([^']+)'", "\n".join(messages))) == [
        "../index.md", "../nope.md", "old.md"], messages


def test_a_broken_folder_link_is_reported_with_the_entrys_other_problems(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    """Every problem at once: an entry with a problem of its own (here, a new entry's
    placeholder summary) still has its links with folders checked."""
    monkeypatch.chdir(project)
    assert main(["new", "Delta unit"]) == 0
    capsys.readouterr()
    path = project / "glossary" / "delta-unit.md"
    path.write_text(path.read_text() + "\nSee [the notes](../notes.md) and ![a plot](../img/p.png).\n")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "error: this is still the placeholder text `lexigraph new` wrote" in err
    assert re.findall(r"error: link to '([^']+)'", err) == ["../img/p.png", "../notes.md"], err
    the_same_report_stops_the_build(project, tmp_path, err, caplog)


@pytest.mark.parametrize("validation", ["validation:\n  links:\n    absolute_links: "
                                        "relative_to_docs\n",
                                        "validation:\n  absolute_links: relative_to_docs\n"],
                         ids=["links", "short form"])
def test_check_reads_links_from_docs_dir_as_mkdocs_is_told_to(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validation: str,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    """With `absolute_links: relative_to_docs`, MkDocs reads a link starting with "/" from
    docs_dir and fails a strict build on a missing page: `check` does the same, and both name
    the closest page as a link from docs_dir."""
    (project / "docs" / "notes").mkdir()
    (project / "docs" / "notes" / "about.md").write_text("# About\n")
    (project / "glossary" / "delta.md").write_text(entry(body=(
        "## Why it matters\n\nSee [a](/notes/about.md), [b](/terms/alpha-unit.md#x) and "
        "[c](/domains/index.md).\n\n## Definition\n\nNot [d](/notes/abut.md) nor "
        "[e](/nope.md).\n")))
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr().err  # MkDocs leaves them as written
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + validation)
    assert main(["check"]) == 1
    text = (project / "glossary" / "delta.md").read_text()
    line = text.count("\n", 0, text.index("Not [d]")) + 1
    assert capsys.readouterr().err == (
        f"glossary/delta.md:{line}: error: link to '/nope.md': the site has no page 'nope.md'\n"
        "    fix: give the page's path from docs_dir, e.g. [Domains](/domains/index.md)\n"
        f"glossary/delta.md:{line}: error: link to '/notes/abut.md': the site has no page "
        "'notes/abut.md'\n"
        "    fix: did you mean '/notes/about.md'?\n"
        "2 problems in 1 file.\n")
    assert main(["check"]) == 1
    the_same_report_stops_the_build(project, tmp_path, capsys.readouterr().err, caplog)
    records = what_mkdocs_reports_on_its_own(project, tmp_path, monkeypatch, caplog)
    assert [r.getMessage() for r in records if r.levelno == logging.WARNING] == [
        f"glossary/delta.md:{line}: the entry (its page terms/delta.md) contains a link "
        f"'/notes/abut.md', but the target is not found among documentation files. "
        "Did you mean '/notes/about.md'?",
        f"glossary/delta.md:{line}: the entry (its page terms/delta.md) contains a link "
        "'/nope.md', but the target is not found among documentation files."]


def test_a_link_written_between_the_project_files_is_told_the_site_path(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An editor completes paths between files: from an entry, ../glossary/alpha-unit.md or
    ../docs/about.md, which the site does not have (the fix named an unrelated page)."""
    (project / "docs" / "about.md").write_text("# About\n")
    (project / "glossary" / "delta.md").write_text(entry(body=(
        "## Why it matters\n\nSee [a](../glossary/alpha-unit.md), [b](../docs/about.md).\n\n"
        "## Definition\n\nIt is.\n")))
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    fixes = [line for line in capsys.readouterr().err.splitlines() if "fix:" in line]
    why = " (links are read between the site's pages, not the project's files)"
    assert fixes == ["    fix: did you mean '../about.md'?" + why,
                     "    fix: link an entry by its file name alone: [alpha-unit](alpha-unit.md)" + why]


def test_footnotes_and_words_with_dots_are_not_links(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """"[^1]: cf. ..." was read as a reference definition to a file named "cf." (a review)."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "markdown_extensions:\n  - footnotes\n")
    (project / "glossary" / "delta.md").write_text(entry(body=(
        "## Why it matters\n\nNamed in 1991.[^1] Cheap.[^2]\n\n## Definition\n\nIt is.\n\n"
        "[^1]: cf. Hochreiter's diploma thesis.\n[^2]: deeplearningbook.org, chapter 6.\n")))
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr().err
    build_site(project, tmp_path / "site")  # strict


def test_check_takes_back_what_exclude_docs_takes_back_from_the_defaults(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """MkDocs leaves out dot folders unless exclude_docs takes them back ("!.assets/"); check
    read its defaults and the patterns apart, and reported a link the build publishes."""
    (project / "docs" / ".assets").mkdir()
    (project / "docs" / ".assets" / "fig.png").write_bytes(b"\x89PNG")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: |\n  !.assets/\n")
    (project / "glossary" / "delta.md").write_text(entry(body=(
        "## Why it matters\n\n![a figure](../.assets/fig.png)\n\n## Definition\n\nIt is.\n")))
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr().err
    site = build_site(project, tmp_path / "site")  # strict
    assert (site / ".assets" / "fig.png").is_file()


def test_code_blocks_are_shown_as_written_and_never_checked_as_text(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An indented code block, and a fence inside a list item, are code: neither `check` nor the
    build reads a link or a formula there, and no term named there is linked."""
    code = r"see [x](missing.md), [y](../nowhere/y.md), $\nocommand$ and Alpha unit"
    (project / "glossary" / "delta.md").write_text(entry(body=(
        f"## Why it matters\n\nAn example:\n\n    {code}\n\n- In a list:\n\n    ~~~\n"
        f"    {code}\n    ~~~\n\n## Definition\n\nIt is.\n")))
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr().err
    build_site(project, tmp_path / "site")  # strict
    html = (tmp_path / "site" / "terms" / "delta" / "index.html").read_text()
    blocks = re.findall(r"<pre.*?</pre>", html, re.DOTALL)
    assert [re.sub(r"<[^>]+>", "", b).strip() for b in blocks] == [code, code]
    assert "<a " not in "".join(blocks)


def test_raw_html_is_passed_on_as_written_and_never_checked_as_text(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown passes a block of raw HTML on untouched: term names there were auto-linked
    into literal "[Alpha unit](alpha-unit.md)" text, and links and formulas there, which
    never render, were checked."""
    raw = ("<pre>\nz = alpha(x)  # Alpha unit, [x](nope.md), $\\nocommand$\n</pre>\n\n"
           "<details><summary>Beta layer</summary>\nRaw text with Gamma net.\n</details>\n\n"
           "<table><tr><td>Alpha unit</td></tr></table>\n")
    (project / "glossary" / "delta.md").write_text(entry(body=(
        f"## Why it matters\n\n{raw}\n## Definition\n\nIt is a Beta layer.\n")))
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr().err
    build_site(project, tmp_path / "site")  # strict
    html = (tmp_path / "site" / "terms" / "delta" / "index.html").read_text()
    assert raw in html  # as written
    assert "](" not in html.split('<h2 id="definition"')[0].split("Why it matters")[1]
    assert 'It is a <a href="../beta-layer/"' in html  # the first mention outside it


def test_pages_mkdocs_leaves_out_are_not_checked_for_demos(project: Path, tmp_path: Path) -> None:
    (project / "docs" / "notes").mkdir()
    (project / "docs" / "notes" / "draft.md").write_text("# Draft\n\n```demo no-such-demo```\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: notes/\n")
    build_site(project, tmp_path / "site")  # no error: MkDocs does not build that page


def test_what_mkdocs_warns_of_in_docs_dir_is_said_once(project: Path, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """Lexigraph lists docs_dir before MkDocs does (to check demo fences before site/ is
    cleaned): MkDocs' own warnings about those files must not come twice."""
    (project / "docs" / "README.md").write_text("# Readme\n")
    build_site(project, tmp_path / "site", strict=False)
    said = [r for r in caplog.records if "conflicts with 'index.md'" in r.getMessage()]
    for record in caplog.records:
        record.expected = True  # type: ignore[attr-defined]
    assert len(said) == 1


def test_a_formula_with_an_unknown_command_fails_check_and_build_alike() -> None:
    from lexigraph.mathml import check_formulas

    for markup in (False, True):  # check converts to a tree, the build to MathML text
        # (Other formulas each time: what is known of a formula is kept for the process.)
        formulas = [(rf"\mathbb{{\Expect{markup}}}[x]", False), (rf"\mathrm{{\foo{markup}}}", True)]
        assert check_formulas(formulas, markup) == {
            formulas[0]: f"unknown command \\Expect{markup}",
            formulas[1]: f"unknown command \\foo{markup}"}


def test_a_fraction_missing_a_part_fails_check_and_build_alike() -> None:
    """latex2mathml writes one part and no error: the page showed the numerator alone."""
    from lexigraph.mathml import check_formulas

    for markup in (False, True):
        formulas = [(rf"\frac{{a{markup}}}", False), (rf"x_{markup} + \frac b", True),
                    (rf"\binom{{n{markup}}}", False), (rf"\overset{{a{markup}}}", False),
                    (rf"\frac{{a{markup}}}{{b}} + \tfrac12", False)]
        fraction = "a \\frac (or \\binom) has one part: write \\frac{a}{b}"
        assert check_formulas(formulas, markup) == {
            formulas[0]: fraction, formulas[1]: fraction, formulas[2]: fraction,
            formulas[3]: "an \\overset (or \\stackrel) has one part: write \\overset{a}{b}"}


@pytest.mark.parametrize("end", ["\r\n", "\r"], ids=["windows", "old-mac"])
def test_other_line_endings_are_read_like_unix_ones(project: Path, end: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (project / "glossary" / "delta.md").write_bytes(entry().replace("\n", end).encode())
    assert main(["check", str(project / "glossary")]) == 0, capsys.readouterr().err
    assert build_glossary(project / "glossary").terms["delta"].title == "Delta"


def test_files_that_cannot_be_read_are_problems_not_tracebacks(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = project / "glossary"
    (glossary / "folder.md").mkdir()
    (glossary / "dangling.md").symlink_to(project / "nowhere.md")
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert f"{glossary}/folder.md: error: this is a folder, not a term file" in err
    assert f"{glossary}/dangling.md: error: cannot read the file: No such file or directory" in err
    assert "fix: remove it, or point the link at an existing file" in err
    assert err.endswith("2 problems in 2 files.\n") and "Traceback" not in err


def test_a_link_to_itself_in_the_glossary_folder_is_a_problem_not_a_traceback(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder and an entry linked to themselves stopped `check` with "Too many levels of
    symbolic links" (OSError) while it looked for entries in folders."""
    glossary = project / "glossary"
    (glossary / "self").symlink_to("self")
    (glossary / "loop.md").symlink_to("loop.md")
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert f"{glossary}/loop.md: error: cannot read the file: Too many levels of symbolic " \
        "links" in err
    assert err.endswith("1 problem in 1 file.\n") and "Traceback" not in err


def test_an_invisible_character_is_named_with_its_line_in_entries_and_taxonomy(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Typed as a YAML escape, it passed `check` and made the GraphML and GEXF exports invalid
    XML; pasted in, YAML refused it at line 2 (the front matter's first), or at line 1 of the
    taxonomy, with a fix about quoting."""
    glossary = project / "glossary"
    (glossary / "delta.md").write_text(entry('"Bell\\a ring"', extra='keywords: [ok, "a\\x01b"]\n'))
    (glossary / "epsilon.md").write_text(entry("Epsilon", summary="A smooth\x0cone."))
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    fix = "    fix: delete it: it comes with text pasted from a PDF or a terminal"
    assert (f"{glossary}/delta.md:2: error: 'title' holds the invisible character U+0007, which "
            f"no page can show\n{fix}") in err
    assert f"{glossary}/delta.md:6: error: 'keywords' item 2 holds the invisible character " \
        "U+0001" in err
    assert (f"{glossary}/epsilon.md:3: error: YAML syntax error in the front matter: the "
            f"invisible character U+000C cannot be read\n{fix}") in err
    assert err.endswith("3 problems in 2 files.\n"), err
    # In a reference, and in the taxonomy, typed as escapes: the pages show those too.
    (glossary / "delta.md").write_text(entry(extra=(
        'references:\n  - title: Ok\n    authors: [Ann, "B\\x02b"]\n    year: 2001\n'
        '    url: https://example.org/\n')))
    (glossary / "epsilon.md").unlink()
    taxonomy = glossary / "_taxonomy.yml"
    lines = taxonomy.read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if "title:" in line and i > 2)
    lines[at] = lines[at].rstrip() + "\\a"
    lines[at] = lines[at].replace("title: ", 'title: "') + '"'
    taxonomy.write_text("\n".join(lines))
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert f"{glossary}/delta.md:8: error: 'references' item 1: 'authors' holds the invisible " \
        "character U+0002" in err
    assert f"{taxonomy}:{at + 1}: error: domains " in err
    assert "'title' holds the invisible character U+0007" in err
    assert err.endswith("2 problems in 2 files.\n"), err
    lines[at] = lines[at].replace("\\a", "\x07")  # pasted in: YAML refuses it
    taxonomy.write_text("\n".join(lines))
    assert main(["check", str(glossary)]) == 1
    assert (f"{taxonomy}:{at + 1}: error: YAML syntax error: the invisible character U+0007 "
            "cannot be read") in capsys.readouterr().err
    # A line break other than \n: YAML ended the line there, and read "one: x" as a field.
    lines[at] = lines[at].replace("\x07", "\u2029")
    taxonomy.write_text("\n".join(lines))
    assert main(["check", str(glossary)]) == 1
    assert (f"{taxonomy}:{at + 1}: error: the taxonomy holds the invisible line break U+2029, "
            "which YAML reads as the end of a line") in capsys.readouterr().err
    taxonomy.write_text("\n".join(lines).replace("\u2029", ""))
    (glossary / "eta.md").write_text(entry("Eta", summary="A smooth\x85one: x"))
    assert main(["check", str(glossary)]) == 1
    assert (f"{glossary}/eta.md:3: error: the front matter holds the invisible line break U+0085"
            ) in capsys.readouterr().err
    (glossary / "eta.md").unlink()
    # In the body: a terminal's colour code pasted in (kept between runs with the parse).
    (glossary / "zeta.md").write_text(entry("Zeta", body="## Why it matters\n\nIt\x1b[0m does."
                                            "\n\n## Definition\n\nIt is.\n"))
    for _ in range(2):
        assert main(["check", str(glossary)]) == 1
        assert (f"{glossary}/zeta.md:10: error: the body holds the invisible character U+001B, "
                "which no page can show\n    fix: delete it: it comes with text pasted from a "
                "PDF or a terminal\n") in capsys.readouterr().err


def test_an_unreadable_entry_is_still_a_known_term(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """One broken file gives one problem: entries linking to it get no "unknown term" error
    (with a wrong "did you mean" hint) of their own."""
    glossary = project / "glossary"
    (glossary / "delta.md").write_text(entry(extra="aliases: [unclosed\n"))
    (glossary / "epsilon.md").write_text(entry("Epsilon", extra="related: [delta]\n"))
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert "delta.md:6: error: YAML syntax error" in err
    assert err.endswith("1 problem in 1 file.\n"), err


def test_a_broken_taxonomy_group_is_one_problem(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = project / "glossary" / "_taxonomy.yml"
    data = yaml.safe_load(taxonomy.read_text())
    data["domains"] = list(data["domains"])  # a list of keys, not a mapping
    taxonomy.write_text(yaml.safe_dump(data))
    assert main(["check", str(project / "glossary")]) == 1
    err = capsys.readouterr().err
    assert f"{taxonomy}:1: error: 'domains' must be a non-empty mapping" in err
    assert err.endswith("1 problem in 1 file.\n"), err


def test_taxonomy_mistakes_are_reported_where_they_are_and_its_short_form_keeps_titles(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt group was ignored (its entries then blamed against an empty list), a
    category's misspelt field too, and `key: Title` lost its title."""
    taxonomy = project / "glossary" / "_taxonomy.yml"
    taxonomy.write_text("domains:\n  fundamentals: Basic ideas\n  optimization:\n"
                        "    titel: Optimization\nindustry:\n  healthcare: Healthcare\n")
    assert main(["check", str(project / "glossary")]) == 1
    err = capsys.readouterr().err
    assert f"{taxonomy}:4: error: domains 'optimization': unknown field 'titel'\n" \
        "    fix: did you mean 'title'?" in err
    assert f"{taxonomy}:5: error: unknown key 'industry'\n    fix: did you mean 'industries'?" in err
    # alpha-unit names an industry: the taxonomy has none, and the message says so.
    assert "alpha-unit.md:6: error: 'industries': 'healthcare' is not in _taxonomy.yml, which " \
        "defines no industries\n    fix: add an 'industries:' mapping" in err
    assert "\\n" not in err
    taxonomy.write_text("domains:\n  fundamentals: Basic ideas\n  optimization: {}\n"
                        "  activation-functions:\n  initialization:\n  architectures:\n"
                        "  normalization:\n  sequence-models:\n  training-dynamics:\n"
                        "industries: {healthcare: Health care, finance: , automotive: ,"
                        " speech-and-audio: , language-technology: , computer-vision: ,"
                        " robotics: , scientific-computing: }\n")
    assert main(["check", str(project / "glossary")]) == 0
    glossary = build_glossary(project / "glossary", project / "demos")
    assert glossary.taxonomy.domains["fundamentals"].title == "Basic ideas"
    assert glossary.taxonomy.industries["healthcare"].title == "Health care"
    assert glossary.taxonomy.domains["sequence-models"].title == "Sequence models"


def test_every_problem_of_a_reference_is_reported(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (project / "glossary" / "delta.md").write_text(entry(
        extra="references:\n  - title: T\n    authors: [A]\n    year: '2015'\n"
              "    url: ftp://example.org/x\n"))
    assert main(["check", str(project / "glossary")]) == 1
    err = capsys.readouterr().err
    assert "delta.md:9: error: 'references' item 1: 'year' Expected a four-digit year but " \
           "received: '2015'\n    fix: write the year without quotes: year: 2015" in err
    assert "delta.md:10: error: 'references' item 1: 'url' Expected a web address" in err
    assert err.endswith("2 problems in 1 file.\n"), err


def test_demo_fences_in_entries_are_checked_all_at_once(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`lexigraph check` runs each placed demo as the build would, reports every bad word of a
    fence (the unknown name and the value out of range), and finds demos/ beside the glossary
    from wherever it is run."""
    glossary = project / "glossary"
    (glossary / "delta.md").write_text(entry(
        body="## Why it matters\n\nx\n\n## Definition\n\n```demo numpy-probe n=9 m=2\n```\n",
        extra="demo: numpy-probe\n"))
    monkeypatch.chdir(glossary)
    assert main(["check", "."]) == 1
    err = capsys.readouterr().err
    assert "delta.md:15: error: demo 'numpy-probe': no parameter 'm'" in err
    assert ("delta.md:15: error: demo 'numpy-probe': n: 9 is outside the slider's range, 2 to 8: t"
            "he slider would show another value than the chart") in err
    assert "    fix: set n to an integer from 2 to 8" in err
    assert err.endswith("2 problems in 1 file.\n"), err


def test_a_bad_demo_fence_leaves_the_previous_site_intact(
        project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = build_site(project, tmp_path / "out")
    before = {p.relative_to(site): p.stat().st_mtime_ns for p in site.rglob("*")}
    beta = project / "glossary" / "beta-layer.md"
    beta.write_text(beta.read_text() + "\n```demo numpy-probe n=20\n```\n")
    (project / "docs" / "index.md").write_text("# Home\n\n```demo numpy-probe k=2```\n")
    with pytest.raises(Abort):
        build_site(project, site)
    assert "glossary/beta-layer.md:" in caplog.text and "n: 20 is outside" in caplog.text
    assert "docs/index.md:3: error: demo 'numpy-probe': no parameter 'k'\n" \
           "    fix: write name=value with: n (an integer from 2 to 8)" in caplog.text
    caplog.clear()
    assert {p.relative_to(site): p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_a_clean_glossary_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(GOOD / "glossary"), "--demos", str(GOOD / "demos")]) == 0
    assert "3 terms, no problems." in capsys.readouterr().out


def test_the_command_says_one_term_and_names_a_missing_subcommand(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It said "1 terms", and "arguments are required: pyodide_command" (an internal name)."""
    glossary = project / "glossary"
    for name in ("beta-layer.md", "gamma-net.md"):
        (glossary / name).unlink()
    (glossary / "alpha-unit.md").write_text(entry("Alpha unit"))
    assert main(["check", str(glossary)]) == 0
    assert capsys.readouterr().out == f"{glossary}: 1 term, no problems.\n"
    for command in ("pyodide", "frontend"):
        with pytest.raises(SystemExit):
            main([command])
        assert capsys.readouterr().err.endswith(
            f"lexigraph {command}: error: the following arguments are required: COMMAND\n")


def test_failed_build_reports_problems_and_writes_nothing(
        project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (project / "glossary" / "delta.md").write_text(entry(difficulty="expert"))
    site = tmp_path / "out"
    with pytest.raises(Abort):
        build_site(project, site)
    assert "glossary/delta.md:4: error: 'difficulty': Expected one of:" in caplog.text
    caplog.clear()  # the error was expected
    assert not site.exists()


def test_failed_build_leaves_the_previous_site_intact(
        project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = build_site(project, tmp_path / "out")
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    (project / "glossary" / "delta.md").write_text("---\ntitle: [\n---\n")
    with pytest.raises(Abort):
        build_site(project, site)
    assert "delta.md:2: error: YAML syntax error" in caplog.text
    caplog.clear()
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_mkdocs_build_command_prints_report_without_traceback(project: Path) -> None:
    import subprocess
    import sys

    (project / "glossary" / "delta.md").write_text(entry(difficulty="expert"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d",
                             str(project / "out")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "glossary/delta.md:4: error: 'difficulty': Expected one of:" in result.stderr
    assert "fix: use one of beginner, intermediate, advanced" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


def test_new_scaffolds_a_valid_entry_and_never_overwrites(project: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    glossary = project / "glossary"
    assert main(["new", "Leaky Delta/Unit", "--dir", str(glossary)]) == 0
    created = glossary / "leaky-delta-unit.md"
    text = created.read_text()
    for field in ("title:", "summary:", "difficulty:", "domains:", "industries:", "keywords:",
                  "aliases:", "related:", "prerequisites:", "references:", "## Why it matters",
                  "## Definition", "## Example"):
        assert field in text
    # Complete in form; what the author must still write is reported until it is written.
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert err.count("placeholder") == 5 and err.endswith("5 problems in 1 file.\n"), err
    # The summary's placeholder is on the line after 'summary: >-'.
    assert text.split("\n")[2:4] == ["summary: >-", f"  {SUMMARY_PLACEHOLDER}"]
    assert f"{created}:4: error: 'summary' is still the placeholder" in err
    for placeholder in (SUMMARY_PLACEHOLDER, *BODY_PLACEHOLDERS):
        text = text.replace(placeholder, "Own words about it. ")
    created.write_text(text)
    assert main(["check", str(glossary)]) == 0, capsys.readouterr().err
    created.write_text(text + "\nedited\n")
    assert main(["new", "Leaky Delta/Unit", "--dir", str(glossary)]) == 1
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert created.read_text().endswith("edited\n")


def test_new_keeps_the_title_as_typed(project: Path) -> None:
    glossary = project / "glossary"
    for title, slug in (('Regex \\d "class"', "regex-d-class"),
                        ("Kernel \\beta trick", "kernel-beta-trick"),
                        # Greek letters spelt out: dropped, they left another term's name.
                        ("α-dropout", "alpha-dropout"),
                        # So are the symbols that name: C++ was c.md. And C# was refused
                        # beside C++, as the same name but for punctuation.
                        ("C++", "c-plus-plus"), ("C#", "c-sharp"), ("C", "c")):
        assert main(["new", title, "--dir", str(glossary)]) == 0
        front = split_front_matter((glossary / f"{slug}.md").read_text(encoding="utf-8"))
        assert front is not None and yaml.safe_load(front[0])["title"] == title


@pytest.mark.parametrize(("title", "taxonomy", "message"), [
    ("Index", None, "error: the file name 'index.md' is reserved"),
    ("正規化", None, "error: cannot make a file name from '正規化'"),
    ("Word " * 20, None, "error: the title makes a file name of 99 characters, too long"),
    # An invisible character no page can show, and that XML exports cannot hold.
    ("Gate\a", None, "error: the title holds the invisible character U+0007"),
    ("Gate\tway", None, "error: a title is one line of text, without tabs"),
    ("Gate\rway", None, "error: a title is one line of text, without tabs"),
    # Another term's title but for punctuation: a + between words is one (C++ is a name).
    ("Alpha+unit", None, "'Alpha+unit' is already the title of 'alpha-unit.md' ('Alpha unit'), "
                         "but for spaces, hyphens or punctuation"),
    ("First term", "domains:\n", "_taxonomy.yml:1: error: 'domains' must be a non-empty mapping"),
    # A name another term has: `check` would refuse the entry (as a duplicate name).
    ("au", None, "alpha-unit.md:8: error: 'au' is already the alias of 'alpha-unit.md'; nothing "
                 "was written\n    fix: add what you meant to write to this entry, or give the "
                 "new term a title no other term has"),
])
def test_new_writes_nothing_when_it_cannot_write_a_valid_entry(
        project: Path, title: str, taxonomy: str | None, message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    glossary = project / "glossary"
    if taxonomy is not None:
        (glossary / "_taxonomy.yml").write_text(taxonomy)
    before = sorted(glossary.iterdir())
    assert main(["new", title, "--dir", str(glossary)]) in (1, 2)
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert sorted(glossary.iterdir()) == before


@pytest.mark.parametrize("failure", ["open", "write"])
def test_new_says_why_it_cannot_write_and_leaves_no_half_entry(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        failure: str) -> None:
    # A glossary folder the user may not write in (as root, permissions do not apply: the
    # refusal is simulated), or a disk that fills up while the entry is written.
    glossary = project / "glossary"
    before = sorted(glossary.iterdir())
    target = glossary / "gamma-unit.md"
    opened = Path.open

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[:10])
            raise OSError(28, "No space left on device", str(target))

    def refusing(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path != target:
            return opened(path, *args, **kwargs)
        if failure == "open":
            raise PermissionError(13, "Permission denied", str(path))
        return FullDisk(opened(path, *args, **kwargs))

    monkeypatch.setattr(Path, "open", refusing)
    assert main(["new", "Gamma unit", "--dir", str(glossary)]) == 2
    reason = "Permission denied" if failure == "open" else "No space left on device"
    assert capsys.readouterr().err == (
        f"{target}: error: cannot write the new entry: {reason}; nothing was written\n"
        "    fix: check that you may write in the glossary folder and that its disk has room\n")
    assert sorted(glossary.iterdir()) == before


def test_new_says_so_when_it_cannot_list_the_glossary_folder(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import lexigraph.load

    glossary = project / "glossary"

    def unlistable(directory: Path, *args: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(directory))

    monkeypatch.setattr(lexigraph.load, "load_entries", unlistable)
    assert main(["new", "Gamma unit", "--dir", str(glossary)]) == 2
    assert capsys.readouterr().err == (
        f"{glossary}: error: cannot read the glossary folder: Permission denied; nothing was "
        "written\n    fix: check that you may read it\n")
    assert not (glossary / "gamma-unit.md").exists()


def test_new_refuses_a_title_another_term_has_under_another_file_name(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    glossary = project / "glossary"
    (glossary / "eps.md").write_text(entry("Epsilon function"))
    monkeypatch.chdir(project)
    assert main(["new", "EPSILON function "]) == 1
    assert capsys.readouterr().err == (
        "glossary/eps.md:2: error: 'EPSILON function' is already the title of 'eps.md'; "
        "nothing was written\n    fix: add what you meant to write to this entry, or give the "
        "new term a title no other term has\n")
    assert not (glossary / "epsilon-function.md").exists()


def test_new_refuses_a_title_another_term_writes_with_a_space(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert main(["new", "AlphaUnit"]) == 1
    assert "'AlphaUnit' is already the title of 'alpha-unit.md' ('Alpha unit'), but for " \
        "spaces, hyphens or punctuation; nothing was written" in capsys.readouterr().err
    assert not (project / "glossary" / "alphaunit.md").exists()
    assert sorted(p.name for p in (project / "glossary").glob("alpha*")) == ["alpha-unit.md"]


@pytest.mark.parametrize("fast", [True, False], ids=["plain YAML", "YAML with an anchor"])
def test_a_number_as_title_or_summary_is_kept_as_written(
        project: Path, fast: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML reads ``1.10`` as the number 1.1 and ``0x1F`` as 31; the author wrote a title."""
    anchor = "" if fast else "keywords: &k [a]\naliases: [D1]\n"
    (project / "glossary" / "delta.md").write_text(entry("1.10", summary="0x1F", extra=anchor))
    assert main(["export", "terms", "--dir", str(project / "glossary"), "--format", "json"]) == 0
    terms = {t["slug"]: t for t in json.loads(capsys.readouterr().out)["terms"]}
    assert (terms["delta"]["title"], terms["delta"]["summary"]) == ("1.10", "0x1F")


def test_problems_found_in_worker_processes_are_those_found_in_one(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A large glossary is parsed and its formulas converted in several processes: the report
    must not change (same problems, same order, same lines)."""
    import lexigraph.load
    import lexigraph.mathml
    import lexigraph.parallel

    glossary = project / "glossary"
    for i in range(12):
        (glossary / f"extra-{i:02d}.md").write_text(entry(
            f"Extra {i}", body=f"## Why it matters\n\n$x^{{{i}70011}}$ and $\\frac{{a}}{{{i}}}$."
                               "\n\n## Definition\n\nIt is.\n"), encoding="utf-8")
    (glossary / "extra-03.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    (glossary / "extra-07.md").write_text(entry("Extra 7", body="## Why it matters\n\n"
                                                "$y^{70011}_$ fails.\n\n## Definition\n\nx\n"),
                                          encoding="utf-8")
    (glossary / "extra-09.md").write_text(entry("Extra 9", difficulty="expert"), encoding="utf-8")

    def report() -> str:
        assert main(["check", str(glossary), "--no-cache"]) == 1
        return capsys.readouterr().err

    alone = report()
    pools: list[int] = []

    class Counted(lexigraph.parallel.ProcessPoolExecutor):  # type: ignore[misc]
        def __init__(self, workers: int, **kwargs: object) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(lexigraph.parallel, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(lexigraph.parallel, "cpus", lambda: 2)
    monkeypatch.setattr(lexigraph.load, "PARALLEL_FROM", 2)
    monkeypatch.setattr(lexigraph.mathml, "PARALLEL_FROM", 2)
    lexigraph.mathml._invalid.clear()  # converted above: convert them again, in workers
    lexigraph.mathml._valid.clear()
    shared = report()
    assert pools == [2, 2], "parsing and converting should each have used two processes"
    assert shared == alone
    for expected in ("extra-03.md:2: error: YAML syntax error",
                     "extra-07.md:10: error: cannot convert the formula 'y^{70011}_' to MathML",
                     "extra-09.md:4: error: 'difficulty'"):
        assert expected in shared, shared


def test_mathml_made_in_worker_processes_is_what_one_process_makes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import lexigraph.mathml as mathml
    import lexigraph.parallel

    formulas = [(f"\\sqrt{{{i}}} + x_{{{i}}}^{{90017}}", i % 2 == 0) for i in range(8)]
    formulas.append(("\\frac{1}{", False))
    monkeypatch.setattr(lexigraph.parallel, "cpus", lambda: 2)
    monkeypatch.setattr(mathml, "PARALLEL_FROM", 2)
    failed = mathml.check_formulas(formulas, markup=True)
    assert list(failed) == [("\\frac{1}{", False)]
    for tex, display in formulas[:-1]:
        shared = mathml.to_mathml(tex, display)
        assert shared == mathml._to_mathml(tex, display)
        assert shared.startswith('<math alttext="') and "90017" in shared


# --- The command line reads the project's mkdocs.yml --------------------------------------------

@pytest.fixture
def renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini project with other folder names and URL layout, set in mkdocs.yml the way
    projects write it (with tags PyYAML's safe loader does not know), run from its folder."""
    root = tmp_path / "renamed"
    shutil.copytree(FIXTURES / "mini", root, ignore=shutil.ignore_patterns(".lexigraph-cache"))
    (root / "glossary").rename(root / "words")
    (root / "demos").rename(root / "code")
    (root / "mkdocs.yml").write_text(
        "site_name: Renamed\nsite_url: https://example.org/g\nuse_directory_urls: false\n"
        "docs_dir: docs\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search:\n      enabled: !ENV [SEARCH, true]\n"
        "  - lexigraph:\n      glossary_dir: words\n      demos_dir: code\n      terms_dir: t\n")
    monkeypatch.chdir(root)
    return root


def test_check_new_and_export_work_on_the_folders_mkdocs_yml_names(
        renamed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr()
    assert "words: 3 terms, no problems." in out.out and "no demos folder" not in out.err
    assert main(["export", "terms", "--format", "json"]) == 0
    urls = [t["url"] for t in json.loads(capsys.readouterr().out)["terms"]]
    assert urls == [f"https://example.org/g/t/{s}.html"
                    for s in ("alpha-unit", "beta-layer", "gamma-net")]
    site = build_site(renamed, renamed / "site")  # and the site agrees with the export
    assert (site / "t" / "alpha-unit.html").is_file()
    assert main(["new", "Delta unit"]) == 0
    assert (renamed / "words" / "delta-unit.md").is_file()


def test_check_inside_the_glossary_folder_checks_it(
        renamed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(renamed / "words")  # no mkdocs.yml here, but _taxonomy.yml
    assert main(["check", "--demos", str(renamed / "code")]) == 0
    assert ".: 3 terms, no problems." in capsys.readouterr().out


def test_without_a_glossary_or_with_a_broken_mkdocs_yml_the_cli_says_what_to_do(
        renamed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (renamed / "words").rename(renamed / "gone")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "words: error: no such folder (glossary_dir of mkdocs.yml)" in err
    assert "fix: create it, or set the plugin's glossary_dir in mkdocs.yml" in err \
        and "Traceback" not in err
    for command in (["new", "X"], ["check"], ["export", "terms", "--format", "csv"]):
        assert main([*command, "--dir", "elsewhere"]) == 2  # a folder given: not mkdocs.yml's
        assert capsys.readouterr().err == ("elsewhere: error: no such folder\n    fix: check "
                                           "the folder's name: the glossary folder is the one "
                                           "holding _taxonomy.yml\n"), command
    (renamed / "gone" / "entry.md").write_text("x")  # an entry's file named for the folder
    assert main(["check", str(renamed / "gone" / "entry.md")]) == 2
    assert capsys.readouterr().err == (
        f"{renamed / 'gone' / 'entry.md'}: error: this is a file, not a folder\n"
        f"    fix: name the folder that holds it: `lexigraph check {renamed / 'gone'}` checks "
        "every entry there at once\n")
    (renamed / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - lexigraph: [\n")
    assert main(["export", "terms", "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mkdocs.yml:4: error: not valid YAML") and "fix:" in err
    monkeypatch.chdir(renamed / "docs")  # no project, no glossary
    assert main(["new", "X"]) == 2
    assert "glossary: error: no such folder\n    fix:" in capsys.readouterr().err


def test_editor_files_beside_the_entries_are_not_entries(project: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Emacs keeps `.#relu.md`, a dangling link, while a buffer is unsaved: it broke every
    preview, named by its target (no such file to be seen). Dot files are not entries; a
    broken link that is one is named by its own name."""
    glossary = project / "glossary"
    (glossary / ".#alpha-unit.md").symlink_to("root@host.12345:1765000000")
    (glossary / ".alpha-unit.md.autosave.md").write_text("junk")
    assert main(["check", str(glossary)]) == 0
    (glossary / "delta.md").symlink_to("nowhere@host")
    assert main(["check", str(glossary)]) == 1
    err = capsys.readouterr().err
    assert "delta.md: error: cannot read the file" in err and "nowhere@host:" not in err
    build = build_glossary  # the build reads the same files
    with pytest.raises(GlossaryError) as raised:
        build(glossary, project / "demos")
    assert [p.path.name for p in raised.value.problems] == ["delta.md"]
    # As the plugin reports it, relative to the project: the link's name, not its target's,
    # also when the project is reached through a link (MkDocs does not resolve page paths).
    assert raised.value.problems[0].location(project) == "glossary/delta.md"
    (project.parent / "via").symlink_to(project)
    problem = dataclasses.replace(raised.value.problems[0],
                                  path=project.parent / "via" / "glossary" / "delta.md")
    assert problem.location(project.resolve()) == "glossary/delta.md"


def test_check_reports_demo_fences_in_the_sites_own_pages(
        renamed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` said "no problems" where the build then failed on a demo fence in a page of
    docs_dir. Pages MkDocs leaves out (dot folders, exclude_docs) are not checked."""
    fence = "# About\n\nText.\n\n```demo numpy-probe n=50\n```\n"
    (renamed / "docs" / "about.md").write_text(fence)
    (renamed / "docs" / ".drafts").mkdir()
    (renamed / "docs" / ".drafts" / "old.md").write_text(fence)
    (renamed / "docs" / "skipped.md").write_text(fence)
    (renamed / "docs" / "more.markdown").write_text(fence.replace("n=50", "n=60"))
    config = renamed / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: |\n  skipped.md\n")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err == ("docs/about.md:5: error: demo 'numpy-probe': n: 50 is outside the slider's range, 2 to 8: t"
                   "he slider would show another value than the chart\n    fix: set n to an integer from 2 to 8\n"
                   "docs/more.markdown:5: error: demo 'numpy-probe': n: 60 is outside the slider's range, 2 to 8: t"
                   "he slider would show another value than the chart\n    fix: set n to an integer from 2 to 8\n"
                   "2 problems in 2 files.\n")


def test_check_reports_an_unknown_block_in_the_sites_own_pages(
        renamed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` said "no problems" where a strict build then failed (after rewriting site/) on
    a mistyped <!-- lexigraph:recent -->."""
    (renamed / "docs" / "about.md").write_text("---\ntitle: About\n---\n\n# About\n\n"
                                               "<!-- lexigraph:recnet -->\n\nA page may show "
                                               "one: `<!-- lexigraph:mine -->`.\n\n```html\n"
                                               "<!-- lexigraph:yours -->\n```\n")
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        "docs/about.md:7: error: unknown block <!-- lexigraph:recnet -->\n"
        "    fix: write <!-- lexigraph:recent -->; the blocks are browse, core-concepts, recent\n"
        "1 problem in 1 file.\n")


def test_the_cli_reads_inherit_and_env_as_mkdocs_does(
        renamed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`site_url: !ENV [...]` became "" (relative export URLs) and settings in an INHERITed
    file were not seen (the CLI looked for glossary/)."""
    config = (renamed / "mkdocs.yml").read_text()
    (renamed / "base.yml").write_text(config.replace("site_url: https://example.org/g\n", ""))
    (renamed / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_url: !ENV [LX_SITE_URL, 'https://example.org/fallback/']\n")
    monkeypatch.delenv("LX_SITE_URL", raising=False)
    assert main(["export", "terms", "--format", "json"]) == 0
    urls = [t["url"] for t in json.loads(capsys.readouterr().out)["terms"]]
    assert urls[0] == "https://example.org/fallback/t/alpha-unit.html"
    monkeypatch.setenv("LX_SITE_URL", "https://example.org/set/")
    assert main(["export", "terms", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["terms"][0]["url"].startswith(
        "https://example.org/set/t/")


def test_the_cli_keeps_its_cache_beside_mkdocs_yml_also_for_a_glossary_in_docs_dir(
        renamed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Beside docs/words it would sit in docs/, which `mkdocs serve` watches: every check
    would rebuild the preview."""
    (renamed / "words").rename(renamed / "docs" / "words")
    config = renamed / "mkdocs.yml"
    config.write_text(config.read_text().replace("glossary_dir: words", "glossary_dir: docs/words"))
    assert main(["check"]) == 0
    assert (renamed / ".lexigraph-cache").is_dir() and not (renamed / "docs" / ".lexigraph-cache").exists()


def test_env_values_are_scalars_as_mkdocs_reads_them(
        renamed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`!ENV` was parsed as a whole YAML document: '@team/docs' failed, 'yes' crashed."""
    config = renamed / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "site_url: https://example.org/g", "site_url: !ENV [LX_URL, https://example.org/g]"))
    for value, prefix in (("@team/docs", "@team/docs/t/"), ("yes", "t/"), ("a: b", "a: b/t/")):
        monkeypatch.setenv("LX_URL", value)
        assert main(["export", "terms", "--format", "json"]) == 0, value
        assert json.loads(capsys.readouterr().out)["terms"][0]["url"].startswith(prefix), value
    (renamed / "mkdocs.yml").write_text("INHERIT: gone.yml\n")
    assert main(["check"]) == 2
    assert "fix: correct the INHERIT that names it" in capsys.readouterr().err


def test_check_takes_the_folder_as_argument_or_with_dir_but_not_both(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check --dir X` checked the default folder: the positional argument, sharing its
    dest, overwrote X with None."""
    glossary = project / "glossary"
    assert main(["check", "--dir", str(tmp_path / "nothere")]) == 2
    assert f"{tmp_path / 'nothere'}: error: no such folder" in capsys.readouterr().err
    (glossary / "delta.md").write_text(entry(difficulty="expert"))
    for args in ([str(glossary)], ["--dir", str(glossary)]):
        assert main(["check", *args]) == 1, args
        assert "delta.md:4: error: 'difficulty'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["check", str(glossary), "--dir", str(glossary)])
    assert raised.value.code == 2
    assert "error: argument --dir: not allowed with argument directory" in \
        capsys.readouterr().err


def test_a_hash_that_cuts_nothing_is_not_a_problem(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Quoted and block values keep their '#'; a comment after a value from a fixed list (as
    `lexigraph new` writes them) or after a list in brackets cuts nothing off; and a comment
    written as one ('# ' and words) is taken for one."""
    (project / "glossary" / "delta.md").write_text(entry(
        '"Delta #1"  # as in the paper', summary=">-\n  The #1 smooth activation, # and all.",
        difficulty="beginner     # beginner | intermediate | advanced",
        domains="[fundamentals]  # from _taxonomy.yml",
        extra="keywords: ['C #', \"x #y\"]  # more\naliases: |-\n  Delta #2\n"
              "industries: [healthcare]  #\n"
              "references:\n  - title: 'On #hashtags'\n    authors:\n      - A  # the first\n"
              "    year: 2001  # ok\n"
              "    url: https://example.org/#part\n"))
    assert main(["check", str(project / "glossary")]) == 0, capsys.readouterr().err
    delta = build_glossary(project / "glossary").terms["delta"]
    assert (delta.title, delta.summary, delta.aliases) == (
        "Delta #1", "The #1 smooth activation, # and all.", ("Delta #2",))


def test_paths_in_a_report_are_relative_to_the_project_and_files_counted_once(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    """A demo's problems came as `/abs/demos/x.py:8` beside `demos/x.py:3` ("2 problems in 2
    files" for one file), and the hint naming the placement held an absolute path, in the
    build's report too."""
    (project / "demos" / "broken_probe.py").write_text(
        '"""A demo whose run() fails."""\nTITLE = "Broken"\nTERMS = ["nope"]\nPARAMS = []\n\n\n'
        'def run():\n    return {"chart": 1 / 0}\n')
    (project / "glossary" / "delta.md").write_text(entry(extra="demo: broken-probe\n"))
    expected = ("demos/broken_probe.py:3: error: TERMS: no entry has the slug 'nope'\n",
                "demos/broken_probe.py:8: error: run() failed: ZeroDivisionError: division by "
                "zero\n    fix: make run() work (as the demo placed at glossary/delta.md:6 calls "
                "it)\n", "2 problems in 1 file.\n")
    monkeypatch.chdir(project)
    for args in ([], [str(project / "glossary")], ["glossary", "--demos", str(project / "demos")]):
        assert main(["check", *args]) == 1
        err = capsys.readouterr().err
        assert all(part in err for part in expected) and str(tmp_path) not in err, (args, err)
    with pytest.raises(Abort):
        build_site(project, tmp_path / "site")
    assert all(part.rstrip("\n") in caplog.text for part in expected), caplog.text
    assert str(tmp_path) not in caplog.text
    caplog.clear()


def test_a_heading_of_a_section_the_page_does_not_add_is_the_authors(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without 'industries:', the page adds no 'Where it matters': the entry may have one."""
    (project / "glossary" / "delta.md").write_text(entry(
        body="## Why it matters\n\nx\n\n## Definition\n\ny\n\n## Where it matters\n\nz\n"))
    assert main(["check", str(project / "glossary")]) == 0, capsys.readouterr().err


def test_a_demo_failing_alike_where_it_is_placed_is_one_problem_naming_each_place(
        project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    """A maintainer saw one broken run() as two identical problems: the entry and the demos
    page place it with the same values."""
    (project / "demos" / "broken_probe.py").write_text(
        '"""A demo whose run() breaks the contract."""\nTITLE = "Broken"\nPARAMS = []\n\n\n'
        'def run():\n    return {"chart": {}, "summary": 3, "metrics": {}}\n')
    (project / "glossary" / "delta.md").write_text(entry(extra="demo: broken-probe\n"))
    (project / "docs" / "probe.md").write_text("# Probe\n\n```demo broken-probe\n```\n")
    expected = ("demos/broken_probe.py:6: error: run() returned a result that breaks the "
                "contract: 'summary' must be a string", "(as the demos placed at "
                "glossary/delta.md:6 and docs/probe.md:3 call it)\n1 problem in 1 file.")
    monkeypatch.chdir(project)
    assert main(["check", "glossary", "--demos", "demos"]) == 1
    err = capsys.readouterr().err
    assert all(part in err for part in expected), err
    with pytest.raises(Abort):
        build_site(project, tmp_path / "site")
    assert all(part in caplog.text for part in expected), caplog.text
    caplog.clear()


def test_entries_in_subfolders_are_reported_not_ignored(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`glossary/activations/swish-two.md` was left out without a word: no problem, no page."""
    glossary = project / "glossary"
    for name in ("activations/swish-two.md", "activations/deeper/Mish.MD", "_drafts/draft.md",
                 ".git/notes.md", "activations/_aside.md", "activations/data.txt"):
        (glossary / name).parent.mkdir(parents=True, exist_ok=True)
        (glossary / name).write_text(entry("Swish two"))
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "glossary/activations/deeper/Mish.MD: error: not read: entries sit directly in the "
        "glossary folder, not in a folder inside it\n"
        "    fix: move it to glossary/mish.md (or start the folder's name with '_' to keep it "
        "out of the glossary)\n"
        "glossary/activations/swish-two.md: error: not read: entries sit directly in the "
        "glossary folder, not in a folder inside it\n"
        "    fix: move it to glossary/swish-two.md (or start the folder's name with '_' to keep "
        "it out of the glossary)\n"
        "2 problems in 2 files.\n")


@pytest.mark.parametrize("options", [
    "terms_dir: glossary", "terms_dir: reference/terms", "terms_dir: terms/",
    "terms_dir: graph/terms",
    "pyodide:\n        mode: cdn\n        cdn_url: //cdn.example.org/pyodide/",
    "pyodide:\n        mode: cdn\n        cdn_url: /pyodide/",
    "pyodide:\n        mode: cdn\n        cdn_url: HTTPS://cdn.example.org/pyodide/"])
def test_plugin_options_people_use_are_accepted(project: Path, options: str) -> None:
    from lexigraph.project import find

    config = project / "mkdocs.yml"
    config.write_text("site_url: https://example.org/\n" + config.read_text().replace(
        "  - lexigraph\n", f"  - lexigraph:\n      {options}\n"))
    found = find(config)
    assert not isinstance(found, Problem) and found.problems == ()


def test_check_reports_an_option_the_plugin_does_not_have(project: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """MkDocs' own check of the options (a strict build stops on an unknown one) is not
    `check`'s: `autolnk: false` passed it, with "no problems"."""
    config = project / "mkdocs.yml"
    # (Each at its own line: a top-level "site_dir:" or the palette's "media:" are not it.)
    config.write_text("site_dir: site\nextra:\n  mod: x\n" + config.read_text().replace(
        "  - lexigraph\n", "  - lexigraph:\n      autolnk: false\n      site_dir: x\n"
        "      pyodide:\n        mod: cdn\n"))
    line = config.read_text().splitlines().index("  - lexigraph:") + 2
    monkeypatch.chdir(project)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        f"mkdocs.yml:{line}: error: the plugin has no option 'autolnk'\n"
        "    fix: did you mean 'autolink'?\n"
        f"mkdocs.yml:{line + 1}: error: the plugin has no option 'site_dir'\n"
        "    fix: its options are glossary_dir, demos_dir, terms_dir, autolink, page_cache, pyodide\n"
        f"mkdocs.yml:{line + 3}: error: the plugin's pyodide option has no 'mod'\n"
        "    fix: did you mean 'mode'?\n"
        "3 problems in 1 file.\n")


@pytest.mark.parametrize(("options", "expected", "fix"), [
    ("autolink: 'yes'", "autolink is 'yes': Expected type: <class 'bool'> but received: "
                        "<class 'str'>", "write autolink: true or autolink: false"),
    ("demos_dir: 3", "demos_dir is 3: Expected type: <class 'str'>", "e.g. demos_dir: demos"),
    ("pyodide: cdn", "pyodide is 'cdn': The configuration is invalid. Expected a key-value "
                     "mapping", "indent under 'pyodide:' mode: self-host (or cdn)"),
    ("pyodide: {mode: selfhost}", "pyodide is {'mode': 'selfhost'}: Sub-option 'mode': "
                                  "Expected one of: ('self-host', 'cdn')", "indent under"),
    ("pyodide: {mode: cdn}", "pyodide.mode is 'cdn', which needs site_url in mkdocs.yml",
     "set site_url"),
], ids=["flag", "folder", "pyodide-text", "pyodide-mode", "cdn-without-site-url"])
def test_option_values_the_build_refuses_are_refused_by_check(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, options: str,
        expected: str, fix: str) -> None:
    """`check` said "no problems" where the build then stopped on MkDocs' check of the types."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - lexigraph\n",
                                                 f"  - lexigraph:\n      {options}\n"))
    line = config.read_text().splitlines().index("  - lexigraph:") + 2
    (project / "demos").mkdir(exist_ok=True)
    (project / "demos" / "wave.py").write_text(
        '"""A demo."""\nTITLE = "Wave"\nPARAMS = []\n\n\ndef run():\n    return {}\n')
    monkeypatch.chdir(project)
    assert main(["check"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"mkdocs.yml:{line}: error: the plugin option {expected}"), err
    assert err[1].startswith("    fix: ") and fix in err[1], err
    with pytest.raises(Abort):
        build_site(project, tmp_path / "site")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors
    for record in errors:
        record.expected = True


def test_the_options_check_knows_every_option_of_the_plugin() -> None:
    from lexigraph.config import LexigraphConfig, PyodideConfig
    from lexigraph.project import OPTIONS, PYODIDE_OPTIONS

    assert set(OPTIONS) == {name for name, _ in LexigraphConfig._schema}
    assert set(PYODIDE_OPTIONS) == {name for name, _ in PyodideConfig._schema}


@pytest.mark.parametrize(("options", "expected"), [
    ("demos_dir: demo", "mkdocs.yml:{line}: error: the plugin option demos_dir is 'demo', which "
                        "is not a folder"),
    ("terms_dir: graph", "mkdocs.yml:{line}: error: the plugin option terms_dir is 'graph', the "
                         "folder of the site's concept graph"),
    ("terms_dir: ../out", "mkdocs.yml:{line}: error: the plugin option terms_dir is '../out', "
                          "which is not a folder inside the site"),
    ("terms_dir: /", "mkdocs.yml:{line}: error: the plugin option terms_dir is '/', which is not "
                     "a folder inside the site"),
    ("terms_dir: Graph", "mkdocs.yml:{line}: error: the plugin option terms_dir is 'Graph', the "
                         "folder of the site's concept graph"),
    ("pyodide:\n        mode: cdn\n        cdn_url: not-a-url",
     "mkdocs.yml:{line}: error: the plugin option cdn_url is 'not-a-url', which is not a web "
     "address"),
    ("terms_dir: domains/data", "mkdocs.yml:{line}: error: the plugin option terms_dir is "
                               "'domains/data', inside the folder of the domain pages"),
    ("terms_dir: sitemap.xml", "mkdocs.yml:{line}: error: the plugin option terms_dir is "
                               "'sitemap.xml', the name of MkDocs' sitemap"),
    # MkDocs took these as written, then warned of every link of the pages made (46 of them).
    ("terms_dir: 'ref\\terms'", "mkdocs.yml:{line}: error: the plugin option terms_dir is "
                               "'ref\\\\terms': a folder is written with '/' between its parts "
                               "and no spaces at their ends"),
    ("terms_dir: ' terms '", "mkdocs.yml:{line}: error: the plugin option terms_dir is ' terms ': a "
                             "folder is written with '/' between its parts and no spaces at "
                             "their ends"),
], ids=["missing-demos", "terms-on-graph", "terms-outside", "terms-at-root", "terms-on-Graph",
        "cdn-url", "terms-in-domains", "terms-on-a-file", "terms-backslash", "terms-spaced"])
def test_plugin_options_mkdocs_lets_through_are_reported_by_check_and_build(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, options: str,
        expected: str) -> None:
    config = project / "mkdocs.yml"
    text = "site_url: https://example.org/\n" + config.read_text()  # (for the CDN mode)
    assert "  - lexigraph\n" in text
    config.write_text(text.replace("  - lexigraph\n", f"  - lexigraph:\n      {options}\n"))
    line = config.read_text().splitlines().index("  - lexigraph:") + 2 + options.count("\n")
    monkeypatch.chdir(project)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected.format(line=line) + "\n    fix: "), err
    site = tmp_path / "site"
    site.mkdir()
    (site / "kept").write_text("the last good site")
    with pytest.raises(Abort):
        build_site(project, site)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "the plugin's options have problems:\n" + err.rstrip("\n")]
    for record in errors:
        record.expected = True
    assert (site / "kept").is_file()
