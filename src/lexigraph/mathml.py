"""Math in entries: ``$...$`` and ``$$...$$`` become MathML at build time.

Browsers render MathML Core natively, so the site needs no math script or font from a CDN.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from latex2mathml.converter import convert, convert_to_element
from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from .cache_files import code_digest, write_atomic
from .markup import INLINE_MATH, math_spans, protected_spans
from .parallel import map_chunks

# Between code spans (190, consumed first) and backslash escapes (180), so LaTeX's
# backslashes, underscores and asterisks reach the converter untouched.
_PRIORITY = 185
_CONVERTER = version("latex2mathml")
_MATH_RE = (r"\$\$(?P<display>.+?)\$\$"
            rf"|(?<![\\$])\$(?=\S)(?P<inline>{INLINE_MATH})(?<![\s\\])\$(?!\d)")

#: ``(LaTeX, display)``: a formula as written in an entry.
Formula = tuple[str, bool]

# What is known of each formula met in this process. Unbounded: validation converts every
# formula of the glossary and the page render asks for the same ones again, which a bounded
# cache smaller than the glossary's set of formulas turns into all misses. A formula's MathML
# is about 1 KB; 10,000 synthetic terms have 30,000 distinct formulas.
_markup: dict[Formula, str] = {}
_valid: set[Formula] = set()  # converts (its MathML is in _markup if it was kept)
_invalid: dict[Formula, str] = {}  # does not convert: why

#: Formulas per worker process below which converting in this process is faster.
PARALLEL_FROM = 1000


def to_mathml(tex: str, display: bool) -> str:
    """Convert LaTeX to a MathML string (cached: glossaries repeat their formulas).

    Examples
    --------
    >>> to_mathml("x^2", False).startswith("<math")
    True
    """
    mathml = _markup.get((tex, display))
    if mathml is None:
        mathml = _markup[tex, display] = _to_mathml(tex, display)
        _valid.add((tex, display))
    return mathml


# A prime as latex2mathml writes it (f' is f^{\prime}): a superscript of a glyph that is drawn
# raised already, so Chromium raised it twice, small and apart, with every font tried (the
# system's, Latin Modern, TeX Gyre Termes, STIX): "ELU'(x)" read as "ELU(x)". Written after its
# base instead, on the line, it reads f', as TeX prints it. (Bases of one token or a run of
# letters: \mathrm{ELU}; a prime with a subscript or a power keeps latex2mathml's form.)
_PRIME = re.compile(r"<msup>(?P<base><m[ion]\b[^>]*>[^<]*</m[ion]>|<mrow>(?:<mi\b[^>]*>[^<]*</mi>)+</mrow>)"
                    r"(?:<mi>|<mrow><mi>)(?P<prime>&#x0203[234];)(?:</mi>|</mi></mrow>)</msup>")


# A minus or plus right after a relation, an opening bracket, a comma or another operator
# ("x = -1", "(-x", "a, -b", "a \times -b") is a sign, as TeX reads it; MathML takes an
# operator inside a row for a binary one, spaced "x = − 1". After anything else (a closing
# bracket, written as a character or a reference, \bigr), \cdots, \infty) it stays binary.
_SIGN = re.compile(r"(<mo\b[^>]*>([^<]*)</mo>)<mo>(&#x02212;|&#x0002B;)</mo>")
_BEFORE_A_SIGN = frozenset("=≈≠≤≥<>≡∼≃≅∝→←↦⇒⇔∈∉⊂⊆([{⟨⌊⌈,;:+−-×·÷±∓*/")


def _sign(match: re.Match[str]) -> str:
    if html.unescape(match.group(2)).strip() in _BEFORE_A_SIGN:
        return f'{match.group(1)}<mo form="prefix">{match.group(3)}</mo>'
    return match.group(0)


# TeX's "1{,}792": a comma in braces is an ordinary character, set without the space TeX puts
# after a comma. latex2mathml writes it as an operator in a row of its own, which MathML spaces
# like any comma: "1, 792". Between digits (thousands, or a decimal comma: 0{,}5) it is one
# number; anywhere else, a comma with no space after it.
_BRACED_COMMA = "<mrow><mo>&#x0002C;</mo></mrow>"
_GROUPED_NUMBER = re.compile(rf"<mn>[\d.]+</mn>(?:{re.escape(_BRACED_COMMA)}<mn>[\d.]+</mn>)+")
_DIGITS = re.compile(r"<mn>([\d.]+)</mn>")


def _one_number(match: re.Match[str]) -> str:
    return f'<mn>{",".join(_DIGITS.findall(match.group(0)))}</mn>'


#: MathML's font styles as Unicode names their letters (MATHEMATICAL BOLD ITALIC SMALL DELTA).
_STYLES = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC",
           "double-struck": "DOUBLE-STRUCK", "script": "SCRIPT", "bold-script": "BOLD SCRIPT",
           "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR", "sans-serif": "SANS-SERIF",
           "bold-sans-serif": "SANS-SERIF BOLD", "sans-serif-italic": "SANS-SERIF ITALIC",
           "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC", "monospace": "MONOSPACE"}
# What a character's name says of its shape, as the styled letters' names say it: GREEK SMALL
# LETTER DELTA is SMALL DELTA, GREEK LUNATE EPSILON SYMBOL is EPSILON SYMBOL, DIGIT ONE and
# NABLA are themselves.
_NOT_SHAPE = re.compile(r"^(?:LATIN|GREEK) |LETTER |LUNATE ")


@functools.cache
def styled(char: str, variant: str) -> str | None:
    """``char`` in the font style ``variant`` (a ``mathvariant``) as one Unicode character,
    or ``None``: the style leaves it as it is (``normal``) or Unicode has no such letter.

    MathML Core, which browsers implement, draws ``mathvariant`` only as ``normal``: a bold
    or a script letter is its own character (Mathematical Alphanumeric Symbols; the few that
    Unicode had before, such as script B, double-struck R or italic h, in Letterlike Symbols).

    >>> styled("δ", "bold-italic"), styled("R", "double-struck"), styled("h", "italic")
    ('𝜹', 'ℝ', 'ℎ')
    >>> styled("+", "bold"), styled("δ", "sans-serif"), styled("x", "normal")
    (None, None, None)
    """
    style = _STYLES.get(variant)
    name = unicodedata.name(char, "")
    if style is None or not name:
        return None
    shape = _NOT_SHAPE.sub("", name)
    names = [f"MATHEMATICAL {style} {shape}"]
    if name.startswith("LATIN "):  # a letter styled before the block was made
        names.append("PLANCK CONSTANT" if (style, shape) == ("ITALIC", "SMALL H")
                     else f"{style.replace('FRAKTUR', 'BLACK-LETTER')} {shape}")
    for found in names:
        with contextlib.suppress(KeyError):
            return unicodedata.lookup(found)
    return None


# An identifier, number or operator given a font style (\boldsymbol{\delta}, \mathbf{12},
# \mathcal{L} after a letter latex2mathml has no character for): Chromium ignores every
# mathvariant but "normal", so a bold italic delta showed as a plain one.
_STYLED = re.compile(r'<(?P<tag>m[ino])(?P<attrs>(?: [a-z]+="[^"]*")*?) '
                     r'mathvariant="(?!normal")(?P<variant>[a-z-]+)"'
                     r'(?P<more>(?: [a-z]+="[^"]*")*)>(?P<text>[^<]+)</(?P=tag)>')


def _styled_characters(match: re.Match[str]) -> str:
    """The element with its text in styled characters and no ``mathvariant``, if Unicode has
    each of them; as it was if not (the stylesheet gives what it can: bold, italic)."""
    chars = [styled(char, match.group("variant")) for char in html.unescape(match.group("text"))]
    if None in chars:
        return match.group(0)
    # A styled operator is a letter (\boldsymbol{\nabla}): an identifier, without an
    # operator's spacing (a styled character is in no operator dictionary).
    tag = "mi" if match.group("tag") == "mo" else match.group("tag")
    text = "".join(f"&#x{ord(char):05X};" for char in chars)  # (written as latex2mathml does)
    return f'<{tag}{match.group("attrs")}{match.group("more")}>{text}</{tag}>'


#: Every character :func:`styled` gives: the Mathematical Alphanumeric Symbols, and the letters
#: of Letterlike Symbols that stand in that block's gaps.
_STYLED_LETTER = re.compile("[\U0001D400-\U0001D7FFℂℊℋℌℍℎℐℑℒℕℙℚℛℜℝℤℨℬℭℯℰℱℳℴ]")


def plain_letters(text: str) -> str:
    """``text`` with each styled letter of :func:`styled` as the plain one: what a reader
    types to find a formula (δ, not 𝜹; L, not ℒ).

    >>> plain_letters("𝜹 = ∂ℒ/∂𝐳 ∈ ℝ²")
    'δ = ∂L/∂z ∈ R²'
    """
    return _STYLED_LETTER.sub(_plain_letter, text) if _STYLED_LETTER.search(text) else text


def _plain_letter(match: re.Match[str]) -> str:
    # Unicode decomposes each as <font> and the letter (NFKC would go on: ϵ to ε, ϑ to θ).
    font, *letter = unicodedata.decomposition(match.group(0)).split()
    return chr(int(letter[0], 16)) if font == "<font>" and len(letter) == 1 else match.group(0)


# Limits. TeX sets the limits of \lim, \max, \sum... below the operator in a displayed formula
# and beside it in the text; latex2mathml writes \sum's either way but the others' always beside
# (<msub><mo>lim</mo>...). Where a displayed formula is in display style, not in a fraction, a
# script or a table (TeX's cases are in text style, as are MathML's tables), they go below.
# latex2mathml writes \max\nolimits_i as it writes \max_i: a formula with \nolimits is left as
# it is.
_MOVABLE = frozenset(["lim", "max", "min", "sup", "inf", "det", "gcd", "Pr",
                      # n-ary sum, product, coproduct, union, intersection...
                      *(f"&#x{code:05X};" for code in (0x2211, 0x220F, 0x2210, 0x22C0, 0x22C1,
                                                       0x22C2, 0x22C3, 0x2A00, 0x2A01, 0x2A02,
                                                       0x2A04, 0x2A06))])
_BELOW = {"msub": "munder", "msubsup": "munderover"}
_SCRIPTED = frozenset(["msub", "msup", "msubsup", "munder", "mover", "munderover",
                       "mmultiscripts", "mroot"])  # every child but the first is smaller
_ELEMENT_TAG = re.compile(r"<(/?)([a-z]+)([^>]*?)(/?)>")
_OPERATOR = re.compile(r"<mo(?P<attrs>[^>]*)>(?P<text>[^<]*)</mo>")


def _scripts(mathml: str, display: bool, limits: bool) -> str:
    """``mathml`` with the operators of its scripts set tight, and, if ``limits``, the limits
    of the operators in display style set below them.

    TeX puts no space around a relation or a binary operator in a script: Chromium spaced
    ``h_{t-1}`` "t − 1" and the limit of a product "k = l + 1", as wide as on the line. Such an
    operator gets ``lspace`` and ``rspace`` 0, unless its spacing is none already (a fence, a
    sign, the first of a row).
    """
    out, at = [], 0
    # Per open element: its name, its children so far, whether they are in a script, whether
    # in display style, and the name it is given (or None).
    opened: list[list[Any]] = []
    for tag in _ELEMENT_TAG.finditer(mathml):
        closing, name, attrs, empty = tag.groups()
        if closing:
            renamed = opened.pop()[4]
            if renamed:
                out += [mathml[at:tag.start()], f"</{renamed}>"]
                at = tag.end()
            continue
        script, style = False, display
        if opened:
            parent = opened[-1]
            parent[1] += 1
            smaller = parent[0] in _SCRIPTED and parent[1] > 1
            script, style = parent[2] or smaller, parent[3] and not smaller
        if name == "mstyle" and "displaystyle=" in attrs:  # \displaystyle, \textstyle
            style = 'displaystyle="true"' in attrs
        if (script and name == "mo" and not empty and opened[-1][1] > 1
                and not any(a in attrs for a in ("space=", "movablelimits", "stretchy", "form="))):
            out += [mathml[at:tag.end() - 1], ' lspace="0" rspace="0">']
            at = tag.end()
        if empty:
            continue
        renamed = None
        if limits and style and name in _BELOW:
            operator = _OPERATOR.match(mathml, tag.end())
            if operator and (operator.group("text") in _MOVABLE
                             or 'movablelimits="true"' in operator.group("attrs")):
                renamed = _BELOW[name]
                out += [mathml[at:tag.start()], f"<{renamed}{attrs}>"]
                at = tag.end()
        opened.append([name, 0, script, style and name not in ("mfrac", "mtable"), renamed])
    return "".join(out) + mathml[at:] if out else mathml


# \mathrm{diag}: latex2mathml writes a word in upright letters as one identifier per letter,
# so a screen reader spelt it out, "d i a g", like four variables multiplied. A run of them is
# one identifier, the word (MathML draws an identifier of more than one letter upright).
_UPRIGHT_RUN = re.compile(r'(?:<mi mathvariant="normal">[^<]</mi>){2,}')
_UPRIGHT_LETTER = re.compile(r'<mi mathvariant="normal">([^<])</mi>')


def _one_word(match: re.Match[str]) -> str:
    return f'<mi>{"".join(_UPRIGHT_LETTER.findall(match.group(0)))}</mi>'


# One upright letter (\mathrm{d}x, W^\mathrm{T}, \mathrm{e}^x) comes out of latex2mathml as a
# character reference without its mathvariant: drawn italic, like a variable.
_UPRIGHT_ONE = re.compile(r"<mi>&#x000(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]);</mi>")

# \operatorname{arg\,max}: latex2mathml writes an empty operator and the name's letters as
# variables when the name holds a space (and "*" as text for \operatorname*, whose limits go
# below in display). The name is given with the space as a character, which it keeps in one
# operator; a starred one's operator is marked as taking its limits below.
_OPERATOR_NAME = re.compile(r"\\operatorname(\*?)\{((?:[^{}\\]|\\[,:; !])*)\}")
_NAME_SPACE = re.compile(r"\\[,:; ]|~")


def _operator_names(tex: str) -> tuple[str, list[str]]:
    """``tex`` with each \\operatorname's spaces as characters, and the names starred."""
    starred: list[str] = []

    def name(match: re.Match[str]) -> str:
        text = _NAME_SPACE.sub("\u2009", match.group(2)).replace("\\!", "")
        if match.group(1):
            starred.append(text)
        return "\\operatorname{" + text + "}"

    return _OPERATOR_NAME.sub(name, tex), starred


