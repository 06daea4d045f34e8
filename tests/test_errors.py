"""The error index (tools/errors.py, hooks/errors.py): every error and warning a page shows
is listed in every language, with links to the section that explains it."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tools import errors, site_config

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
    assert len(entries) > 50 and len(rows) == len(entries), f"{len(rows)} rows for {len(entries)} errors"
    listed = "\n".join(row.select_one("td").get_text("\n") for row in rows)
    for entry in entries:
        first = entry.message.splitlines()[0] if entry.message else "—"
        assert first in listed, f"{entry.type}: {first[:60]} is missing from the index"
    for link in html.select("article table tbody tr td:nth-of-type(2) a"):
        target = urlsplit(urljoin(f"http://site/{url}", link["href"]))
        page = site.path / target.path.lstrip("/") / "index.html"
        assert page.exists(), f"{link['href']} leads to no page"
        ids = {tag.get("id") for tag in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(id=True)}
        assert target.fragment in ids, f"{link['href']}: no section #{target.fragment}"


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
