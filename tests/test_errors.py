"""The error index (tools/errors.py, hooks/errors.py): every error and warning a page shows
is listed in every language, with links to the section that explains it."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from hooks import errors as hooks_errors
from tests.harness import links
from tools import errors, site_config, wordings

SITE = site_config.site()


def test_every_shown_error_sits_in_a_section_that_explains_it():
    problems = errors.problems(SITE)
    assert not problems, "\n".join(problems)


def test_languages_show_the_same_errors():
    per_language = {lang: sorted(e.key for e in errors.site_errors(SITE, lang)) for lang in SITE.languages}
    reference = per_language[SITE.default_language]
    for lang, keys in per_language.items():
        assert keys == reference, f"docs/{lang}/ shows other errors than docs/{SITE.default_language}/"


@pytest.mark.parametrize("lang", SITE.languages)
def test_the_built_index_lists_every_error_with_links_that_resolve(site, lang):
    url = SITE.page_url(lang, "reference/errors.md")
    html = BeautifulSoup((site.path / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = html.select("article table tbody tr")
    entries = errors.index(SITE, lang)
    older_wordings = wordings.by_key(wordings.load())
    assert len(entries) > 50 and len(rows) == len(entries), f"{len(rows)} rows for {len(entries)} errors"
    listed = "\n".join(row.select_one("td").get_text("\n") for row in rows)
    for entry in entries:
        first = entry.message.splitlines()[0] if entry.message else "—"
        assert first in listed, f"{entry.type}: {first[:60]} is missing from the index"
        for older in older_wordings.get(wordings.entry_key(entry), {}).get("older", []):
            wording = older["wording"].splitlines()[0]
            assert wording in listed, f"{entry.type}: older wording {wording[:60]} is missing from the index"
    for link in html.select("article table tbody tr td:nth-of-type(2) a"):
        target = urlsplit(urljoin(f"http://site/{url}", link["href"]))
        page = site.path / target.path.lstrip("/") / "index.html"
        assert page.exists(), f"{link['href']} leads to no page"
        assert target.fragment in links.anchors(page), f"{link['href']}: no section #{target.fragment}"


def test_an_error_before_any_section_is_named(tmp_path):
    (tmp_path / "docs/en").mkdir(parents=True)
    (tmp_path / "docs/en/page.md").write_text(
        "# Page\n\n```python\nraise ValueError('bad')\n```\n\n<!--pytest-codeblocks:expected-output-->\n"
        "```text\nValueError: bad\n```\n\n## Later { #later }\n\nText.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - i18n:\n      languages:\n        - locale: en\n          default: true\n", encoding="utf-8")
    site = site_config.load(tmp_path)
    assert errors.problems(site) == [
        "docs/en/page.md:8: ValueError is shown before the page's first section; put it under the heading "
        "of the section that explains it, so the error index can link there"]
    found = errors.site_errors(site, "en")
    assert [(e.type, e.message, e.section) for e in found] == [("ValueError", "bad", None)]


# --- older wordings (data/error-wordings.yml, made by `python3 dev.py wordings`) ---------------

def test_every_shown_error_has_older_wordings_or_a_new_in_keras_3_note():
    problems = wordings.problems(SITE, wordings.load())
    assert not problems, "\n".join(problems)


def _site_with_error(tmp_path, message="bad"):
    (tmp_path / "docs/en").mkdir(parents=True)
    (tmp_path / "docs/en/page.md").write_text(
        "# Page\n\n## Bad input { #bad }\n\n```python\nraise ValueError('x')\n```\n\n"
        f"<!--pytest-codeblocks:expected-output-->\n```text\nValueError: {message}\n```\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - i18n:\n      languages:\n        - locale: en\n          default: true\n", encoding="utf-8")
    return site_config.load(tmp_path)


def test_an_error_without_older_wordings_is_named_with_its_page_and_line(tmp_path):
    site = _site_with_error(tmp_path)
    accepted_only_by_keras_3 = [{"type": "ValueError", "message": "bad",
                                 "accepted": {"versions": "keras 3.0.5", "how": "ran ..."}}]
    expected = [f"docs/en/page.md:10: ValueError: bad has no older wording nor a new-in-Keras-3 note in "
                f"data/error-wordings.yml; run `python3 dev.py wordings`"]
    assert wordings.problems(site, []) == expected
    assert wordings.problems(site, accepted_only_by_keras_3) == expected
    assert wordings.problems(site, [{"type": "ValueError", "message": "bad", "new_in_keras_3": True}]) == []
    assert wordings.problems(site, [{"type": "ValueError", "message": "bad", "older": [
        {"wording": "ValueError: Bad.", "versions": "tf_keras 2.21", "how": "ran ..."}]}]) == []


def test_an_entry_no_page_shows_any_more_is_named_as_stale(tmp_path):
    site = _site_with_error(tmp_path)
    data = [{"type": "ValueError", "message": "bad", "new_in_keras_3": True},
            {"type": "TypeError", "message": "gone", "new_in_keras_3": True}]
    assert wordings.problems(site, data) == [
        "data/error-wordings.yml: stale entry TypeError: gone (no page shows it any more); "
        "run `python3 dev.py wordings`"]


def test_a_malformed_data_file_is_named(tmp_path):
    broken = tmp_path / "error-wordings.yml"
    broken.write_text("type: ValueError\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"error-wordings\.yml: expected a list of entries"):
        wordings.load(broken)
    broken.write_text("- [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"error-wordings\.yml: not valid YAML"):
        wordings.load(broken)


def test_older_wordings_are_rendered_under_their_message():
    texts = {"older": "Older wordings", "new_in_keras_3": "New in Keras 3.", "not_raised": "Not raised in {versions}."}
    cell = hooks_errors._older({"older": [{"wording": "ValueError: old_name", "versions": "tf_keras 2.21"}],
                                "accepted": {"versions": "keras 3.0.5"}}, texts)
    assert "<summary>Older wordings</summary><code>ValueError: old&#95;name</code> <small>(tf&#95;keras 2.21)" in cell
    assert "Not raised in keras 3.0.5." in cell and "New in Keras 3." not in cell
    assert "<em>New in Keras 3.</em>" in hooks_errors._older({"new_in_keras_3": True}, texts)