def _to_mathml(tex: str, display: bool) -> str:
    source, starred = (_operator_names(tex) if "\\operatorname" in tex else (tex, []))
    mathml = convert(source.strip(), display="block" if display else "inline")
    for name in map(functools.partial(html.escape, quote=False), starred):
        mathml = mathml.replace(f"<mo>{name}</mo>", f'<mo movablelimits="true">{name}</mo>')
    if '<mi mathvariant="normal">' in mathml:
        mathml = _UPRIGHT_RUN.sub(_one_word, mathml)
    if "<mi>&#x000" in mathml:
        mathml = _UPRIGHT_ONE.sub(lambda m: f'<mi mathvariant="normal">{chr(int(m[1], 16))}</mi>',
                                  mathml)
    if "&#x0203" in mathml:
        mathml = _PRIME.sub(r'<mrow>\g<base><mo lspace="0" rspace="0">\g<prime></mo></mrow>', mathml)
    if "</mo><mo>&#x0" in mathml:
        mathml = _SIGN.sub(_sign, mathml)
    if _BRACED_COMMA in mathml:
        mathml = _GROUPED_NUMBER.sub(_one_number, mathml).replace(_BRACED_COMMA,
                                                                  '<mo rspace="0">,</mo>')
    if ' mathvariant="' in mathml:
        mathml = _STYLED.sub(_styled_characters, mathml)
    limits = ((display or 'displaystyle="true"' in mathml) and "\\nolimits" not in tex
              and ("<msub><mo" in mathml or "<msubsup><mo" in mathml))
    if limits or "<mo" in mathml and any(f"<{name}>" in mathml for name in _SCRIPTED):
        mathml = _scripts(mathml, display, limits)
    # Keep the source for screen readers' fallbacks and for copy/paste.
    annotation = html.escape(" ".join(tex.split()), quote=True)  # (a formula may wrap)
    return mathml.replace("<math ", f'<math alttext="{annotation}" ', 1)


