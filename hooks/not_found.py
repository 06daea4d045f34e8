"""A 404 page for every language.

mkdocs-static-i18n builds each language into the same site_dir, so every language writes
its 404.html to the root (the last one wins) with the language links of whatever page was
rendered before it. This hook keeps the default language's 404.html at the root, writes
each other language's to <locale>/404.html, and points the language menu of every 404 page
at the home page of each language. overrides/404.html sends a visitor who lands on the
root 404 from a translated section to that language's 404 page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

_root_page: str | None = None


def _i18n_languages(config) -> list:
    return config.plugins["i18n"].config.languages


def on_pre_template(template, template_name, config):
    if template_name == "404.html":
        base = urlsplit(config.site_url or "/").path.rstrip("/")
        homes = {lang.locale: base + lang.link for lang in _i18n_languages(config) if lang.build}
        # The i18n plugin sets the menu both as an attribute and as a key of config.extra,
        # and the template reads the attribute first: fix whichever is there.
        for alternates in (getattr(config.extra, "alternate", None), config.extra.get("alternate")):
            for alternate in alternates or []:
                alternate["link"] = homes.get(alternate["lang"], alternate["link"])
        config.extra["language_homes"] = homes
    return template


def on_post_template(output, template_name, config):
    global _root_page
    if template_name != "404.html":
        return output
    language = config.theme["language"]
    default = next(lang.locale for lang in _i18n_languages(config) if lang.default)
    if language == default:
        _root_page = output
        return output
    target = Path(config.site_dir) / language / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _root_page if _root_page is not None else output
