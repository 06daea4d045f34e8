"""The error index, made at build time from the pages themselves (tools/errors.py).

A page containing the line <!-- error-index --> gets, in its own language, one table per
exception or warning type: each message exactly as the pages show it, and links to the
sections that explain it. Nothing in the index is typed by hand, so it cannot drift from the
pages, whose outputs the tests compare with what the code prints.
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import errors, page_text, site_config  # noqa: E402

MARKER = "<!-- error-index -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    here = getattr(page.file, "norm_src_uri", page.file.src_uri)
    lang = config.theme["language"]
    return markdown.replace(MARKER, render(site_config.load(Path(config.config_file_path).parent),
                                           lang, here, config.extra["error_index"]))


def _cell(text: str) -> str:
    """A message as table-cell HTML, or a dash for an exception raised without one."""
    if not text:
        return "—"
    # Character references keep Markdown from reading __main__ as emphasis or | as a column.
    escaped = html.escape(text)
    for char, reference in (("|", "&#124;"), ("_", "&#95;"), ("*", "&#42;"), ("`", "&#96;")):
        escaped = escaped.replace(char, reference)
    return "<code>" + "<br>".join(escaped.splitlines()) + "</code>"


def render(site: site_config.SiteConfig, lang: str, here: str, texts: dict) -> str:
    entries = errors.index(site, lang)
    pages = {place.page for entry in entries for place in entry.places}
    counts = {"errors": sum(e.type.endswith("Warning") is False for e in entries),
              "warnings": sum(e.type.endswith("Warning") for e in entries), "pages": len(pages)}
    out = [texts["summary"].format(**counts), ""]
    current = None
    for entry in entries:
        if entry.type != current:
            current = entry.type
            out += ["", f"## `{entry.type}` {{ #{entry.type.lower().replace('.', '-')} }}", "",
                    f"| {texts['message']} | {texts['explained']} |", "|---|---|"]
        links = []
        for place in entry.places:
            title = page_text.page_title(site.docs_dir / lang / place.page)
            target = posixpath.relpath(place.page, posixpath.dirname(here) or ".")
            links.append(f"[{title} › {place.section[1]}]({target}#{place.section[2]})")
        out.append(f"| {_cell(entry.message)} | {'<br>'.join(dict.fromkeys(links))} |")
    return "\n".join(out) + "\n"