#: latex2mathml keeps a command it does not know as the text of an identifier (\frca).
_COMMAND = r"\\[A-Za-z]+"
_UNKNOWN_COMMAND = re.compile(rf"<mi\b[^>]*>({_COMMAND})</mi>")  # in MathML text


def _convert_some(formulas: list[Formula], markup: bool) -> list[tuple[bool, str]]:
    """``(converts, MathML or "" or the error)`` for each formula (run in a worker process)."""
    out = []
    for tex, display in formulas:
        problem = _source_problem(tex)
        if problem:
            out.append((False, problem))
            continue
        try:
            if markup:
                mathml = _to_mathml(tex, display)
                found = _UNKNOWN_COMMAND.search(mathml)
                unknown = found.group(1) if found else None
                short = _short_of_parts(etree.fromstring(mathml)) \
                    if _TWO_PARTS_TAG.search(mathml) else None
            else:  # checking only: building the tree finds every error; skip writing it out
                tree = convert_to_element(tex.strip(), display="block" if display else "inline")
                unknown = next((e.text for e in tree.iter("mi")
                                if e.text and re.fullmatch(_COMMAND, e.text)), None)
                short = _short_of_parts(tree)
                mathml = ""
        except Exception as exc:  # latex2mathml raises many bare exception types
            out.append((False, converter_error(exc)))
            continue
        if unknown:
            out.append((False, f"unknown command {unknown}"))
        elif short:
            out.append((False, short))
        else:
            out.append((True, mathml))
    return out


