"""A pasted error message finds the section that explains it.

Lunr ranks a whole pasted message (dozens of words, quotes, backticks, paths) poorly: the
words it shares with the explaining section are drowned by the words it shares with every
page about Keras. So, once every language is built, this hook writes next to each
language's search index (hooks/search.py) a small table of every message the site shows
and the section that explains it:

- <site>/search/errors.json, <site>/<locale>/search/errors.json:
  {"entries": [{"text": "ValueError: message", "location": "page/#anchor",
                "title": "Page › Section", "older": false}, ...]}

one entry per message the error index lists (tools/errors.py), in that language, pointing
at the first section the index links for it; and, when data/error-wordings.yml exists
(tools/wordings.py), one more entry per older wording (tf.keras 2, earlier Keras 3) of the
same message, pointing at the same section. Locations are relative to the language root,
like the search index's, so the browser resolves them against Material's `base`.

docs/assets/javascripts/error-search.js (loaded by overrides/main.html only once the reader
types in the search box) fetches the table, and when the query looks like an error message
and matches an entry well enough puts that section first in Material's result list.
Checked by tests/test_error_search.py (the table, and the matcher on every message) and
tests/test_browser.py (messages pasted into the search box of each language).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import errors, page_text, site_config, wordings  # noqa: E402

TARGET = "search/errors.json"


def _plain_heading(text: str) -> str:
    """A heading's text as a reader sees it: no backticks, no character references."""
    return re.sub(r"\s+", " ", text.replace("`", "")).strip()


def entries(site: site_config.SiteConfig, lang: str, older: list[dict] | None = None) -> list[dict]:
    """The table for one language (see the module docstring)."""
    prefix = "" if lang == site.default_language else f"{lang}/"
    known = wordings.by_key(older if older is not None else wordings.load(site.root / "data" / "error-wordings.yml"))
    table, older_rows = [], []
    for entry in errors.index(site, lang):
        place = next((p for p in entry.places if p.section), None)
        if place is None:
            continue  # tools.errors.problems reports it
        text = f"{entry.type}: {entry.message}" if entry.message else entry.type
        title = page_text.page_title(site.docs_dir / lang / place.page)
        location = site.page_url(lang, place.page).removeprefix(prefix) + "#" + place.section[2]
        target = {"location": location, "title": f"{_plain_heading(title)} › {_plain_heading(place.section[1])}"}
        table.append({"text": text, **target, "older": False})
        record = known.get(wordings.entry_key(entry)) or {}
        older_rows += [{"text": w["wording"], **target, "older": True} for w in record.get("older", []) if w.get("wording")]
    # An older release's wording that a page shows as today's message (an abridged message
    # elsewhere, whose full text older releases printed too) belongs to that page's section.
    current = {row["text"] for row in table}
    return table + [row for row in older_rows if row["text"] not in current]


@event_priority(-210)  # after hooks/search.py has written each language's index
def on_post_build(config):
    if getattr(config.plugins["i18n"], "building", False):
        return  # the inner build of one language: the outer build writes at the end
    site = site_config.load(Path(config.config_file_path).parent)
    older = wordings.load(site.root / "data" / "error-wordings.yml")
    for lang in site.languages:
        target = Path(config.site_dir) / ("" if lang == site.default_language else lang) / TARGET
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"entries": entries(site, lang, older)}, ensure_ascii=False,
                                     separators=(",", ":")), encoding="utf-8")
