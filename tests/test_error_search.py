"""The table behind error-message search (hooks/error_search.py) and its matcher
(docs/assets/javascripts/error-search.js, run in Chromium on a blank page).

The table: one entry per message the error index lists, in each language, pointing at a
section that exists in the built site; older wordings (data/error-wordings.yml) point at
the same section. The matcher: every message of the table, pasted whole or with its quotes,
backticks and line breaks changed or with a traceback before it, finds its own section;
ordinary queries find nothing, so Material's results stay as they are.
"""

from __future__ import annotations

import json
import re

import pytest

from hooks import error_search
from tests.harness import links
from tests.test_site import LANGS, SITE
from tools import errors

SCRIPT = SITE.docs_dir / "assets" / "javascripts" / "error-search.js"
ORDINARY = ["streaming metric", "métrica en streaming", "custom loss", "get_config", "ValueError",
            "train_step", "how do I write a custom training loop with a gradient tape",
            "cómo escribir un bucle de entrenamiento propio", "mixed precision loss scale"]


def table(site, lang: str) -> list[dict]:
    home = site.path / ("" if lang == SITE.default_language else lang)
    return json.loads((home / error_search.TARGET).read_text(encoding="utf-8"))["entries"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_shown_message_points_at_an_existing_section(site, lang):
    entries = table(site, lang)
    assert entries == error_search.entries(SITE, lang), "the built table is the hook's table"
    shown = {f"{e.type}: {e.message}" if e.message else e.type for e in errors.index(SITE, lang)}
    assert shown <= {e["text"] for e in entries}
    home = site.path / ("" if lang == SITE.default_language else lang)
    problems = []
    for entry in entries:
        page, anchor = entry["location"].split("#")
        html = home / page / "index.html"
        if not html.exists():
            problems.append(f"{entry['location']}: no page {html}")
        elif anchor not in links.anchors(html):
            problems.append(f"{entry['location']}: no #{anchor} on the page")
    assert not problems, "\n".join(problems)


def test_older_wordings_point_at_the_section_of_their_message():
    entry = errors.index(SITE, "en")[0]
    key_message = entry.message.splitlines()[0]
    older = [{"type": entry.type, "message": key_message,
              "older": [{"wording": "KeyError: an older wording", "versions": "tf_keras 2.21"}]}]
    rows = error_search.entries(SITE, "en", older)
    current = next(r for r in rows if r["text"] == f"{entry.type}: {entry.message}")
    old = next(r for r in rows if r["older"])
    assert old == {**current, "text": "KeyError: an older wording", "older": True}
    assert sum(r["older"] for r in rows) == 1
    assert not any(r["older"] for r in error_search.entries(SITE, "en", []))
    # An older wording that another section shows as today's message stays that section's.
    other = next(e for e in errors.index(SITE, "en")[1:] if f"{e.type}: {e.message}" != f"{entry.type}: {entry.message}")
    shown_elsewhere = f"{other.type}: {other.message}"
    older[0]["older"] = [{"wording": shown_elsewhere, "versions": "keras 3.13.2"}]
    rows = [r for r in error_search.entries(SITE, "en", older) if r["text"] == shown_elsewhere]
    assert rows and not any(r["older"] for r in rows)


@pytest.fixture(scope="module")
def matcher(browser):
    """A blank page with the matcher loaded (no search box: it only defines window.errorSearch)."""
    page = browser.new_page()
    page.set_content("<!doctype html><html><head></head><body></body></html>")
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    yield page
    page.close()


def best(page, entries: list[dict], queries: list[str]) -> list[str | None]:
    """The location the matcher picks for each query, or None."""
    return page.evaluate("""([entries, queries]) => {
        const table = window.errorSearch.prepare(entries);
        return queries.map(q => { const m = window.errorSearch.best(table, q); return m && m.entry.location; });
    }""", [entries, queries])


VARIANTS = {
    "as shown": lambda text: text,
    "on one line": lambda text: " ".join(text.split()),
    "other quotes": lambda text: text.replace("'", '"').replace("`", ""),
    "after a traceback": lambda text: ('Traceback (most recent call last):\n  File "/home/me/train.py", '
                                       "line 12, in <module>\n    model.fit(x, y)\n" + text),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_message_finds_its_own_section(matcher, site, lang, variant):
    entries = table(site, lang)
    same = {}  # messages with the same words explain the same thing: any of their sections
    for entry in entries:
        words = frozenset(re.findall(r"[^\W_]+", entry["text"].lower()))
        same.setdefault(words, set()).add(entry["location"])
    queries = [VARIANTS[variant](e["text"]) for e in entries]
    found = best(matcher, entries, queries)
    wrong = [f"{e['text'][:90]!r}: {got} instead of {e['location']}"
             for e, got in zip(entries, found)
             if got not in same[frozenset(re.findall(r"[^\W_]+", e["text"].lower()))]]
    assert not wrong, f"{len(wrong)} of {len(entries)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_ordinary_queries_match_nothing(matcher, site, lang):
    assert best(matcher, table(site, lang), ORDINARY) == [None] * len(ORDINARY)


def test_words_and_threshold(matcher):
    entries = [{"text": "ValueError: The filename must end in `.weights.h5`. Received: filepath=w", "location": "a/#x"},
               {"text": "ValueError: Unknown layer: 'Scale'. Please ensure the object is in the scope.", "location": "b/#y"},
               {"text": "TypeError: Could not locate class 'Offset'. Make sure custom classes are registered.",
                "location": "c/#z"}]
    words = matcher.evaluate("t => window.errorSearch.words(t)", "`keras.Layer`'s \"name\": /tmp/a_b.keras — Código")
    assert words == ["keras", "layer", "s", "name", "tmp", "a", "b", "keras", "código"]
    found = best(matcher, entries, [
        "ValueError: The filename must end in .weights.h5 Received: filepath=/data/my_model",  # other path
        "TypeError: Could not locate class 'MyBlock'. Make sure custom classes are registered.",  # other name
        "ValueError: Unknown layer",          # names an error but shares too few words
        "Unknown layer Scale",                # short and names no error: an ordinary query
        "ValueError: something else entirely happened while fitting the model"])
    assert found == ["a/#x", "c/#z", None, None, None]
