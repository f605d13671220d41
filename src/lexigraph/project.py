"""What the command line reads of a MkDocs project: the Lexigraph plugin's folders and the
site's URL layout, from ``mkdocs.yml``, so ``lexigraph check`` and ``export`` see the glossary
and the addresses ``mkdocs build`` does. Read with PyYAML, without MkDocs: this is the CLI's
view of the file, and MkDocs reports what is wrong with it when it builds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

#: The names MkDocs looks for in the working folder.
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


@dataclass(frozen=True)
class Project:
    """Where the glossary is and how the site addresses its pages. ``config`` is the
    ``mkdocs.yml`` read, or ``None`` (then the defaults apply, relative to the working folder)."""

    config: Path | None = None
    glossary_dir: Path = Path("glossary")
    demos_dir: Path = Path("demos")
    terms_dir: str = "terms"
    use_directory_urls: bool = True
    site_url: str = ""


class _Loader(yaml.SafeLoader):
    """Safe loading that reads the tags MkDocs configurations carry (``!ENV``,
    ``!!python/name:...``) as nothing: none of them is an option read here."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def find(config_file: Path | None = None) -> Project | Problem:
    """The project of ``config_file``, else of ``mkdocs.yml`` in the working folder, else the
    defaults; a problem if the file cannot be read."""
    if config_file is None:
        config_file = next((Path(n) for n in CONFIG_NAMES if Path(n).is_file()), None)
        if config_file is None:
            return Project()
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(config_file, None, f"cannot read the MkDocs configuration: {exc}",
                       "give another one with --config-file")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Problem(config_file, mark.line + 1 if mark else None,
                       f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                       "correct the file (mkdocs build reports the same)")
    data = data if isinstance(data, dict) else {}
    options = _plugin_options(data.get("plugins"))
    root = config_file.parent
    site_url = data.get("site_url") or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return Project(config=config_file,
                   glossary_dir=root / str(options.get("glossary_dir", "glossary")),
                   demos_dir=root / str(options.get("demos_dir", "demos")),
                   terms_dir=str(options.get("terms_dir", "terms")),
                   use_directory_urls=data.get("use_directory_urls", True) is not False,
                   site_url=str(site_url))


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """The lexigraph plugin's options from ``plugins:``, a list (``- lexigraph`` or
    ``- lexigraph: {...}``) or a mapping; empty when it is not listed or has none."""
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and "lexigraph" in entry:
            return entry["lexigraph"] if isinstance(entry["lexigraph"], dict) else {}
    return {}
