"""The site's configuration, read from mkdocs.yml so that tests never keep a copy of it."""

from __future__ import annotations

import copy
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    raw: dict

    @property
    def docs_dir(self) -> Path:
        return self.root / self.raw.get("docs_dir", "docs")

    def _i18n(self) -> dict:
        for plugin in self.raw.get("plugins", []):
            if isinstance(plugin, dict) and "i18n" in plugin:
                return plugin["i18n"]
        raise LookupError("mkdocs.yml has no i18n plugin")

    @property
    def languages(self) -> list[str]:
        """Built locales, default language first."""
        langs = [lang for lang in self._i18n()["languages"] if lang.get("build", True)]
        langs.sort(key=lambda lang: not lang.get("default", False))
        return [lang["locale"] for lang in langs]

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def markdown_extension(self, name: str) -> dict:
        for ext in self.raw.get("markdown_extensions", []):
            if isinstance(ext, dict) and name in ext:
                return dict(ext[name] or {})
            if ext == name:
                return {}
        raise LookupError(f"mkdocs.yml does not enable {name}")

    def snippets_options(self) -> dict:
        """pymdownx.snippets options as MkDocs would apply them when run from the root:
        relative base paths are resolved against the repository root."""
        options = self.markdown_extension("pymdownx.snippets")
        bases = options.get("base_path", ["."])
        if isinstance(bases, str):
            bases = [bases]
        options["base_path"] = [str((self.root / b).resolve()) for b in bases]
        return options

    def page_url(self, lang: str, relative: str) -> str:
        """Site path of a page (directory URLs): ("es", "concepts/x.md") -> "es/concepts/x/",
        ("en", "labs/index.md") -> "labs/", ("en", "index.md") -> ""."""
        stem = relative.removesuffix(".md")
        path = "" if stem == "index" else (stem.removesuffix("index") if stem.endswith("/index") else stem + "/")
        return ("" if lang == self.default_language else f"{lang}/") + path

    def pages(self, lang: str) -> list[Path]:
        return sorted((self.docs_dir / lang).rglob("*.md"))


def load(root: Path = ROOT) -> SiteConfig:
    """The configuration of the project at `root`. Every hook asks for it on every page, and
    MkDocs' YAML loader is pure Python (0.06 s for this mkdocs.yml, 11 s a build), so a file
    read once is reused while its bytes and the environment (`!ENV` values) stay the same.
    Each caller gets its own copy: a caller that changes `raw` changes nobody else's."""
    text = (root / "mkdocs.yml").read_bytes()
    return SiteConfig(root=root, raw=copy.deepcopy(_parsed(text, tuple(sorted(os.environ.items())))))


@functools.lru_cache(maxsize=8)
def _parsed(text: bytes, environment: tuple) -> dict:  # the environment is part of the key only
    return yaml_load(text.decode("utf-8"))


@functools.cache
def site() -> SiteConfig:
    return load()
