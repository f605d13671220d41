"""Unit tests of the pure core stages (no MkDocs), table-driven."""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from pathlib import Path

import markdown
import pytest

from lexigraph.autolink import LinkWriter, NameIndex, autolink, markdown_link, marked_link
from lexigraph.graph import backlinks, build_graph, learning_path
from lexigraph.history import last_changed
from lexigraph.load import parse_entry, split_front_matter
from lexigraph.markup import indented_code, math_spans, protected_spans, raw_html
from lexigraph.model import Slug, Term
from lexigraph import pipeline
from lexigraph.pipeline import Glossary
from lexigraph.previews import apply_marks, link_marks, previews_template, resolve
from lexigraph.search import term_tokens
from lexigraph.text import md_text, script_json

from .conftest import ROOT, copy_fixture


def term(slug: str, title: str, *aliases: str, **kw: object) -> Term:
    return Term(Slug(slug), title, f"About {title}.", "beginner", ("fundamentals",), "",
                Path(f"{slug}.md"), aliases=aliases, **kw)  # type: ignore[arg-type]


INDEX = NameIndex.build([
    term("relu", "ReLU", "rectifier"), term("leaky-relu", "Leaky ReLU"),
    term("batch-normalization", "Batch normalization", "BN"),
    term("neuron", "Neuron", "unit"), term("lstm", "LSTM", "long short-term memory"),
    term("sigmoid", "Sigmoid"), term("hebbs-rule", "Hebb's rule"),
])

AUTOLINK_CASES = [
    ("first mention only", "ReLU then ReLU", "[ReLU](relu.md) then ReLU"),
    ("longest match wins", "a Leaky ReLU here", "a [Leaky ReLU](leaky-relu.md) here"),
    ("any case for names", "the relu unit", "the [relu](relu.md) [unit](neuron.md)"),
    ("plural", "many neurons", "many [neurons](neuron.md)"),
    ("abbreviation needs capitals", "bn or BN", "bn or [BN](batch-normalization.md)"),
    ("words across a line break", "long short-term\nmemory", "[long short-term\nmemory](lstm.md)"),
    ("not across a paragraph", "long short-term\n\nmemory", "long short-term\n\nmemory"),
    ("not across punctuation", "Leaky. ReLU", "Leaky. [ReLU](relu.md)"),
    ("never in inline code", "`ReLU` and ReLU", "`ReLU` and [ReLU](relu.md)"),
    ("never in fenced code", "```\nReLU\n```\nReLU", "```\nReLU\n```\n[ReLU](relu.md)"),
    ("never in an indented code block", "Text\n\n    ReLU(x)\n\n\tLSTM\n\nReLU",
     "Text\n\n    ReLU(x)\n\n\tLSTM\n\n[ReLU](relu.md)"),
    ("never in a fence inside a list item", "- a\n\n    ~~~\n    ReLU\n    ~~~\n\nReLU",
     "- a\n\n    ~~~\n    ReLU\n    ~~~\n\n[ReLU](relu.md)"),
    ("in a list item's own paragraph", "- a\n\n    ReLU", "- a\n\n    [ReLU](relu.md)"),
    ("in an admonition", "!!! note\n\n    ReLU", "!!! note\n\n    [ReLU](relu.md)"),
    ("in an indented line of a paragraph", "Text\n    ReLU", "Text\n    [ReLU](relu.md)"),
    ("never in headings", "## ReLU\n\nReLU", "## ReLU\n\n[ReLU](relu.md)"),
    ("never in links", "[the ReLU](x.md) ReLU", "[the ReLU](x.md) [ReLU](relu.md)"),
    ("never in math", "$ReLU$ ReLU", "$ReLU$ [ReLU](relu.md)"),
    ("never in raw HTML", '<a href="#">ReLU</a>', '<a href="#">ReLU</a>'),
    ("never in a URL", "see https://x.org/ReLU", "see https://x.org/ReLU"),
    ("not inside a hyphenated word", "ReLU-like", "ReLU-like"),
    ("never to itself", "Sigmoid curves", "Sigmoid curves"),
    # An author found "Transformer's" never linked, where "LSTM’s" was.
    ("a possessive, its ending outside", "the LSTM's gate", "the [LSTM](lstm.md)'s gate"),
    ("with either apostrophe", "the LSTM’s gate", "the [LSTM](lstm.md)’s gate"),
    ("of the last word of a name", "a leaky ReLU's slope", "a [leaky ReLU](leaky-relu.md)'s slope"),
    ("a name's own apostrophe, either", "Hebb’s rule", "[Hebb’s rule](hebbs-rule.md)"),
    ("a plural's possessive", "ReLUs's", "[ReLUs](relu.md)'s"),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in AUTOLINK_CASES],
                         ids=[c[0] for c in AUTOLINK_CASES])
def test_autolink(text: str, expected: str) -> None:
    assert autolink(text, INDEX, Slug("sigmoid"))[0] == expected


def test_names_made_by_a_symbol_are_names_of_their_own() -> None:
    """"C++" and "C#" were mentions of "C": their symbols were no part of a word."""
    index = NameIndex.build([term("c", "C"), term("c-plus-plus", "C++"), term("c-sharp", "C#")])
    assert autolink("C++ and C# came after C, and C++ after C#.", index, Slug("x"))[0] == (
        "[C++](c-plus-plus.md) and [C#](c-sharp.md) came after [C](c.md), and C++ after C#.")


# The site's pages carry marked links, which must render as the Markdown links would.
MARKED_CASES = [c[1] for c in AUTOLINK_CASES] + [
    "*ReLU* and **Leaky\nReLU** in _emphasis_", "| ReLU | BN |\n|---|---|\n| LSTM | unit |",
    "- ReLU\n    - BN, then $x$ and LSTM", '<div markdown="1">\nReLU and `BN`\n</div>',
    "!!! note \"On ReLU\"\n\n    LSTM's gates: ReLU? BN!", "A & B < ReLU [^1]\n\n[^1]: BN",
]
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "toc", "pymdownx.superfences",
                   "pymdownx.details", "tables", "footnotes", "lexigraph.mathml",
                   "lexigraph.autolink"]


def site_html(body: str) -> str:
    return markdown.markdown(body, extensions=SITE_EXTENSIONS)


@pytest.mark.parametrize("text", MARKED_CASES)
def test_marked_links_render_as_markdown_links(text: str) -> None:
    marked, plain = (site_html(autolink(text, INDEX, Slug("sigmoid"), link)[0])
                     for link in (marked_link, markdown_link))
    assert marked == plain
    assert "\ufdd0" not in marked


def test_every_entry_renders_the_same_with_marked_links(tmp_path: Path) -> None:
    g = pipeline.build_glossary(ROOT / "glossary", None, cache_dir=tmp_path)
    index = NameIndex.build(g.terms.values())
    assert any("\ufdd0" in body for body in g.bodies.values())  # the pages' links are marked
    for slug, t in g.terms.items():
        plain = autolink(t.body, index, slug, unlinked=t.unlinked)[0]
        assert site_html(g.bodies[slug]) == site_html(plain), slug