#: Elements made of two parts, which latex2mathml writes with one when the LaTeX gives one
#: (``\\frac{a}`` at the end of a formula), and what the author wrote to make them.
_TWO_PARTS = {"mfrac": "a \\frac (or \\binom) has one part: write \\frac{a}{b}",
              "mover": "an \\overset (or \\stackrel) has one part: write \\overset{a}{b}",
              "munder": "an \\underset has one part: write \\underset{a}{b}"}
_TWO_PARTS_TAG = re.compile(r"<(?:mfrac|mover|munder)\b")


def _short_of_parts(tree: etree.Element) -> str | None:
    """Why a formula's MathML has an element with a part missing (see :data:`_TWO_PARTS`):
    the page would show what there is, silently."""
    for element in tree.iter():
        why = _TWO_PARTS.get(element.tag.rsplit("}", 1)[-1])  # (parsed: in MathML's namespace)
        if why is not None and len(element) < 2:
            return why
    return None


#: What latex2mathml's exceptions (named by class, without a message) mean, in words.
_CONVERTER_ERRORS = {
    "DenominatorNotFoundError": "a \\frac has no denominator (write \\frac{a}{b})",
    "NumeratorNotFoundError": "a \\frac has no numerator (write \\frac{a}{b})",
    "DoubleSubscriptsError": "a symbol has two subscripts (write x_{a_b}, not x_a_b)",
    "DoubleSuperscriptsError": "a symbol has two superscripts (write x^{a^b}, not x^a^b)",
    "ExtraLeftOrMissingRightError": "a \\left has no matching \\right (or a \\right no "
                                    "\\left)",
    "MissingEndError": "a \\begin{...} has no matching \\end{...}",
    "MissingSuperScriptOrSubscriptError": "a ^ or _ has nothing after it",
    "NoAvailableTokensError": "the formula ends where more was expected (a command without "
                              "its argument, such as \\sqrt or \\frac alone)",
    "InvalidAlignmentError": "an array's column alignment is not one of l, c, r",
    "InvalidStyleForGenfracError": "the style of a \\genfrac is not 0, 1, 2 or 3",
    "InvalidWidthError": "a width is not a length (such as 2em or 3pt)",
    "LimitsMustFollowMathOperatorError": "\\limits follows something that is not an operator "
                                         "(such as \\sum or \\int)",
}


