"""What a term page tells machines: schema.org JSON-LD and Open Graph tags.

MkDocs' templates do not auto-escape, so everything here is escaped before it leaves.
"""

from __future__ import annotations

from typing import Any

from .model import Term
from .text import attr, script_json


def defined_term(term: Term, url: str, set_name: str, set_url: str) -> dict[str, Any]:
    """A schema.org ``DefinedTerm`` inside the glossary's ``DefinedTermSet``.

    Examples
    --------
    >>> from pathlib import Path
    >>> t = Term("relu", "ReLU", "max(0, x).", "beginner", ("x",), "", Path("r"), aliases=("rectifier",))
    >>> d = defined_term(t, "https://g.org/terms/relu/", "G", "https://g.org/")
    >>> d["@type"], d["alternateName"], d["inDefinedTermSet"]["@type"]
    ('DefinedTerm', ['rectifier'], 'DefinedTermSet')

    Without ``site_url`` the addresses are unknown: no ``@id`` rather than an empty one, which
    would make the term and its set one node.

    >>> sorted(defined_term(t, "", "G", "")["inDefinedTermSet"]), "@id" in defined_term(t, "", "G", "")
    (['@type', 'name'], False)
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        **_address(url),
        "name": term.title,
        "description": term.summary,
        "termCode": term.slug,
        "inDefinedTermSet": {"@type": "DefinedTermSet", **_address(set_url), "name": set_name},
    }
    if term.aliases:
        data["alternateName"] = list(term.aliases)
    if term.keywords:
        data["keywords"] = ", ".join(term.keywords)
    return data


def _address(url: str) -> dict[str, str]:
    """``@id`` and ``url`` of a node, when its address is known."""
    return {"@id": url, "url": url} if url else {}


def term_head(term: Term, url: str, site_name: str, site_url: str) -> str:
    """The ``<head>`` additions of a term page: JSON-LD plus Open Graph and Twitter tags."""
    ld = script_json(defined_term(term, url, site_name, site_url))
    tags = [
        ("og:type", "article"), ("og:title", term.title), ("og:description", term.summary),
        ("og:site_name", site_name),
    ]
    if url:
        tags.append(("og:url", url))
    meta = "".join(f'<meta property="{k}" content="{attr(v)}">' for k, v in tags)
    meta += f'<meta name="twitter:card" content="summary">'
    return f'<script type="application/ld+json">{ld}</script>{meta}'


def glossary_head(site_name: str, site_url: str, description: str) -> str:
    """JSON-LD for the A-Z index: the glossary itself as a ``DefinedTermSet``."""
    data = {"@context": "https://schema.org", "@type": "DefinedTermSet", **_address(site_url),
            "name": site_name, "description": description}
    return f'<script type="application/ld+json">{script_json(data)}</script>'
