"""The compatibility page (hooks/compatibility.py) and the runs behind it (tools/compat.py):
junit results are read back to pages, "works since" follows from them, the table covers every
page with code in both languages, and data/compatibility.yml is a real run of the releases
the tool names, about pages that exist."""

from __future__ import annotations

import textwrap

from bs4 import BeautifulSoup

from hooks import compatibility
from tests.test_site import LANGS, SITE, page_url
from tools import compat

PAGES = compat.english_pages(SITE)

JUNIT = textwrap.dedent("""\
    <?xml version="1.0" encoding="utf-8"?>
    <testsuites><testsuite name="pytest">
      <testcase classname="docs.en.building-blocks.losses.md" name="line 40"/>
      <testcase classname="docs.en.building-blocks.losses.md" name="line 88">
        <failure message="differs">docs/en/building-blocks/losses.md:88: output differs from the page
    --- page shows
    0.25
    --- code prints
    0.26</failure>
      </testcase>
      <testcase classname="docs.en.building-blocks.losses.md" name="line 99">
        <failure message="not run">docs/en/building-blocks/losses.md:99: not run: block at docs/en/building-blocks/losses.md:88 failed</failure>
      </testcase>
      <testcase classname="tests.claims.building_blocks.test_metrics" name="test_reset">
        <failure message="ValueError">  File /work/x/.cache/keras-envs/keras-3.13.2/lib/python3.11/site-packages/keras/a.py:3
    E   ValueError: Received: constraint=&lt;function f at 0x7f1ecaf97ba0&gt;</failure>
      </testcase>
      <testcase classname="tests.test_tree" name="test_rule"><error message="boom">Traceback
    ValueError: boom</error></testcase>
    </testsuite></testsuites>
    """)


def test_junit_failures_are_read_back_to_their_page(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT, encoding="utf-8")
    total, failed, seen = compat.failures([path], PAGES)
    assert total == 5
    assert seen == {"building-blocks/losses.md", "building-blocks/metrics.md"}
    assert [(f.group, f.page, f.test) for f in failed] == [
        ("page", "building-blocks/losses.md", "line 88"),
        ("claims", "building-blocks/metrics.md", "test_reset"),
        ("other", None, "test_rule"),
    ]
    assert failed[0].message.startswith("docs/en/building-blocks/losses.md:88: output differs")
    assert "0.26" in failed[0].message
    assert failed[0].later_not_run == 1  # line 99 is counted on line 88, not listed
    assert not failed[0].raised and failed[1].raised
    assert failed[1].message == "ValueError: Received: constraint=<function f at 0x...>"
    report = compat.report([path], "keras 9.9")
    assert "5 tests, 3 failing." in report and "`building-blocks/metrics.md` test_reset" in report


def _data(*broken: set[str]) -> dict:
    return {"tensorflow": "2.21.0", "pinned_keras": "3.15.1", "date": "2026-11-29",
            "releases": [{"keras": r, "tests": 10, "pages_tested": ["a.md", *PAGES], "failed": [
                {"page": p, "kind": "block", "test": "line 1", "message": "x"} for p in pages]}
                for r, pages in zip(["3.13.2", "3.14.1"], broken)]}


def test_works_since_is_the_oldest_release_from_which_on_every_run_passes():
    assert compat.since(_data(set(), set()), "a.md") == "3.13.2"
    assert compat.since(_data({"a.md"}, set()), "a.md") == "3.14.1"
    assert compat.since(_data({"a.md"}, {"a.md"}), "a.md") == "3.15.1"
    assert compat.since(_data(set(), {"a.md"}), "a.md") is None  # worked, then broke
    assert compat.since(_data(set(), set()), "new.md") is None  # not tested on every release


def test_table_has_a_row_per_page_with_code_and_lists_each_difference():
    texts = SITE.raw["extra"]["compatibility"]
    text = compatibility.render(SITE, _data({"building-blocks/losses.md"}, set()), "en",
                                "reference/compatibility.md", texts)
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) >= 30
    losses = next(r for r in rows if "(../building-blocks/losses.md)" in r)
    assert losses.endswith(f"| 3.14.1 | {texts['fails']} | ✓ | ✓ |")
    assert "## Keras 3.13.2" in text and "block at line 1" in text
    assert compatibility.render(SITE, {"releases": []}, "en", "x.md", texts) == texts["none"] + "\n"


def test_backend_runs_get_a_column_and_a_section():
    texts = SITE.raw["extra"]["compatibility"]
    data = _data(set(), set())
    data["backends"] = [{"backend": "jax", "tests": 5, "pages_tested": PAGES, "failed": [
        {"page": "training/gradients.md", "kind": "block", "test": "line 9", "message": "boom", "raised": True},
        {"page": "training/callbacks.md", "kind": "block", "test": "line 5", "message": "0.2", "raised": False}]}]
    text = compatibility.render(SITE, data, "en", "reference/compatibility.md", texts)
    assert "| 3.15.1 | JAX |" in text and "## JAX { #backend-jax }" in text
    gradients = next(r for r in text.splitlines() if "(../training/gradients.md)" in r)
    assert gradients.endswith(f"| ✓ | {texts['fails']} |")
    callbacks = next(r for r in text.splitlines() if "(../training/callbacks.md)" in r)
    assert callbacks.endswith(f"| ✓ | {texts['other_output']} |")


def test_recorded_run_covers_the_releases_and_pages_that_exist():
    data = compat.load()
    assert [r["keras"] for r in data["releases"]] == compat.RELEASES, (
        "data/compatibility.yml is not a run of tools/compat.py RELEASES; run python3 dev.py compat")
    stale = {f["page"] for r in data["releases"] for f in r["failed"]} - set(PAGES)
    assert not stale, f"data/compatibility.yml names pages that no longer exist: {sorted(stale)}"


def test_compatibility_page_is_built_in_every_language(site):
    for lang in LANGS:
        html = (site.path / page_url(lang, "reference/compatibility.md")).read_text(encoding="utf-8")
        table = BeautifulSoup(html, "html.parser").select_one("article table")
        assert table is not None, f"{lang}: no compatibility table"
        assert len(table.select("tbody tr")) >= 30