def converter_error(exc: Exception) -> str:
    """Why the converter refused a formula, in words: latex2mathml's exceptions are bare
    classes (``ExtraLeftOrMissingRightError``); one it may add later is named in words from
    its class, with its message.

    Examples
    --------
    >>> converter_error(type("ExtraLeftOrMissingRightError", (Exception,), {})())
    'a \\\\left has no matching \\\\right (or a \\\\right no \\\\left)'
    >>> converter_error(type("UnbalancedBracesError", (Exception,), {})("at 3"))
    'the converter stopped: unbalanced braces (at 3)'
    >>> converter_error(KeyError("x"))
    "the converter stopped: KeyError ('x')"
    """
    name = type(exc).__name__
    known = _CONVERTER_ERRORS.get(name)
    if known is not None:
        return known
    words = name if type(exc).__module__ == "builtins" else \
        re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", re.sub(r"Error$", "", name)).lower()
    detail = str(exc).strip()
    return f"the converter stopped: {words or name}" + (f" ({detail})" if detail else "")


def _source_problem(tex: str) -> str:
    """What is wrong with the LaTeX before converting it: an empty formula, unbalanced braces
    (the converter silently closes or prints them).

    Examples
    --------
    >>> _source_problem("x^{2"), _source_problem(r"\\{a\\} + b}"), _source_problem("x^{2}")
    ("a '{' is never closed", "a '}' closes nothing", '')
    """
    if not tex.strip():
        return "the formula is empty (is a closing '$$' missing? a dollar sign is written \\$)"
    depth = 0
    for brace in re.findall(r"\\.|[{}]", tex):
        if brace == "{":
            depth += 1
        elif brace == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes nothing"
    return "a '{' is never closed" if depth else ""