def test_names_an_entry_keeps_unlinked_are_never_linked_there() -> None:
    """*unit* is an alias of Neuron, but a "unit vector" is none: the entry says so."""
    text = "For a unit vector, in Units of loss, the LSTM's unit and an artificial Neuron"
    assert autolink(text, INDEX, Slug("x"), unlinked=("UNIT",)) == (
        "For a unit vector, in Units of loss, the [LSTM](lstm.md)'s unit and an artificial "
        "[Neuron](neuron.md)", ["lstm", "neuron"])
    assert autolink(text, INDEX, Slug("x"))[0].startswith("For a [unit](neuron.md) vector")


def test_autolink_reports_mentions_in_order() -> None:
    assert autolink("BN after ReLU and LSTM", INDEX, Slug("x"))[1] == [
        "batch-normalization", "relu", "lstm"]


# What Python-Markdown (as MkDocs configures it) renders as an indented code block.
INDENTED_CODE_CASES = [
    ("after a paragraph", "Text\n\n    x = 1\n\n    y = 2\n\nText", ["    x = 1\n\n    y = 2"]),
    ("at the start", "    x = 1\nText", ["    x = 1"]),
    ("after a heading", "## H\n    x = 1", ["    x = 1"]),
    ("indented by a tab", "Text\n\n\tx = 1", ["\tx = 1"]),
    ("not a paragraph's indented line", "Text\n    x = 1", []),
    ("not a list item's paragraph", "- a\n\n    b\n\n    c", []),
    ("not a numbered item's paragraph", "1. a\n\n    b", []),
    ("not in an admonition", "!!! note\n    a\n\n    b", []),
    ("not in a collapsible block", "???+ note\n\n    a", []),
    ("not in a footnote", "[^1]: a\n\n    b", []),
    ("not in a fence", "```\nText\n\n    x = 1\n```", []),
    ("after a list, a paragraph", "- a\n\nText\n\n    x = 1", ["    x = 1"]),
    ("not right after a fence", "```\na\n```\n    x = 1\n\nText\n\n    y = 2", ["    y = 2"]),
    ("after a fence and a blank line", "```\na\n```\n\n    x = 1", ["    x = 1"]),
    ("after a fence in a list item", "- a\n\n    ```\n    b\n    ```\n\n    c", []),
    ("a fence closes at its own indentation", "```\na\n    ```\n\n    b\n```\n\n    c",
     ["    c"]),
    ("in a list item", "1. Step\n\n        x = 1\n\n    Text", ["        x = 1"]),
    ("in an admonition", "!!! note\n\n        x = 1", ["        x = 1"]),
    ("right under an admonition's title", "!!! note\n        x = 1", ["        x = 1"]),
    ("not in an admonition after a paragraph line", "Text\n!!! note\n\n    a", []),
    ("after an admonition a line at the margin ends",
     "!!! note\n    a\nText\n\n    x = 1", ["    x = 1"]),
    ("after a nested list's paragraph", "- a\n\n    - b\n\n        c\n\nText\n\n    x",
     ["    x"]),
    ("indented by spaces and a tab", "Text\n\n  \tx = 1", ["  \tx = 1"]),
    ("after a heading without a space", "#Title\n    x = 1", ["    x = 1"]),
    ("after a rule, which is no list item", "* * *\n\n    x = 1", ["    x = 1"]),
    ("after 1), which is no list item", "1) a\n\n    x = 1", ["    x = 1"]),
    ("not a content tab's paragraph", '=== "Intuition"\n\n    a\n\n=== "Maths"\n\n    b', []),
    ("not a definition's paragraph", "Term\n:   Def\n\n    more", []),
    ("not a nested item's paragraph", "- a\n    - b\n\n        para of b", []),
    ("in a nested item", "- a\n    - b\n\n            x = 1", ["            x = 1"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in INDENTED_CODE_CASES],
                         ids=[c[0] for c in INDENTED_CODE_CASES])
def test_indented_code_blocks_are_found_as_markdown_finds_them(text: str,
                                                               expected: list[str]) -> None:
    assert [text[start:end] for start, end in indented_code(text)] == expected
    # Python-Markdown agrees (the fences need superfences, as in every site's config).
    html = markdown.markdown(text, extensions=["admonition", "pymdownx.details", "footnotes",
                                               "pymdownx.superfences", "pymdownx.tabbed",
                                               "def_list"])
    blocks = re.findall(r"<pre><code>(.*?)</code></pre>", html, re.DOTALL)
    assert [b.strip("\n") for b in blocks] == [
        textwrap.dedent(c.expandtabs(4)).strip("\n") for c in expected]


# Raw HTML blocks, which Markdown passes on untouched: (text, the blocks).
RAW_HTML_CASES = [
    ("a block", "Text\n\n<div>\n*x* [a](b.md)\n</div>\n\n*y*", ["<div>\n*x* [a](b.md)\n</div>"]),
    ("right after a paragraph line", "Text\n<pre>\n*x*\n</pre>", ["<pre>\n*x*\n</pre>"]),
    ("to its closing tag, not the line's end", "<div>*x*</div> *y*", ["<div>*x*</div>"]),
    ("nested", "<div>\n<div>\n*x*\n</div>\n*y*\n</div>\n*z*",
     ["<div>\n<div>\n*x*\n</div>\n*y*\n</div>"]),
    ("never closed", "<details>\n*x*\n\n*y*", ["<details>\n*x*\n\n*y*"]),
    ("a comment", "<!-- *x* -->\n*y*", ["<!-- *x* -->"]),
    ("a rule", "<hr>\n*x*", ["<hr>"]),
    ("not an inline tag", "<span>*x*</span>\n<br>\n*y*", []),
    ("not with a markdown attribute", "<div markdown>\n*x*\n</div>", []),
    ("a tag over two lines", "<div\nclass='a'>\n*x*\n</div>", ["<div\nclass='a'>\n*x*\n</div>"]),
    ("not in a list item", "- item\n\n    <div>\n    *x*\n    </div>", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in RAW_HTML_CASES],
                         ids=[c[0] for c in RAW_HTML_CASES])
def test_raw_html_blocks_are_found_as_markdown_finds_them(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in raw_html(text)] == expected
    html = markdown.markdown(text, extensions=["md_in_html", "pymdownx.superfences"])
    for block in expected:
        assert block.split("\n\n")[0] in html  # passed on as written
    # Markdown outside them, and only there.
    assert ("<em>x</em>" in html) == (not any("*x*" in block for block in expected))


def test_raw_html_holds_no_link_and_no_formula_and_gets_none() -> None:
    text = "<pre>\nz = relu(x)  # ReLU, see [a](b.md), $\\foo$\n</pre>\n\nReLU and $x$."
    assert [(kind, text[s:e]) for s, e, kind in protected_spans(text)] == [
        ("html", text[:text.index("</pre>") + 6]), ("inline", "$x$")]
    assert [text[s:e] for s, e, _ in math_spans(text)] == ["$x$"]
    assert autolink(text, INDEX, Slug("x"))[0] == text.replace("\n\nReLU", "\n\n[ReLU](relu.md)")


# Blockquotes: Markdown reads their content without the marks, tabs expanded first.
QUOTE_CASES = [
    ("indented code", "> Quote:\n>\n>     relu(x)\n>     ReLU\n\nReLU",
     [("code", "    relu(x)\n>     ReLU")]),
    ("a fence", "> ~~~\n> ReLU\n> ~~~\n\nReLU", [("fence", "~~~\n> ReLU\n> ~~~")]),
    ("a heading", "> ## ReLU\n> ReLU", [("heading", "## ReLU")]),
    ("not code: a tab after the mark is two columns", "> Quote\n>\n>\tReLU", []),
    ("not code: a paragraph's line", "> Quote\n>     ReLU", []),
    ("in a list item", "- Item\n\n    > Quote\n    >\n    >     ReLU\n\nReLU",
     [("code", "    ReLU")]),
    ("nested", "> > Quote\n> >\n> >     ReLU", [("code", "    ReLU")]),
    ("its lazy line, less the container's indentation",
     '!!! note\n    >     x = 1\n    ReLU', [("code", "    x = 1")]),
    ("ended by an admonition", "> Quote\n!!! note\n\n    ReLU", []),
    ("a list item's line is no quote", "1. Item\n    >     ReLU", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in QUOTE_CASES],
                         ids=[c[0] for c in QUOTE_CASES])
def test_code_in_blockquotes_is_found_as_markdown_finds_it(
        text: str, expected: list[tuple[str, str]]) -> None:
    spans = [(kind, text[s:e]) for s, e, kind in protected_spans(text)]
    assert spans == expected
    # Python-Markdown agrees: "ReLU" is code, or a heading, exactly where a span holds it.
    html = markdown.markdown(text, extensions=["admonition", "pymdownx.superfences", "toc"])
    shielded = sum(block.count("ReLU") for _, block in expected)
    assert len(re.findall(r"<(?:pre|h2)\b(?:(?!</(?:pre|h2)>).)*ReLU", html, re.DOTALL)) == \
        (1 if shielded else 0)
    linked = autolink(text, INDEX, Slug("x"))[0]
    assert linked.count("[ReLU](relu.md)") == text.count("ReLU") - shielded


def test_a_quoted_headings_formulas_are_read() -> None:
    """Markdown renders them, so check must see them (a quoted heading is not code)."""
    text = "> ## The $x^2$ rule\n> It is $y$.\n>\n>     $z$ in code"
    assert [text[s:e] for s, e, _ in math_spans(text)] == ["$x^2$", "$y$"]


def test_an_inline_formula_may_wrap_onto_the_next_line_of_its_paragraph() -> None:
    """Markdown's paragraph holds the line break, and the page made MathML of nothing else:
    a formula that wrapped showed as TeX, its underscores turned into emphasis, and the
    auto-linker wrote links into it. A blank line still ends it."""
    from lexigraph.mathml import MathExtension, formulas_of

    text = ("States $h_t =\n  \\phi(W h_{t-1})$ and ReLU.\n\n"
            "> So $a_1 +\n> b_2$ here.\n\nNo $c\n\nd$, nor $e\n>\nf$.")
    assert [text[s:e] for s, e, _ in math_spans(text)] == [
        "$h_t =\n  \\phi(W h_{t-1})$", "$a_1 +\n> b_2$"]
    assert [kind for _, _, kind in protected_spans(text)] == ["inline", "inline"]
    assert [f for _, f in formulas_of(text)] == [("h_t =\n\\phi(W h_{t-1})", False),
                                                 ("a_1 +\nb_2", False)]
    html = markdown.markdown(text, extensions=[MathExtension()])
    assert html.count("<math ") == 2 and "<em>" not in html and "$c" in html
    assert 'alttext="h_t = \\phi(W h_{t-1})"' in html  # (one line, for screen readers)
    linked = autolink(text, INDEX, Slug("x"))[0]
    assert linked.count("](") == 1  # ReLU, outside the formula
    # Nor onto a heading, which ends the paragraph (a review of the change).
    heading = "Costs $5 and\n## ReLU x$ more"
    assert math_spans(heading) == [] and "<math" not in markdown.markdown(
        heading, extensions=[MathExtension()])


def test_a_prime_follows_its_base_on_the_line() -> None:
    from lexigraph.mathml import to_mathml

    prime = '<mo lspace="0" rspace="0">&#x02032;</mo>'
    assert f'<mi>ELU</mi></mrow>{prime}</mrow>' in to_mathml("\\mathrm{ELU}'(x)", False)
    assert f"<mrow><mi>&#x003D5;</mi>{prime}</mrow>" in to_mathml("\\phi'", True)
    assert "&#x02033;</mo>" in to_mathml("f''", False) and "msup" not in to_mathml("x^{\\prime}", False)
    assert "<msubsup>" in to_mathml("f'_i", False)  # (kept as latex2mathml writes it)


def test_a_minus_after_an_operator_is_a_sign() -> None:
    from lexigraph.mathml import to_mathml

    sign, minus = '<mo form="prefix">&#x02212;</mo>', "<mo>&#x02212;</mo>"
    assert to_mathml("x = -1 \\approx -0.6", False).count(sign) == 2
    assert to_mathml("(-x) - (a) - b", False).count(sign) == 1  # after "(", not after ")"
    assert to_mathml("a, -b, +c", False).count('form="prefix"') == 2
    assert minus in to_mathml("|a| - b", False) and minus in to_mathml("\\infty - 1", False)
    # After a closing bracket, written as a character (], \bigr)) or not, and an ellipsis, it
    # stays binary (a review found two published formulas spaced as signs).
    for binary in ("\\mathbb{E}[x^2] - \\mathbb{E}[x]^2", "[a, b] + c", "1 + 2 + \\cdots + n",
                   "a_1 - \\dots - a_n", "\\bigl(a\\bigr) + \\lambda", "\\bigl[a\\bigr] + b"):
        assert 'form="prefix"' not in to_mathml(binary, False), binary
    assert 'form="prefix"' in to_mathml("a \\times -b", False)


def test_digits_grouped_by_a_braced_comma_are_one_number() -> None:
    """TeX's 1{,}792 came out as 1, a spaced operator comma and 792: it read "1, 792"."""
    from lexigraph.mathml import to_mathml

    assert "<mrow><mn>1,792</mn></mrow>" in to_mathml("1{,}792", False)
    assert "<mn>1,179,648</mn>" in to_mathml("2 \\cdot 256 = 1{,}179{,}648", False)
    assert "<mn>3,300.5</mn>" in to_mathml("3{,}300.5", True) and "<mn>0,5</mn>" in to_mathml("0{,}5", False)
    # Elsewhere a braced comma is still set without a space after it; a plain one is spaced.
    assert '<mi>x</mi><mo rspace="0">,</mo><mi>y</mi>' in to_mathml("x{,}y", False)
    assert "<mo>&#x0002C;</mo>" in to_mathml("(1, 2)", False)


def test_a_word_in_upright_letters_is_one_identifier() -> None:
    """\\mathrm{diag} was four identifiers, one per letter: a screen reader spelt it "d i a g"
    (an accessibility review), as if four variables were multiplied."""
    from lexigraph.mathml import to_mathml

    assert "<mrow><mi>diag</mi></mrow><mo" in to_mathml("\\mathrm{diag}(f_t)", False)
    assert "<mi>W</mi><mrow><mrow><mi>in</mi></mrow></mrow>" in to_mathml("W_{\\mathrm{in}}", True)
    spaced = to_mathml("\\mathrm{arg\\,min}_\\theta L", True)
    assert '<mi>arg</mi><mspace width="0.167em" /><mi>min</mi>' in spaced
    assert "<mi>a</mi><mi>b</mi>" in to_mathml("ab", False)  # (italic letters stay apart)


def test_one_upright_letter_and_a_spaced_operator_name_are_drawn_as_written() -> None:
    """A review: \\mathrm{d}x, W^\\mathrm{T} and \\mathrm{e}^x lost their mathvariant (drawn
    italic, as variables), and \\operatorname*{arg\\,max} came out as an empty operator, a
    "*" and six italic variables."""
    from lexigraph.mathml import to_mathml

    assert '<mi mathvariant="normal">d</mi><mi>x</mi>' in to_mathml("\\mathrm{d}x", False)
    assert '<msup><mi>W</mi><mi mathvariant="normal">T</mi></msup>' in to_mathml("W^\\mathrm{T}", True)
    # (two upright letters written apart stay apart: a word is one \\mathrm)
    assert to_mathml("\\mathrm{d}\\mathrm{x}", False).count('mathvariant="normal"') == 2
    shown = to_mathml("\\operatorname*{arg\\,max}_x f(x)", True)
    assert '<munder><mo movablelimits="true">arg\u2009max</mo><mi>x</mi></munder>' in shown
    assert "&#x0002A;" not in shown and "<mo />" not in shown
    assert "<msub><mo>arg\u2009max</mo>" in to_mathml("\\operatorname{arg\\,max}_x", True)
    assert "<msub><mo movablelimits" in to_mathml("\\operatorname*{arg\\,max}_x", False)


def test_operators_in_scripts_are_set_tight_as_tex_sets_them() -> None:
    """Chromium spaced the operators of a script as on the line: h_{t-1} read "t − 1" and a
    product's limit "k = l + 1", where TeX puts no space around them in a script."""
    from lexigraph.mathml import to_mathml

    tight = '<mo lspace="0" rspace="0">'
    assert f"<mi>t</mi>{tight}&#x02212;</mo><mn>1</mn>" in to_mathml("h_{t-1} + b", False)
    limit = to_mathml("\\prod_{k=l+1}^{L} W_k", True)
    assert limit.count(tight) == 2 and "<munderover><mo>&#x0220F;</mo>" in limit
    assert "<mo>&#x0002B;</mo><mi>b</mi>" in to_mathml("h_{t-1} + b", False)  # (on the line)
    # Where there is no space to take away, nothing is added: fences, a leading sign.
    for none in ("W^{(l)}", "x^{-1}", "e^{-x^2}"):
        assert tight not in to_mathml(none, False), none


def test_styled_letters_are_written_as_their_own_characters() -> None:
    """Browsers (MathML Core) draw no mathvariant but "normal": \\boldsymbol{\\delta} was a
    plain italic delta beside a bold z."""
    from lexigraph.mathml import to_mathml

    delta = to_mathml("\\boldsymbol{\\delta} = \\partial \\mathcal{L} / \\partial \\mathbf{z}", False)
    assert "<mi>&#x1D739;</mi>" in delta and "mathvariant" not in delta
    every = to_mathml("\\mathbf{xy} \\mathbf{12} \\boldsymbol{x} \\boldsymbol{\\nabla} \\mathit{h} "
                      "\\mathscr{L} \\mathbb{1} \\mathbf{\\Theta} \\mathrm{ELU}", True)
    for styled in ("<mi>&#x1D431;</mi><mi>&#x1D432;</mi>", "<mn>&#x1D7CF;&#x1D7D0;</mn>",
                   "<mi>&#x1D499;</mi>", "<mi>&#x1D6C1;</mi>", "<mi>&#x0210E;</mi>",
                   "<mi>&#x02112;</mi>", "<mn>&#x1D7D9;</mn>", "<mi>&#x1D6AF;</mi>"):
        assert styled in every, styled
    assert "mathvariant=" not in every and "<mi>ELU</mi>" in every
    # What Unicode has no character for keeps its mathvariant (the stylesheet does the rest).
    assert '<mo mathvariant="bold">&#x0002B;</mo>' in to_mathml("\\boldsymbol{+}", False)
    assert '<mtext mathvariant="bold">' in to_mathml("\\textbf{ab}", False)


def test_each_style_has_every_letter_and_search_reads_them_plain() -> None:
    import string
    import unicodedata

    from lexigraph.mathml import _STYLED_LETTER, _STYLES, plain_letters, styled

    greek = "".join(chr(c) for c in [*range(0x391, 0x3AA), *range(0x3B1, 0x3CA)] if c != 0x3A2) \
        + "∇∂ϵϑϰϕϱϖϴ"
    alphabets = {string.ascii_letters: _STYLES,
                 string.digits: ["bold", "double-struck", "sans-serif", "bold-sans-serif",
                                 "monospace"],
                 greek: ["bold", "italic", "bold-italic", "bold-sans-serif",
                         "sans-serif-bold-italic"]}
    made = 0
    for letters, styles in alphabets.items():
        for variant in styles:
            for letter in letters:
                char = styled(letter, variant)
                assert char is not None and _STYLED_LETTER.fullmatch(char), (letter, variant)
                assert plain_letters(char) == letter
                assert unicodedata.normalize("NFKC", char) == unicodedata.normalize("NFKC", letter)
                made += 1
    assert made == 52 * 13 + 10 * 5 + 58 * 5
    assert styled("δ", "sans-serif") is styled("ß", "bold") is styled("x", "normal") is None


def test_limits_go_below_the_operator_in_display_style_only() -> None:
    """\\lim_{x \\to \\infty} and \\max_i had their limits beside them in a displayed formula."""
    from lexigraph.mathml import to_mathml

    below = to_mathml("\\lim_{z \\to \\infty} f + \\max_i |x| + \\min_{j}^{n} y + \\bigcup_k A "
                      "+ \\operatorname*{argmax}_x g", True)
    assert "<msub>" not in below and "<msubsup>" not in below
    assert below.count("<munder>") == below.count("</munder>") == 4
    assert below.count("<munderover>") == below.count("</munderover>") == 1
    assert "<munder><mo>lim</mo>" in below and "<munder><mo>&#x022C3;</mo>" in below
    # Beside them: in the text, in a fraction, a script or cases (TeX's text style), after
    # \nolimits; an integral's limits always.
    for tex, display in [("\\lim_{z \\to \\infty} f", False), ("\\frac{\\max_i x}{2}", True),
                         ("e^{\\max_i x}", True), ("\\begin{cases} \\max_i x & 1 \\end{cases}", True),
                         ("\\max\\nolimits_i x", True), ("\\int_0^1 f", True)]:
        assert "<munder" not in to_mathml(tex, display), tex
    assert "<munder><mo>max</mo>" in to_mathml("\\displaystyle \\max_i x", False)
    assert "<munder><mo>max</mo>" in to_mathml("\\frac{a}{b} \\max_i x", True)  # after a fraction


def test_code_in_indented_blocks_is_no_link_and_no_formula() -> None:
    text = "Text\n\n    see [a](b.md) and $\\foo$\n\nSee [c](d.md) and $x$."
    assert [(kind, text[s:e]) for s, e, kind in protected_spans(text)] == [
        ("code", "    see [a](b.md) and $\\foo$"), ("link", "[c](d.md)"), ("inline", "$x$")]
    assert [text[s:e] for s, e, _ in math_spans(text)] == ["$x$"]


def test_a_fence_is_closed_only_by_its_own_line() -> None:
    """Superfences closes a fence with the same ticks at the same indentation: an indented or
    longer fence line inside it is its text, and a fence never closed is no fence."""
    text = "```\na\n    ```\n[b](c.md) $d$\n````\n```\n\n[e](f.md)\n~~~\n[g](h.md)"
    assert [(kind, text[s:e]) for s, e, kind in protected_spans(text)] == [
        ("fence", text[:text.index("\n\n")]), ("link", "[e](f.md)"), ("link", "[g](h.md)")]
    assert math_spans(text) == []


@pytest.mark.parametrize(("text", "result"), [
    ("---\na: 1\n---\n", ("a: 1\n", "", 4)),
    ("---\na: 1\n...\nbody", ("a: 1\n", "body", 4)),
    ("---\n---\nbody\n", ("", "body\n", 3)),
    ("text\n---\na: 1\n---\n", None),
    ("---\na: 1\n", None),
])
def test_split_front_matter(text: str, result: tuple | None) -> None:
    assert split_front_matter(text) == result


def test_parse_entry_records_key_and_item_lines() -> None:
    text = "---\ntitle: X\nrelated:\n  - a\n  - b\n---\nbody\n"
    entry, problems = parse_entry(Path("x.md"), text)
    assert problems == [] and entry is not None
    assert entry.key_lines == {"title": 2, "related": 3}
    assert entry.item_lines == {("related", 0): 4, ("related", 1): 5}
    assert entry.body_line == 7


@pytest.mark.parametrize(("page", "href", "target"), [
    ("terms/relu/", "../lstm/", "terms/lstm/"),
    ("terms/relu/", "../", "terms/"),
    ("", "terms/relu/", "terms/relu/"),
    ("domains/x/", "../../terms/relu/", "terms/relu/"),
    ("terms/relu.html", "lstm.html", "terms/lstm.html"),
    ("terms/relu/", "/terms/lstm/", "terms/lstm/"),
    ("terms/relu/", "https://example.org/terms/lstm/", None),
    ("terms/relu/", "//cdn.example/x.js", None),
])
def test_resolve(page: str, href: str, target: str | None) -> None:
    assert resolve(page, href) == target


def test_term_links_are_marked_and_the_page_carries_each_preview_once() -> None:
    hostile = Term(Slug("h"), 'T "<x>"', "S & </script>", "advanced", ("f",), "", Path("h.md"))
    relu = Term(Slug("relu"), "ReLU", "r", "beginner", ("f",), "", Path("relu.md"))
    page = ('<p><a href="../h/">x</a> <a href="../h/#a">y</a> <a href="../z/">z</a> '
            '<a href="./">self</a></p>')
    marks, linked = link_marks(page, "terms/relu/", {"terms/h/": hostile, "terms/relu/": relu})
    html = apply_marks(page, marks)
    assert html.count('data-lx-term>') == 2
    assert '<a href="../z/">' in html and '<a href="./">' in html  # not a term; the page itself
    assert linked == {"h": hostile}
    script = previews_template(linked)
    assert script.startswith('<template class="lx-previews" data-search-exclude>')
    body = script.removeprefix('<template class="lx-previews" data-search-exclude>')
    body = body.removesuffix("</template>")
    assert "<" not in body and json.loads(body) == {"h": ['T "<x>"', "advanced", "S & </script>"]}
    assert previews_template({}) == ""


def test_text_escaping() -> None:
    assert md_text("*a* [b](c) <d> `e` $f$") == (
        "\\*a\\* \\[b\\]\\(c\\) &lt;d&gt; \\`e\\` \\$f\\$")
    assert "</" not in script_json({"a": "</script><!--"})


def test_term_tokens_favour_exact_names() -> None:
    relu = term_tokens("ReLU", ["rectified linear unit", "rectifier"])
    dying = term_tokens("Dying ReLU", ["dead neurons"])
    neuron = term_tokens("Neuron", ["unit"])
    # As many as BM25 rewards apart: 12 (2.0), 6 (1.83), 3 (1.57), 1 (1.0); a longer name's
    # words share its count (a title's 12, an alias's about 6).
    assert (relu.count("ReLU"), dying.count("ReLU"), dying.count("neurons")) == (12, 6, 3)
    assert relu.count("rectifier") == 3 and relu.count("linear") == 2
    assert neuron.count("Neuron") == 12 and "Neurons" in neuron
    # An abbreviation weighs as much as a word of a two-word title holding it: centrality
    # orders GAN's term and Conditional GAN (a review found the abbreviation behind).
    assert term_tokens("Generative adversarial network", ["GAN"]).count("GAN") == \
        term_tokens("Conditional GAN").count("GAN") == 6


def test_graph_learning_path_and_backlinks() -> None:
    nn = term("nn", "Neural network")
    bp = term("bp", "Backprop", prerequisites=(Slug("nn"),))
    vg = term("vg", "Vanishing", prerequisites=(Slug("bp"),), related=(Slug("lstm"),))
    lstm = term("lstm", "LSTM", prerequisites=(Slug("vg"), Slug("nn")))
    act = term("zz", "Activation", related=(Slug("lstm"),))
    graph = build_graph([nn, bp, vg, lstm, act], {Slug("nn"): [Slug("lstm")]})
    assert learning_path(graph, Slug("lstm")) == ["nn", "bp", "vg", "lstm"]
    assert learning_path(graph, Slug("nn")) == ["nn"]
    # lstm is linked from vg (related), nn (mention); vg links to lstm's page? no: lstm
    # lists vg as prerequisite, so lstm's page links vg. By title, as in the A-Z index.
    assert backlinks(graph, Slug("lstm")) == ["zz", "nn", "vg"]
    assert backlinks(graph, Slug("vg")) == ["lstm"]


def test_last_changed_uses_git_then_mtime(tmp_path: Path) -> None:
    run = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True,  # noqa: E731
                                    capture_output=True,
                                    env={"GIT_AUTHOR_DATE": "2020-01-02T03:04:05+00:00",
                                         "GIT_COMMITTER_DATE": "2020-01-02T03:04:05+00:00",
                                         "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b",
                                         "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b",
                                         "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    run("init", "-q")
    (tmp_path / "a.md").write_text("a")
    run("add", "a.md")
    run("commit", "-qm", "a")
    (tmp_path / "b.md").write_text("b")
    dates = last_changed(tmp_path, [tmp_path / "a.md", tmp_path / "b.md"])
    assert dates[(tmp_path / "a.md").resolve()] == "2020-01-02T03:04:05+00:00"
    assert dates[(tmp_path / "b.md").resolve()] > "2025"


FRONT_MATTERS = [
    "title: X\nsummary: s\nkeywords: [a, 'b: c', 3]\n",
    "title: 1986\nyear: 2020-01-01\nflag: true\nnothing: null\nratio: 1.5\nhex: 0x1f\n",
    "related:\n  - a\n  - {x: 1}\n  - [1, 2]\nnested: {a: [1], b: {c: d}}\n",
    "refs:\n  - title: T\n    year: 1997\n  - x\ntext: |\n  two\n  lines\n",
    "summary: >-\n\n  folded\n  text\ntitle: 'q'\nrefs:\n  - {title: T, year: 1}\n  -\n    url: u\n",
    "title: A\ntitle: B\n",                       # a repeated key: the last value wins
    "a: &x [1, 2]\nb: *x\n", "<<: {a: 1}\nb: 2\n",  # anchors, merge keys: the general path
    "a: !!str 1\n", "? [a]\n: b\n",
    "title: =\n", "keywords: [a, =]\n",          # a plain '=' has no safe constructor
    "!!set\n? title\n", "!foo\ntitle: x\n", "&top\ntitle: x\n",  # tagged/anchored front matter
]


@pytest.mark.parametrize("front", FRONT_MATTERS)
def test_front_matter_reads_as_pyyaml_reads_it_with_every_key_line(front: str) -> None:
    import yaml

    entry, problems = parse_entry(Path("x.md"), f"---\n{front}---\nBody\n")
    if problems:  # PyYAML refuses it too, or reads something that is no mapping of fields
        try:
            data = yaml.safe_load(front)
        except yaml.YAMLError:
            return
        assert not isinstance(data, dict), problems
        return
    assert entry is not None
    assert entry.data == {str(k): v for k, v in yaml.safe_load(front).items()}
    node = yaml.compose(front, Loader=yaml.SafeLoader)
    kept: dict[str, tuple[int, object]] = {}  # a repeated key's lines are the last one's,
    for key, value in node.value:               # whose value YAML keeps
        if key.value != "<<":  # a merge key is not a field: its mapping's keys are
            kept[str(key.value)] = (key.start_mark.line + 2, value)
    lines = f"---\n{front}".split("\n")
    for key, (line, value) in kept.items():
        assert entry.key_lines[key] == line, key
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                assert entry.item_lines[(key, i)] == item.start_mark.line + 2
                for field, _ in item.value if isinstance(item, yaml.MappingNode) else ():
                    assert entry.field_lines[(key, i, field.value)] == field.start_mark.line + 2
        if isinstance(value, yaml.ScalarNode) and value.value.strip():  # where its text starts
            assert value.value.split()[0] in lines[entry.value_lines[key] - 1], key


# --- Search copy ----------------------------------------------------------------------------

_SEARCH_PAGES = [
    '<h1 id="relu">ReLU<a class="headerlink" href="#relu">&para;</a></h1>\n'
    '<p>See <a href="../x/" data-lx-term>Sigmoid <em>unit</em></a>, then '
    '<strong>max</strong> <math><mi>x</mi><mo>&gt;</mo><mn>0</mn></math>.</p>',
    '<h2 id="a"><span>A</span> <em>b</em><a class="headerlink" href="#a">&para;</a></h2>\n'
    '<ul>\n<li><a href="../y/">Y</a> and <code>z &lt; 1</code></li>\n</ul>',
    '<pre><span></span><code><span class="k">def</span> <span class="n">f</span>():\n'
    '    <span class="k">pass</span>\n</code></pre>\n<p>a<sub>i</sub> &amp; b</p>',
    '<p>Kept: <span data-search-exclude>hidden</span> <a title="a > b" href="#">shown</a></p>',
    '<h2 data-search-exclude id="x">X</h2>\n<p><a href="../q/">Q</a></p>\n<h2 id="y">Y</h2><p>y</p>',
]


@pytest.mark.parametrize("html", _SEARCH_PAGES)
def test_search_copy_indexes_like_the_page(html: str) -> None:
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    from lexigraph.search_adapter import search_copy

    def index(content: str) -> list[dict[str, str]]:
        built = SearchIndex()
        page = SimpleNamespace(content=content, meta={"title": "T"}, toc=[], url="p/", title="T")
        built.add_entry_from_context(page)
        return built.entries

    copy = search_copy(html)
    assert index(copy) == index(html)
    assert "<math" not in copy and "<em>" not in copy.split("</h", 1)[-1]


def _mini_glossary(tmp_path: Path) -> tuple[Path, Path, Glossary]:
    """A copy of the mini fixture's glossary, a cache folder, and the glossary built once."""
    import shutil

    glossary, cache = tmp_path / "glossary", tmp_path / "cache"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini" / "glossary", glossary)
    return glossary, cache, pipeline.build_glossary(glossary, None, cache_dir=cache)


def test_linked_bodies_are_reused_until_an_entry_or_a_name_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    glossary, cache, first = _mini_glossary(tmp_path)
    linked: list[str] = []
    real = pipeline.autolink

    def counting(body: str, index: NameIndex, own: Slug, link: LinkWriter = markdown_link,
                 unlinked: tuple[str, ...] = ()) -> tuple[str, list[Slug]]:
        linked.append(own)
        return real(body, index, own, link, unlinked)

    monkeypatch.setattr(pipeline, "autolink", counting)
    again = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert linked == [] and again.bodies == first.bodies
    assert set(again.graph.edges(keys=True)) == set(first.graph.edges(keys=True))
    # An edited entry is linked again, alone.
    beta = glossary / "beta-layer.md"
    beta.write_text(beta.read_text() + "\nIt feeds the gamma net.\n")
    edited = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert linked == ["beta-layer"] and "gamma-net.md" in edited.bodies["beta-layer"]
    # So is one that keeps a name unlinked, its body unchanged.
    linked.clear()
    beta.write_text(beta.read_text().replace("\n---\n", "\nunlinked: [gamma net]\n---\n", 1))
    kept = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert linked == ["beta-layer"] and "gamma-net.md" not in kept.bodies["beta-layer"]
    # A new name can change any entry's links: every entry is linked again.
    linked.clear()
    alpha = glossary / "alpha-unit.md"
    alpha.write_text(alpha.read_text().replace("aliases: [AU]", "aliases: [AU, squashing]"))
    renamed = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert sorted(linked) == sorted(renamed.terms)
    # A damaged file is read as no file.
    (cache / "autolinked.json.z").write_bytes(b"damaged")
    linked.clear()
    assert pipeline.build_glossary(glossary, None, cache_dir=cache).bodies == renamed.bodies
    assert sorted(linked) == sorted(renamed.terms)


def test_pagerank_is_kept_for_the_graph_structure(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:

    glossary, cache, first = _mini_glossary(tmp_path)
    computed: list[int] = []
    real = pipeline.pagerank
    monkeypatch.setattr(pipeline, "pagerank", lambda graph: computed.append(1) or real(graph))
    # Same links: read back exactly. A new summary does not change the structure.
    entry = glossary / "beta-layer.md"
    entry.write_text(entry.read_text().replace("summary:", "summary: Edited.", 1))
    again = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert computed == [] and again.ranks == first.ranks and again.structure == first.structure
    # A new term (linked with the others) does.
    alpha = (glossary / "alpha-unit.md").read_text()
    (glossary / "delta-unit.md").write_text(
        alpha.replace("title: Alpha unit", "title: Delta unit").replace("[AU]", "[DU]"))
    linked = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert computed == [1] and linked.structure != first.structure
    assert linked.ranks == real(linked.graph)
    # A damaged file (valid JSON of another shape) is computed again, not a crash.
    (cache / "pagerank.json").write_text("[1, 2]")
    assert pipeline.build_glossary(glossary, None, cache_dir=cache).ranks == \
        linked.ranks and computed == [1, 1]


def _search_config(entries: list[dict[str, object]]) -> object:
    from types import SimpleNamespace

    index = SimpleNamespace(entries=entries)
    return SimpleNamespace(plugins={"search": SimpleNamespace(search_index=index)})


def _page(meta: dict[str, object]) -> object:
    from types import SimpleNamespace

    return SimpleNamespace(url="terms/a/", content="<p>A</p>", meta=meta, toc=[], title="A")


@pytest.mark.parametrize("meta", [{}, {"search": {"boost": 3}}, {"search": None}])
def test_recorded_search_entries_replace_indexing_and_front_matter_is_restored(
        meta: dict[str, object]) -> None:
    from lexigraph.search_adapter import SearchAdapter

    entries: list[dict[str, object]] = []
    config, page = _search_config(entries), _page(dict(meta))
    adapter = SearchAdapter()
    adapter.before(page, config, recorded=[{"location": "terms/a/", "title": "A", "text": "x"}])
    assert page.meta["search"]["exclude"] is True  # what makes Material's search skip it
    assert adapter.after(page, config, None) is None
    assert page.meta == meta and adapter.replayed == 1
    assert entries == [{"location": "terms/a/", "title": "A", "text": "x"}]


def test_entries_made_in_spite_of_a_recording_stand_alone() -> None:
    # A search plugin that indexed the page although told to skip it: no entry twice.
    from lexigraph.search_adapter import SearchAdapter

    entries: list[dict[str, object]] = []
    config, page = _search_config(entries), _page({})
    adapter = SearchAdapter()
    adapter.before(page, config, recorded=[{"location": "terms/a/", "title": "A", "text": "old"}])
    entries.append({"location": "terms/a/", "title": "A", "text": "new"})
    made = adapter.after(page, config, None)
    assert entries == made == [{"location": "terms/a/", "title": "A", "text": "new"}]
    assert adapter.replayed == 0


def test_the_entries_key_names_what_the_entries_are_made_of() -> None:
    from lexigraph.search_adapter import entries_key

    base = entries_key(_page({"title": "A"}), "<p>A</p>")
    assert base == entries_key(_page({"title": "A"}), "<p>A</p>")
    assert base != entries_key(_page({"title": "A"}), "<p>B</p>")
    assert base != entries_key(_page({"title": "A", "tags": ["x"]}), "<p>A</p>")
    moved = _page({"title": "A"})
    moved.url = "terms/b/"
    assert base != entries_key(moved, "<p>A</p>")


def test_another_version_of_the_code_computes_what_it_kept_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Auto-links, PageRank and the formulas known to convert are computed by Lexigraph's code:
    # an upgrade (or an edited checkout) must not reuse what an older version kept.
    from lexigraph import mathml, pipeline

    glossary, cache, first = _mini_glossary(tmp_path)
    done: list[str] = []
    autolink, pagerank, check = pipeline.autolink, pipeline.pagerank, mathml.check_formulas
    monkeypatch.setattr(pipeline, "autolink",
                        lambda *args: done.append("link") or autolink(*args))
    monkeypatch.setattr(pipeline, "pagerank", lambda g: done.append("rank") or pagerank(g))
    monkeypatch.setattr(mathml, "check_formulas",
                        lambda formulas, *args: done.extend("formula" for _ in formulas)
                        or check(formulas, *args))
    same = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert done == [] and same.bodies == first.bodies and same.ranks == first.ranks
    for module in (pipeline, mathml):
        monkeypatch.setattr(module, "code_digest", lambda: "another version")
    again = pipeline.build_glossary(glossary, None, cache_dir=cache)
    assert done.count("link") == len(first.terms) and done.count("rank") == 1
    assert done.count("formula") > 0
    assert again.bodies == first.bodies and again.ranks == first.ranks


def test_a_partial_glossary_leaves_out_what_a_broken_demo_module_breaks(tmp_path: Path) -> None:
    """Under `mkdocs serve` with no last good glossary (see test_serve), the entries without
    problems are shown: a broken demo module is not in it, nor an entry placing it in its text
    (its page could not be built), while one naming it in `demo:` stays without it; the entries
    left out are named, for the pages that stand in for them."""
    from lexigraph.errors import GlossaryError

    project = copy_fixture("mini", tmp_path)
    glossary, demos = project / "glossary", project / "demos"
    alpha, beta = glossary / "alpha-unit.md", glossary / "beta-layer.md"
    alpha.write_text(alpha.read_text().replace("aliases: [AU]",
                                               "aliases: [AU]\ndemo: numpy-probe"))
    beta.write_text(beta.read_text() + "\n```demo numpy-probe n=3\n```\n")
    (glossary / "delta-thing.md").write_text("---\ntitle: [Delta\n---\n")
    (demos / "numpy_probe.py").write_text((demos / "numpy_probe.py").read_text() + "def run(:\n")
    with pytest.raises(GlossaryError) as failed:
        pipeline.build_glossary(glossary, demos, partial=True)
    partial = failed.value.partial
    assert partial is not None and sorted(partial.terms) == ["alpha-unit", "gamma-net"]
    assert partial.terms[Slug("alpha-unit")].demo is None and partial.demos == {}
    assert partial.terms[Slug("gamma-net")].prerequisites == ()
    assert sorted(partial.left_out) == ["beta-layer", "delta-thing"]
    assert partial.left_out[Slug("beta-layer")] == beta.resolve()


def test_a_partial_glossary_keeps_an_entry_that_broke_as_it_was_if_it_still_fits(
        tmp_path: Path) -> None:
    """In a preview that shows the entries without problems, one it showed that then breaks
    stays as it was (see test_serve) — unless the taxonomy changed under it: a renamed domain
    or industry breaks its old version too, whose pages could not be built."""
    from lexigraph.errors import GlossaryError

    project = copy_fixture("mini", tmp_path)
    glossary = project / "glossary"
    (glossary / "delta-thing.md").write_text("---\ntitle: [Delta\n---\n")  # broken from the start
    with pytest.raises(GlossaryError) as failed:
        pipeline.build_glossary(glossary, partial=True)
    shown = failed.value.partial
    assert shown is not None and "beta-layer" in shown.terms

    beta = glossary / "beta-layer.md"
    beta.write_text(beta.read_text().replace("difficulty: intermediate", "difficulty: expert")
                    .replace("side by side", "in a half-written sentence"))
    with pytest.raises(GlossaryError) as failed:
        pipeline.build_glossary(glossary, partial=True, previous=shown)
    kept = failed.value.partial
    assert kept is not None and kept.terms[Slug("beta-layer")] == shown.terms[Slug("beta-layer")]
    assert sorted(kept.left_out) == ["delta-thing"]

    taxonomy = glossary / "_taxonomy.yml"  # beta-layer's domain and alpha-unit's industry renamed
    taxonomy.write_text(taxonomy.read_text().replace("  architectures:", "  arch:")
                        .replace("  healthcare:", "  health:"))
    with pytest.raises(GlossaryError) as failed:
        pipeline.build_glossary(glossary, partial=True, previous=kept)
    renamed = failed.value.partial
    assert renamed is not None and {"alpha-unit", "beta-layer"} <= set(renamed.left_out)
    assert all(set(t.domains) <= set(renamed.taxonomy.domains)
               and set(t.industries) <= set(renamed.taxonomy.industries)
               for t in renamed.terms.values())


def _cgroups(tmp_path: Path, membership: str, files: dict[str, str]) -> tuple[Path, Path]:
    """A /proc/self/cgroup and a /sys/fs/cgroup holding ``files`` (path: content)."""
    proc, root = tmp_path / "proc", tmp_path / "cgroup"
    proc.mkdir()
    (proc / "cgroup").write_text(membership)
    root.mkdir()
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    return proc, root


@pytest.mark.parametrize(("membership", "files", "quota"), [
    # cgroup v2, a container's own group at the top: `docker run --cpus=2`
    ("0::/\n", {"cpu.max": "200000 100000\n"}, 2.0),
    ("0::/\n", {"cpu.max": "max 100000\n"}, None),
    ("0::/\n", {}, None),
    # a limit above the process's group counts too; the smallest wins
    ("0::/ci/job\n", {"cpu.max": "max 100000", "ci/cpu.max": "150000 100000",
                      "ci/job/cpu.max": "400000 100000"}, 1.5),
    # cgroup v1 (with its hybrid v2 line), the group named but not mounted in the container
    ("2:cpu,cpuacct:/docker/abc\n0::/\n",
     {"cpu,cpuacct/cpu.cfs_quota_us": "300000\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"},
     3.0),
    ("1:cpu:/\n0::/\n", {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"},
     None),
    ("0::/\n", {"cpu.max": "garbage"}, None),
])
def test_a_control_groups_cpu_quota_is_read(tmp_path: Path, membership: str,
                                            files: dict[str, str], quota: float | None) -> None:
    from lexigraph.parallel import cgroup_cpu_quota
    proc, root = _cgroups(tmp_path, membership, files)
    assert cgroup_cpu_quota(proc, root) == quota
    assert cgroup_cpu_quota(tmp_path / "elsewhere", root) is None  # no /proc: no limit known


@pytest.mark.parametrize(("membership", "mounts", "files", "quota"), [
    # v1 in a container without its own cgroup namespace: the group is named from the host's
    # root, and only the container's part of the hierarchy is mounted (at cpu,cpuacct)
    ("4:cpu,cpuacct:/docker/abc/job\n", ["/docker/abc cpu,cpuacct cgroup cgroup rw,cpu,cpuacct",
                                         "/docker/abc cpuacct cgroup cgroup rw,cpuacct"],
     {"cpu,cpuacct/cpu.cfs_quota_us": "200000", "cpu,cpuacct/cpu.cfs_period_us": "100000",
      "cpu,cpuacct/job/cpu.cfs_quota_us": "50000", "cpu,cpuacct/job/cpu.cfs_period_us": "100000",
      "cpuacct/job/cpu.cfs_quota_us": "10000", "cpuacct/job/cpu.cfs_period_us": "100000"}, 0.5),
    # v2 mounted somewhere else than /sys/fs/cgroup, with a space in its path
    ("0::/ci/job\n", ["/ cg\\040two cgroup2 cgroup2 rw"],
     {"cg two/ci/cpu.max": "300000 100000", "cpu.max": "100000 100000"}, 3.0),
    # the group outside the mounted part: nothing can be read of it
    ("0::/elsewhere\n", ["/ci cg cgroup2 cgroup2 rw"], {"cg/cpu.max": "100000 100000"}, None),
])
def test_control_groups_are_found_where_they_are_mounted(
        tmp_path: Path, membership: str, mounts: list[str], files: dict[str, str],
        quota: float | None) -> None:
    from lexigraph.parallel import cgroup_cpu_quota
    proc, root = _cgroups(tmp_path, membership, files)
    (proc / "mountinfo").write_text("".join(  # (id, parent, device, root, mount point,
        f"{n} 1 0:{n} {top} {root}/{point} rw,relatime shared:{n} - {kind}\n"  # options...)
        for n, (top, point, kind) in enumerate(m.split(" ", 2) for m in mounts)))
    assert cgroup_cpu_quota(proc, tmp_path / "not-used") == quota


def test_processes_are_shared_out_within_the_cpu_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    import lexigraph.parallel as parallel
    monkeypatch.delenv("LEXIGRAPH_JOBS", raising=False)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: set(range(64)))
    for quota, expected in [(None, 64), (2.0, 2), (1.5, 2), (0.5, 1), (128.0, 64)]:
        monkeypatch.setattr(parallel, "_quota", lambda q=quota: q)
        assert parallel.cpus() == expected, quota
    monkeypatch.setenv("LEXIGRAPH_JOBS", "3")
    assert parallel.cpus() == 3


@pytest.mark.parametrize(("glossary", "pages", "partial", "says"), [
    (True, False, False, "The glossary has problems.</strong> Until they are fixed, this "
                         "preview shows the glossary as it was at its last build without any; "),
    (True, False, True, "The glossary has problems.</strong> Until they are fixed, this preview "
                        "leaves out the entries that have them (one it showed before stays as "
                        "it was); "),
    (True, True, False, "The glossary and the site's own pages have problems.</strong> "
                        "Until they are fixed, this preview shows the glossary as it was at its "
                        "last build without any, and leaves out the pages' demos and blocks "
                        "that have them; "),
    (False, True, False, "The site's own pages have problems.</strong> Until they are "
                         "fixed, this preview leaves out the demos and blocks that have them; "),
])
def test_the_preview_banner_says_what_it_shows(glossary: bool, pages: bool, partial: bool,
                                               says: str) -> None:
    from lexigraph.render import problems_banner
    banner = problems_banner("x.md:1: error: y\n1 problem in 1 file.", partial=partial,
                             glossary=glossary, pages=pages)
    assert f"<strong>{says}the terminal lists them too." in banner


#: The modules that adapt the core to MkDocs, and may import it.
ADAPTERS = {"plugin", "config", "page_cache"}


def test_the_core_imports_no_mkdocs() -> None:
    """The pipeline is one module per stage with no MkDocs import (another engine could be
    adapted): each module but the adapters, imported alone, leaves MkDocs out."""
    import subprocess
    import sys

    modules = sorted(p.stem for p in (ROOT / "src" / "lexigraph").glob("*.py")
                     if p.stem not in ADAPTERS | {"__init__"})
    probe = ("import importlib, sys\n"
             "for name in sys.argv[1:]:\n"
             "    importlib.import_module('lexigraph.' + name)\n"
             "    if any(m == 'mkdocs' or m.startswith('mkdocs.') for m in sys.modules):\n"
             "        print(name)\n"
             "        break\n")
    # One process per module would take seconds: one for all, in an order where the first
    # module that brings MkDocs in is named.
    found = subprocess.run([sys.executable, "-c", probe, *modules], capture_output=True,
                           text=True, check=True).stdout.split()
    assert found == [] and len(modules) > 30


def test_check_knows_every_section_a_term_page_adds() -> None:
    from lexigraph.model import GENERATED_SECTIONS
    from lexigraph.render import _SECTIONS

    # (the concept map's heading is written apart: its part is filled by the plugin)
    assert {heading for heading, _, _ in _SECTIONS} | {"Concept map"} == set(GENERATED_SECTIONS)
