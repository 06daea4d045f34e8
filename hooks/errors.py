"""The error index, made at build time from the pages themselves (tools/errors.py).

A page containing the line <!-- error-index --> gets, in its own language, one table per
exception or warning type: each message exactly as the pages show it, and links to the
sections that explain it. Nothing in the index is typed by hand, so it cannot drift from the
pages, whose outputs the tests compare with what the code prints.

Under each message come its older wordings, what tf.keras 2 and earlier Keras 3 releases
print for the same code, with the versions that print them, or the note that tf.keras 2
accepted the code (data/error-wordings.yml, made by running the blocks: tools/wordings.py),
so that a reader who pastes an old message finds it in the site's search.
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import errors, page_text, site_config, wordings  # noqa: E402

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


def _plain(text: str) -> str:
    """Text as HTML that Markdown leaves alone (tf_keras is no emphasis)."""
    return html.escape(text).replace("_", "&#95;").replace("*", "&#42;")


def _older(record: dict | None, texts: dict) -> str:
    """The older wordings of one message, as cell HTML after the message."""
    if not record:
        return ""
    parts = []
    for older in record.get("older", []):
        parts.append(f"{_cell(older['wording'])} <small>({_plain(older['versions'])})</small>")
    if record.get("accepted"):
        parts.append(texts["not_raised"].format(versions=_plain(record["accepted"]["versions"])))
    if not parts and not record.get("new_in_keras_3"):
        return ""
    out = ""
    if record.get("new_in_keras_3"):
        out += f"<br><em>{texts['new_in_keras_3']}</em>"
    if parts:
        out += f"<details><summary>{texts['older']}</summary>{'<br>'.join(parts)}</details>"
    return out


def render(site: site_config.SiteConfig, lang: str, here: str, texts: dict) -> str:
    entries = errors.index(site, lang)
    older = wordings.by_key(wordings.load(site.root / wordings.DATA.relative_to(wordings.ROOT)))
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
        record = older.get(wordings.entry_key(entry))
        out.append(f"| {_cell(entry.message)}{_older(record, texts)} | {'<br>'.join(dict.fromkeys(links))} |")
    return "\n".join(out) + "\n"
