"""Translation notices and the translation status page, at build time.

- A translated page whose English original has new prose since it was translated opens
  with a notice in its own language that links to the English page.
- A page that a language lacks (mkdocs-static-i18n then shows the English page) says so.
- A page containing the line <!-- translation-status --> gets the status tables, made
  from tools/translations.py, the same data as `python3 dev.py translations`.
Texts come from extra.translation in mkdocs.yml; each language overrides them there.
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path

from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import page_text, site_config, translations  # noqa: E402

MARKER = "<!-- translation-status -->"
_statuses: dict[tuple[str, str], translations.PageStatus] = {}


def _languages(config):
    return config.plugins["i18n"].config.languages


def _default(config) -> str:
    return next(lang.locale for lang in _languages(config) if lang.default)


def on_pre_build(config):
    # Called once per language build; git answers in milliseconds.
    site = site_config.load(Path(config.config_file_path).parent)
    _statuses.clear()
    _statuses.update({(s.lang, s.page): s for s in translations.statuses(site)})


def _notice(kind: str, texts: dict, link: str) -> str:
    text = texts[kind]
    anchor = f'<a href="{html.escape(link)}">{html.escape(texts["english_link"])}</a>'
    return f'!!! warning "{text["title"]}"\n\n    {text["message"]} {anchor}\n\n'


def on_page_markdown(markdown, page, config, files):
    lang, default = config.theme["language"], _default(config)
    texts = config.extra["translation"]
    if MARKER in markdown:
        here = getattr(page.file, "norm_src_uri", page.file.src_uri)
        markdown = markdown.replace(MARKER, _status_tables(config, texts, here))
    if lang == default:
        return markdown
    english = getattr(page.file, "alternates", {}).get(default)
    link = get_relative_url(english.url, page.url) if english else get_relative_url("", page.url)
    if getattr(page.file, "locale", lang) != lang:
        return _notice("missing", texts, link) + markdown
    relative = getattr(page.file, "norm_src_uri", page.file.src_uri)
    status = _statuses.get((lang, relative))
    if status and status.state != translations.UP_TO_DATE:
        return _notice("outdated", texts, link) + markdown
    return markdown


def _status_tables(config, texts: dict, here: str) -> str:
    """The status tables, with page links relative to `here`, the status page's path."""
    site = site_config.load(Path(config.config_file_path).parent)
    names = {lang.locale: lang.name for lang in _languages(config)}
    headers = texts["table"]
    out = []
    for lang in site.languages[1:]:
        rows = [s for s in _statuses.values() if s.lang == lang]
        done = sum(s.state == translations.UP_TO_DATE for s in rows)
        reviewed = sum(bool(s.reviewed) for s in rows)
        out.append(f"## {names[lang]} ({lang}) {{ #{lang} }}\n")
        out.append(headers["summary"].format(total=len(rows), current=done, reviewed=reviewed) + "\n")
        out.append(f"| {headers['page']} | {headers['state']} | {headers['reviewed']} |\n|---|---|---|")
        for s in sorted(rows, key=lambda s: s.page):
            source = site.docs_dir / (lang if s.state != translations.MISSING else site.default_language) / s.page
            link = posixpath.relpath(s.page, posixpath.dirname(here) or ".")
            out.append(f"| [{page_text.page_title(source)}]({link}) | {texts['states'][s.state]} | {s.reviewed or '—'} |")
        out.append("")
        for s in rows:
            if s.diff:
                out.append(f'??? note "{headers["changes"].format(page=s.page)}"\n\n    ```diff')
                out += ["    " + line for line in s.diff.splitlines()]
                out.append("    ```\n")
    return "\n".join(out)
