"""Old addresses keep working after pages move.

`extra.redirects` in mkdocs.yml maps a page's old path to its new one, both relative to a
language folder (`layers/lambda.md: layers-and-models/lambda.md`). After the build, every
built language gets a small page at each old address that sends the reader on to the new
page in the same language. It is written here rather than with mkdocs-redirects because
that plugin resolves targets against one file list, while mkdocs-static-i18n builds one
per language; this hook only needs the URL rule every other part of the site uses
(tools/site_config.py).
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import site_config  # noqa: E402

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{target}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace({target_js} + location.hash)</script>
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def redirect_page(lang: str, old_url: str, new_url: str, title: str) -> str:
    """The HTML written at `old_url` (a site path like "es/layers/lambda/")."""
    target = posixpath.relpath(new_url or ".", old_url or ".") + "/"
    target = html.escape(target.replace("//", "/"))
    return PAGE.format(lang=lang, title=html.escape(title), target=target, target_js=repr(html.unescape(target)))


def on_post_build(config):
    site = site_config.site()
    redirects = config.extra.get("redirects") or {}
    texts = {lang: (config.extra.get("redirect_title") or "This page has moved") for lang in site.languages}
    for lang, texts_extra in _language_extras(config).items():
        texts[lang] = texts_extra.get("redirect_title", texts[lang])
    for lang in site.languages:
        for old, new in redirects.items():
            if not (site.docs_dir / site.default_language / new).exists():
                raise ValueError(f"mkdocs.yml: extra.redirects sends {old} to {new}, which is not a page")
            if (site.docs_dir / site.default_language / old).exists():
                raise ValueError(f"mkdocs.yml: extra.redirects: {old} is a page again; remove the redirect")
            old_url, new_url = site.page_url(lang, old), site.page_url(lang, new)
            out = Path(config.site_dir) / old_url / "index.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(redirect_page(lang, old_url, new_url, texts[lang]), encoding="utf-8")


def _language_extras(config) -> dict:
    try:
        languages = config.plugins["i18n"].config.languages
    except (KeyError, AttributeError):
        return {}
    return {lang.locale: dict(getattr(lang, "extra", None) or {}) for lang in languages}
