"""One search index per language.

Material's search plugin writes one search/search_index.json; mkdocs-static-i18n builds each
language in turn and, at the end, rewrites that file with the pages of every language
(`lang: [en, es]`, lunr's multi-language pipeline). Every page then downloaded both
languages' text, and search ranked English and Spanish pages together.

This hook keeps each language's entries as its build ends and, once every language is
built, writes
- <site>/search/search_index.json: the default language's pages, `lang: [en]`;
- <site>/<locale>/search/search_index.json: that language's pages, with locations relative
  to <locale>/, `lang: [<locale>]` (the worker then loads lunr.<locale>.min.js) and a
  pipeline that keeps that language's trimmer, stop words and stemmer.
Pages of a non-default language get `"base"` in Material's #__config pointed at their
language root (<base_url>/<locale>/), so Material's script fetches that language's index
and resolves result links against it; nothing else of Material's reads `base` on this site
(no instant navigation, no versions). Checked by tests/test_site.py (each index holds
exactly its language's pages) and tests/test_browser.py (search in each language).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

_entries: dict[str, dict[str, list[dict]]] = {}  # language -> page URL -> entries
_BASE = re.compile(r'("base": ")([^"]*)(")')
# Lunr functions the worker keeps for a non-English index (the English one keeps
# Material's default, stop words only, and relies on prefix matching).
_PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]


def _languages(config) -> list:
    return [lang for lang in config.plugins["i18n"].config.languages if lang.build]


def _search(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def _prefix(link: str) -> str:
    """'/es/' -> 'es/', '/' -> ''."""
    return link.strip("/") + "/" if link.strip("/") else ""


def _link(config) -> str:
    language = config.theme["language"]
    return next((lang.link for lang in _languages(config) if lang.locale == language), "/")


def _rebase(output: str, config) -> str:
    """Point Material's `base` at the page's language root."""
    prefix = _prefix(_link(config))
    if not prefix:
        return output
    head, separator, rest = output.partition('<script id="__config"')
    if not separator:
        return output
    rest, count = _BASE.subn(lambda m: m[1] + m[2].rstrip("/") + "/" + prefix + m[3], rest, count=1)
    if count != 1:
        raise RuntimeError("hooks/search.py: no \"base\" in Material's #__config; the theme changed")
    return head + separator + rest


def on_post_page(output, page, config):
    return _rebase(output, config)


def on_post_template(output, template_name, config):
    return _rebase(output, config) if template_name == "404.html" else output


@event_priority(-50)  # after the search plugin (priority 0) has indexed this page
def on_page_context(context, page, config, nav):
    plugin = _search(config)
    if plugin is not None:
        url = page.url
        _entries.setdefault(config.theme["language"], {})[url] = [
            entry for entry in plugin.search_index.entries if entry["location"].split("#")[0] == url]
    return context


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config):
    plugin = _search(config)
    if plugin is None or getattr(config.plugins["i18n"], "building", False):
        return  # the inner build of one language: the outer build writes at the end
    site = Path(config.site_dir)
    shared = {key: plugin.search_index.config[key] for key in ["separator", "pipeline", "fields"]}
    for lang in _languages(config):
        prefix = _prefix(lang.link)
        docs = []
        for entries in _entries.get(lang.locale, {}).values():
            for entry in entries:
                location = entry["location"]
                if not location.startswith(prefix):
                    raise RuntimeError(f"hooks/search.py: a {lang.locale} page outside {prefix}: {location}")
                docs.append({**entry, "location": location[len(prefix):]})
        settings = {**shared, "lang": [lang.locale]}
        if lang.locale != "en":
            settings["pipeline"] = _PIPELINE
        target = site / prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"config": settings, "docs": docs}, separators=(",", ":"), default=str),
                          encoding="utf-8")