def check_formulas(formulas: Iterable[Formula], markup: bool = True) -> dict[Formula, str]:
    """Convert every formula not met before; return why each one that does not convert fails.

    With ``markup``, the MathML is kept for :func:`to_mathml` (a build renders it next); without,
    the formulas are only checked. Converting is most of what checking a glossary costs
    (0.15 ms a formula), so many formulas are shared out among worker processes, one per CPU.
    """
    formulas = list(dict.fromkeys(formulas))
    todo = [f for f in formulas
            if f not in _invalid and (f not in _valid or (markup and f not in _markup))]
    results = map_chunks(_convert_some, todo, markup, per_process=PARALLEL_FROM)
    for formula, (good, text) in zip(todo, results):
        if not good:
            _invalid[formula] = text
            continue
        _valid.add(formula)
        if markup:
            _markup[formula] = text
    return {f: _invalid[f] for f in formulas if f in _invalid}


class KnownFormulas:
    """Formulas that converted without error in the last run, by digest, kept in a file.

    Converting is most of what checking a glossary costs (0.1 ms a formula; 30,000 distinct
    formulas in 10,000 synthetic terms), and between two runs almost every formula is
    unchanged: only new ones are converted. The file is named after the latex2mathml version
    (another version may judge differently), starts with the :func:`code_digest` of the code
    that judged (another starts it over) and holds the formulas of the last run only, so it
    does not grow with edits.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> first = KnownFormulas(folder)
    >>> find_math_errors("$x^2$ and $x^$", first)[0][0], first.save()
    (1, 1)
    >>> second = KnownFormulas(folder)
    >>> second.knows("x^2", False), second.knows("x^", False)
    (True, False)
    """

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / f"formulas-latex2mathml-{_CONVERTER}.txt" if folder else None
        self.good: set[str] = set()
        self._header = f"code:{code_digest()}"
        if self.path is not None and self.path.is_file():
            with contextlib.suppress(OSError, UnicodeDecodeError):  # a damaged cache: start over
                header, *digests = self.path.read_text(encoding="ascii").split() or [""]
                if header == self._header:
                    self.good = set(digests)
        self.seen: set[str] = set()
        self._keys: dict[Formula, str] = {}

    def key(self, tex: str, display: bool) -> str:
        """The formula's digest (worked out once: validation asks for each formula twice, and
        a glossary repeats its formulas)."""
        digest = self._keys.get((tex, display))
        if digest is None:
            text = ("D" if display else "I") + tex.strip()
            digest = self._keys[tex, display] = hashlib.blake2b(
                text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return digest

    def knows(self, tex: str, display: bool) -> bool:
        return self.key(tex, display) in self.good

    def save(self) -> int:
        """Write the digests of this run's good formulas; return how many."""
        if self.path is not None and self.seen != self.good:
            write_atomic(self.path, ("\n".join([self._header, *sorted(self.seen)]) + "\n")
                         .encode("ascii"))
        return len(self.seen)


# A formula's next line in the source, without the quote marks or indent Markdown removes.
_CONTINUED = re.compile(r"\n[ \t]*(?:>[ \t]?)*")


def formulas_of(body: str) -> list[tuple[int, Formula]]:
    """``(offset, formula)`` of every formula in a Markdown body (outside code), as the page
    converts it.

    >>> formulas_of("> a $x +\\n> y$")
    [(4, ('x +\\ny', False))]
    """
    return [(start, (_CONTINUED.sub("\n", body[start + (2 if display else 1):
                                               end - (2 if display else 1)]), display))
            for start, end, display in math_spans(body)]


def find_math_errors(body: str, known: KnownFormulas | None = None, markup: bool = True,
                     found: list[tuple[int, Formula]] | None = None) -> list[tuple[int, str]]:
    """``(1-based line in body, message)`` for each formula latex2mathml cannot convert.

    Formulas in ``known`` are not converted again; good new ones are added to it. ``markup``:
    see :func:`check_formulas`; ``found``: :func:`formulas_of` the body, if already known.
    """
    if found is None:
        found = formulas_of(body)
    keys = [known.key(tex, display) if known is not None else "" for _, (tex, display) in found]
    if known is not None:
        fresh = [formula for (_, formula), key in zip(found, keys) if key not in known.good]
    else:
        fresh = [formula for _, formula in found]
    failed = check_formulas(fresh, markup)
    errors = []
    for (start, formula), key in zip(found, keys):
        message = failed.get(formula)
        if message is None:
            if known is not None:
                known.seen.add(key)
            continue
        line = body.count("\n", 0, start) + 1
        errors.append((line, f"cannot convert the formula '{_shortened(formula[0])}' to "
                             f"MathML: {message}"))
    return errors


# A "$" that could open a formula: not escaped, not "$$", not before a blank (nothing opens
# there), a digit (a price: "$5 and $3" stays text, as on the page) or a closing bracket, and
# before what reads as LaTeX on its line (a letter, then "=", "^", "_", "{" or a command):
# "$T = 0.1" is a formula left open, "$HOME" or "($)" a dollar sign.
_OPENER = re.compile(r"(?<![\\$])\$(?=\\(?!\$)|[^\s$\d)\]}<>][^$\n]{0,30}?(?:[=^_{]|\\(?!\$)))")
# Dollars with blanks inside around LaTeX ("$ \alpha $"): the page shows them as written.
_SPACED = re.compile(r"(?<![\\$])\$[ \t]+[^$\n]*?[\\^_][^$\n]*?\$")
_PARAGRAPH_END = re.compile(r"\n[ \t>]*\n")
# A "$" meant to close a formula, after a blank: before a blank, punctuation or the end.
_BLANK_CLOSER = re.compile(r"\s\$(?![^\s.,;:!?)\]])")
_BLANK_BEFORE_FIX = ("remove the blank before the closing '$': after a blank, a '$' closes no "
                     "formula")
_UNCLOSED_FIX = ("close it with a '$' right after its last character, in the same paragraph; "
                 "write '\\$' for a dollar sign, or put code in backticks")


def stray_dollars(body: str, found: list[tuple[int, Formula]] | None = None
                  ) -> list[tuple[int, str, str]]:
    """``(1-based line, message, fix)`` for each ``$`` of ``body`` that the page shows as
    written where a formula was meant: one opening a formula never closed, and a formula
    with blanks inside its dollars (``found``: :func:`formulas_of` the body, if known).

    >>> [m for _, m, _ in stray_dollars("With $T = 0.1, it keeps $0.9^{50}$.\\n\\n"
    ...                                 "Costs $5, $HOME or \\\\$y; $ \\\\alpha $ too.")]
    ["a '$' opens a formula that is never closed: '$T = 0.1, it'", "'$ \\\\alpha $' is not read as a formula: its '$' must touch its text"]
    """
    if "$" not in body:
        return []
    if found is None:
        found = formulas_of(body)
    # Most bodies: every "$" belongs to a formula (none in a formula's own text).
    dollars = body.count("$")
    if dollars == 2 * len(found) or dollars - body.count("\\$") == sum(
            4 if display else 2 for _, (_, display) in found):
        return []
    out, at = [], 0
    for start, end, _ in [*protected_spans(body), (len(body), len(body), "end")]:
        for m in _SPACED.finditer(body, at, start):
            out.append((m.start(), f"'{_shortened(m.group(0), 40)}' is not read as a formula: "
                        "its '$' must touch its text", "write it without blanks inside the "
                        "dollars: '$\\alpha$', not '$ \\alpha $'"))
        for m in _OPENER.finditer(body, at, start):
            stop = _PARAGRAPH_END.search(body, m.end())
            rest = body[m.end():stop.start() if stop else len(body)]
            words = " ".join(body[m.start():m.start() + 40].split()[:4]).rstrip(",.;")
            fix = _BLANK_BEFORE_FIX if _BLANK_CLOSER.search(rest) else _UNCLOSED_FIX
            out.append((m.start(), f"a '$' opens a formula that is never closed: '{words}'", fix))
        at = max(at, end)
    return [(body.count("\n", 0, where) + 1, message, fix) for where, message, fix in sorted(out)]


def _shortened(tex: str, most: int = 60) -> str:
    """A formula as an error quotes it: at most ``most`` characters, marked where it is cut.

    >>> _shortened("x^2"), _shortened("a + " * 20)
    ('x^2', 'a + a + a + a + a + a + a + a + a + a + a + a + a + a + a + …')
    """
    tex = tex.strip()
    return tex if len(tex) <= most else tex[:most - 1].rstrip() + " …"


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
