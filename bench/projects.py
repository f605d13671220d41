"""The two MkDocs projects a scale run builds from one synthetic glossary.

- ``lexigraph/``: the repository's own ``mkdocs.yml`` (theme, features, Markdown extensions,
  extra CSS/JS, plugin options) pointed at the generated glossary. Its ``docs_dir`` is a copy
  of the repository's (assets and theme overrides) with the Markdown pages replaced by one
  home page, so that no page links to a real term; the nav is Home and the A-Z index.
- ``material/``: plain mkdocs-material with the same theme settings and Markdown extensions,
  the search plugin only, and the same term Markdown (front matter reduced to the title) under
  ``docs/terms/``, kept out of the nav.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lexigraph.load import split_front_matter, term_files

from .generate import write_glossary

REPO = Path(__file__).resolve().parents[1]
HOME = """---
title: Synthetic glossary
---

# Synthetic glossary

A generated glossary for the scale benchmarks ({n} terms).
"""


@dataclass(frozen=True)
class Projects:
    n: int
    root: Path
    glossary: Path
    lexigraph: Path  # the Lexigraph project's mkdocs.yml
    material: Path  # the plain Material project's mkdocs.yml
    terms_dir: str


class _Tagged:
    """A YAML value with a tag PyYAML's safe loader does not know (``!ENV``, ``!!python/name``).

    Kept as written so that the benchmark's copy of ``mkdocs.yml`` says what the original says.
    """

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(_Tagged, _represent_tagged)


def load_mkdocs_yml(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe subclass
    return data if isinstance(data, dict) else {}


def _dump(data: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


def _plugin_options(plugins: list[Any], name: str) -> dict[str, Any] | None:
    for item in plugins:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return dict(item[name] or {})
    return None


def _without_md(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=lambda _d, names: [n for n in names if n.endswith(".md")])


def lexigraph_config(base: dict[str, Any], project: Path, n: int) -> dict[str, Any]:
    """The repository's config, aimed at the generated glossary in ``project``."""
    cfg = dict(base)
    docs_src = (REPO / str(base.get("docs_dir", "docs"))).resolve()
    _without_md(docs_src, project / "docs")
    (project / "docs" / "index.md").write_text(HOME.format(n=n), encoding="utf-8")
    cfg.update(site_name=f"Synthetic glossary ({n} terms)", docs_dir="docs")
    cfg.pop("site_dir", None)
    theme = dict(cfg.get("theme") or {})
    if isinstance(theme.get("custom_dir"), str):
        custom = (REPO / theme["custom_dir"]).resolve()
        inside = custom.is_relative_to(docs_src)
        theme["custom_dir"] = str("docs" / custom.relative_to(docs_src)) if inside else str(custom)
    cfg["theme"] = theme
    plugins = []
    for item in cfg.get("plugins") or []:
        options = _plugin_options([item], "lexigraph")
        if options is None:
            plugins.append(item)
            continue
        for key, value in list(options.items()):
            if key.endswith("_dir") and isinstance(value, str):
                options[key] = str((REPO / value).resolve())  # keep other folders working
        options.update(glossary_dir="glossary", demos_dir="demos")
        plugins.append({"lexigraph": options})
    cfg["plugins"] = plugins
    terms_dir = str((_plugin_options(plugins, "lexigraph") or {}).get("terms_dir", "terms"))
    cfg["nav"] = [{"Home": "index.md"}, {"A–Z index": f"{terms_dir}/index.md"}]
    return cfg


def material_config(base: dict[str, Any], n: int, terms_dir: str) -> dict[str, Any]:
    """Plain mkdocs-material with the same theme settings, search only, terms out of the nav."""
    theme = {k: v for k, v in (base.get("theme") or {}).items() if k != "custom_dir"}
    search = _plugin_options(base.get("plugins") or [], "search")
    extensions = [e for e in base.get("markdown_extensions") or []
                  if not str(next(iter(e)) if isinstance(e, dict) else e).startswith("lexigraph")]
    return {
        "site_name": f"Synthetic glossary ({n} terms, plain Material)",
        "site_url": base.get("site_url", "http://127.0.0.1:8000/"),
        "docs_dir": "docs",
        "strict": base.get("strict", False),
        "theme": theme,
        "plugins": [{"search": search} if search else "search"],
        "markdown_extensions": extensions,
        "nav": [{"Home": "index.md"}],
        "not_in_nav": f"/{terms_dir}/",
    }


def plain_page(path: Path) -> str:
    """A term file as plain Material gets it: the front matter reduced to the title."""
    text = path.read_text(encoding="utf-8")
    split = split_front_matter(text)
    if split is None:
        raise ValueError(f"{path}: no front matter")
    front, body, _ = split
    title = yaml.safe_load(front)["title"]
    return "---\n" + yaml.safe_dump({"title": title}, allow_unicode=True) + "---\n\n" + body


def write_projects(root: Path, n: int, seed: int = 0) -> Projects:
    """Generate the glossary and both projects under ``root`` (which must not exist yet)."""
    root.mkdir(parents=True)
    lx, mat = root / "lexigraph", root / "material"
    lx.mkdir()
    glossary = lx / "glossary"
    write_glossary(glossary, n, seed)
    base = load_mkdocs_yml(REPO / "mkdocs.yml")
    cfg = lexigraph_config(base, lx, n)
    _dump(cfg, lx / "mkdocs.yml")
    if (REPO / "node_modules").is_dir():  # the plugin copies front-end libraries from there
        (lx / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    terms_dir = cfg["nav"][1]["A–Z index"].rsplit("/", 1)[0]
    (mat / "docs" / terms_dir).mkdir(parents=True)
    (mat / "docs" / "index.md").write_text(HOME.format(n=n), encoding="utf-8")
    for path in term_files(glossary):
        (mat / "docs" / terms_dir / path.name).write_text(plain_page(path), encoding="utf-8")
    _dump(material_config(base, n, terms_dir), mat / "mkdocs.yml")
    return Projects(n, root, glossary, lx / "mkdocs.yml", mat / "mkdocs.yml", terms_dir)
