"""The compatibility page (hooks/compatibility.py) and the runs behind it (tools/compat.py):
junit results are read back to pages, "works since" follows from them, the table covers every
page with code in both languages, and data/compatibility.yml is a real run of the releases
the tool names, about pages that exist. Then the per-section backend labels
(hooks/backend_labels.py, tools/backend_matrix.py): from fixture data in both languages, a
raise removes a backend, other output is marked, the section table, and data naming a block
that does not exist is an error that names the file and its line."""

from __future__ import annotations

import html
import textwrap

import pytest
import yaml
from bs4 import BeautifulSoup

from hooks import backend_labels, compatibility
from tests.test_site import DEFAULT, LANGS, SITE, page_url
from tests.harness import execute
from tests.harness.blocks import Block
from tests.harness.execute import Result
from tools import backend_matrix, compat, expand

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


def test_a_target_this_machine_has_not_run_keeps_its_recorded_results(tmp_path, monkeypatch):
    # Refreshing only the backends on a fresh clone (no junit files of the releases in
    # .cache/) once wrote `releases: []`; failures are listed by page and line, not in the
    # order the workers finished them.
    monkeypatch.setattr(compat, "CACHE", tmp_path)
    run = compat.Target("keras", "3.14.1")
    run.junit.write_text(JUNIT.replace('name="line 40"/>', 'name="line 40"><failure message="x">'
                                       "docs/en/building-blocks/losses.md:40: output differs</failure>"
                                       "</testcase>"), encoding="utf-8")
    previous = {"releases": [{"keras": "3.13.2", "tests": 7, "failed": []},
                             {"keras": "3.14.1", "tests": 1, "failed": []}],
                "backends": [{"backend": "jax", "tests": 3, "failed": [], "blocks": {}}]}
    targets = [compat.Target("keras", "3.13.2"), run, compat.Target("backend", "jax"),
               compat.Target("backend", "torch")]
    data = compat.build(SITE, targets, "1", rerun=[], previous=previous)
    assert data["releases"][0] == previous["releases"][0]
    assert data["backends"] == previous["backends"]  # torch: never run, nothing recorded
    fresh = data["releases"][1]
    assert fresh["tests"] == 5
    assert [(f["page"], f["test"]) for f in fresh["failed"]] == [
        (None, "test_rule"), ("building-blocks/losses.md", "line 40"),
        ("building-blocks/losses.md", "line 88"), ("building-blocks/metrics.md", "test_reset")]


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


# --- per-section backend labels (hooks/backend_labels.py, tools/backend_matrix.py) ---------

LABELLED = "building-blocks/losses.md"
COMPATIBILITY_LINK = "../reference/compatibility.md#sections"


def _language_extra(lang: str, key: str) -> dict:
    own = next(l for l in SITE._i18n()["languages"] if l["locale"] == lang)
    return own.get("extra", {}).get(key) or SITE.raw["extra"][key]


def _page_text(lang: str, page: str = LABELLED) -> str:
    return (SITE.docs_dir / lang / page).read_text(encoding="utf-8")


def _backend_data(results: dict[str, dict[int, str]]) -> dict:
    """Backend records of LABELLED where every block is "same", except the given
    {backend: {section index: result}} (applied to the section's first block)."""
    sections = [s for s in backend_matrix.sections(_page_text("en")) if s.anchor]
    records = []
    for backend, changed in results.items():
        blocks = []
        for index, section in enumerate(sections):
            for number, line in enumerate(section.blocks):
                result = changed.get(index, "same") if number == 0 else "same"
                blocks.append({"line": line, "section": section.anchor, "result": result,
                               **({"error": "TypeError: boom"} if result == "raises" else {})})
        records.append({"backend": backend, "tests": 9, "pages_tested": [LABELLED], "failed": [],
                        "blocks": {LABELLED: blocks}})
    return {**_data(set(), set()), "backends": records}


def _labels(markdown: str, lang: str) -> dict[str, str]:
    """Heading line -> the label line under it."""
    lines = markdown.splitlines()
    return {line: lines[i + 2] for i, line in enumerate(lines[:-2])
            if line.startswith("## ") and lines[i + 2].startswith(f"[{_language_extra(lang, 'backend_labels')['runs_on']}]")}


def _labelled(lang: str, data: dict, declared: dict | None = None) -> dict[str, str]:
    markdown = backend_labels.add_labels(
        _page_text(lang), _page_text("en"), LABELLED, data, _language_extra(lang, "backend_labels"),
        _language_extra(lang, "compatibility"), COMPATIBILITY_LINK, declared)
    return _labels(markdown, lang)


def test_each_section_with_code_gets_a_label_in_every_language():
    data = _backend_data({"jax": {}, "torch": {}})
    sections = [s for s in backend_matrix.sections(_page_text("en")) if s.anchor]
    for lang in LANGS:
        labels = _labelled(lang, data)
        texts = _language_extra(lang, "backend_labels")
        assert len(labels) == len(sections), f"{lang}: {len(labels)} labels for {len(sections)} sections"
        for label in labels.values():
            assert label == f"[{texts['runs_on']}]({COMPATIBILITY_LINK}): TensorFlow · JAX · PyTorch"
    # A heading without code below it (Related hooks) gets none.
    assert not any("Related" in heading for heading in _labelled("en", data))


def test_a_raise_removes_the_backend_and_other_output_is_marked():
    data = _backend_data({"jax": {0: "raises", 1: "other"}, "torch": {1: "raises"}})
    for lang in LANGS:
        labels = list(_labelled(lang, data).values())
        title = html.escape(_language_extra(lang, "backend_labels")["other_output"])
        assert labels[0].endswith("): TensorFlow · PyTorch"), labels[0]
        assert labels[1].endswith(f'): TensorFlow · JAX<abbr class="kh-other-output" title="{title}">&#42;</abbr>'), labels[1]
        assert labels[2].endswith("): TensorFlow · JAX · PyTorch"), labels[2]


def test_a_page_rendered_from_its_notebook_gets_the_labels_in_its_html():
    sections = [s for s in backend_matrix.sections(_page_text("en")) if s.anchor]
    # English headings carry the anchor as their id, translated ones inside (tools/notebooks.py).
    content = "".join(f'<h2 id="{s.anchor}">T<a class="headerlink" href="#{s.anchor}">¶</a></h2><p>x</p>'
                      if i % 2 else f'<h2 id="t{i}">T <a id="{s.anchor}"></a><a href="#t{i}">¶</a></h2><p>x</p>'
                      for i, s in enumerate(sections))
    data = _backend_data({"jax": {0: "raises", 1: "other"}})
    out = backend_labels.add_labels_html(content, _page_text("en"), LABELLED, data, SITE.raw["extra"]["backend_labels"],
                                         SITE.raw["extra"]["compatibility"], "../x/#sections")
    labels = BeautifulSoup(out, "html.parser").select(f"h2 + p.{backend_labels.CLASS}")
    assert [label.get_text() for label in labels][:3] == ["Runs on: TensorFlow", "Runs on: TensorFlow · JAX*",
                                                          "Runs on: TensorFlow · JAX"]
    assert len(labels) == len(sections) and labels[0].a["href"] == "../x/#sections"


def test_no_backend_data_no_label_and_a_changed_section_says_so():
    assert _labelled("en", {"backends": []}) == {}
    data = _backend_data({"jax": {}})
    data["backends"][0]["blocks"][LABELLED] = data["backends"][0]["blocks"][LABELLED][1:]  # first block lost
    first = list(_labelled("en", data).values())[0]
    assert first.endswith(" · ".join(["TensorFlow"]) + " " + SITE.raw["extra"]["backend_labels"]["untested"].format(backends="JAX"))


def _write(tmp_path, data: dict):
    path = tmp_path / "compatibility.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_data_naming_a_missing_page_or_line_is_an_error_with_file_and_line(tmp_path):
    data = _backend_data({"jax": {}})
    english = {LABELLED: _page_text("en")}
    backend_matrix.check(data, english, _write(tmp_path, data))  # the fixture itself is right
    blocks = data["backends"][0]["blocks"][LABELLED]
    wrong = blocks[1]["line"] + 1
    blocks[1]["line"] = wrong
    path = _write(tmp_path, data)
    with pytest.raises(backend_matrix.DataError) as error:
        backend_matrix.check(data, english, path)
    yaml_line = next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                     if line.strip() == f"- line: {wrong}")
    assert str(error.value).startswith(f"{path}:{yaml_line}: backend jax names docs/en/{LABELLED}:{wrong}, "
                                       "which is not a Python block")
    data["backends"][0]["blocks"] = {"no/such-page.md": blocks}
    path = _write(tmp_path, data)
    with pytest.raises(backend_matrix.DataError, match=rf"^{path}:\d+: backend jax names page "
                                                       "docs/en/no/such-page.md, which does not exist"):
        backend_matrix.check(data, english, path)


def test_section_table_lists_every_section_with_each_backend():
    data = _backend_data({"jax": {0: "raises", 1: "other"}, "torch": {}})
    sections = [s for s in backend_matrix.sections(_page_text("en")) if s.anchor]
    for lang in LANGS:
        texts = _language_extra(lang, "compatibility")
        text = compatibility.render(SITE, data, lang, "reference/compatibility.md", texts)
        table = text.split("{ #sections }")[1].split("{ #backend-")[0]
        rows = [r for r in table.splitlines() if "(../building-blocks/losses.md#" in r]
        assert [r.split("#")[1].split(")")[0] for r in rows] == [s.anchor for s in sections]
        # The line is the reader's page's own (the Spanish page's in Spanish).
        own = [s for s in backend_matrix.sections(_page_text(lang)) if s.anchor]
        assert rows[0].endswith(f"| ✓ | {texts['raises'].format(lines=own[0].blocks[0])} | ✓ |")
        assert rows[1].endswith(f"| ✓ | {texts['other_output']} | ✓ |")
        # The Spanish rows carry the Spanish headings, linked by their English anchors.
        assert backend_matrix.sections(_page_text(lang))[1].title in rows[0]
        assert f"`TypeError: boom`" in text.split("{ #backend-jax }")[1]


def test_recorded_backend_results_name_blocks_that_exist():
    data = compat.load()
    assert all(r.get("blocks") for r in data["backends"]), (
        "data/compatibility.yml has no per-block backend results; run python3 dev.py compat --backend jax torch")
    compat.check_data()  # raises, naming file and line, when a page changed since the run


def _built_pages(site, lang: str) -> list:
    """The built pages of one language (the default one at the top, the others in lang/)."""
    def top(path):
        return path.relative_to(site.path).parts[0]
    return [p for p in site.path.rglob("index.html") if (top(p) == lang if lang != DEFAULT else top(p) not in LANGS)]


def test_built_pages_carry_the_labels_in_every_language(site):
    with_code = sum(len(backend_matrix.sections(_page_text(DEFAULT, p))) for p in PAGES)
    for lang in LANGS:
        texts = _language_extra(lang, "backend_labels")
        page = BeautifulSoup((site.path / page_url(lang, LABELLED)).read_text(encoding="utf-8"), "html.parser")
        labels = page.select(f"article p.{backend_labels.CLASS}")
        assert labels, f"{lang}: no backend label on {LABELLED}"
        assert all(label.find_previous_sibling().name == "h2" for label in labels)
        assert all(label.get_text().startswith(texts["runs_on"] + ": TensorFlow") for label in labels)
        lab = BeautifulSoup((site.path / page_url(lang, "labs/regression-lab.md")).read_text(encoding="utf-8"),
                            "html.parser")  # rendered from its notebook, not from Markdown
        assert lab.select(f"h2 + p.{backend_labels.CLASS}"), f"{lang}: no backend label on the lab page"
        # The "other output" mark, wherever the real data puts one: a plain "*" with its title.
        marks = [m for p in _built_pages(site, lang) if "kh-other-output" in p.read_text(encoding="utf-8")
                 for m in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
                 .select(f"p.{backend_labels.CLASS} abbr.kh-other-output")]
        assert marks and all(m.get_text() == "*" and m["title"] == texts["other_output"] for m in marks), (
            f"{lang}: other-output marks broken")
        compat_page = BeautifulSoup((site.path / page_url(lang, "reference/compatibility.md")).read_text(encoding="utf-8"),
                                    "html.parser")
        heading = compat_page.select_one("h2#sections")
        assert heading is not None, f"{lang}: no section table"
        # One collapsed block per page (closed: not laid out until opened), a table in each.
        blocks = []
        for element in heading.find_next_siblings():
            if element.name == "h2":
                break
            if element.name == "details":
                blocks.append(element)
        assert blocks and not any(b.has_attr("open") for b in blocks), f"{lang}: no closed blocks of sections"
        assert sum(len(b.select("table tbody tr")) for b in blocks) == with_code


def test_the_backend_check_names_every_block_whose_result_changed():
    def run(*blocks):
        return {"backends": [{"backend": "jax", "blocks": {"concepts/x.md": [
            {"line": line, "section": "s", "result": result, **({"error": "ValueError: no"} if result == "raises" else {})}
            for line, result in blocks]}}]}
    recorded = run((10, "same"), (20, "other"), (30, "raises"))
    assert compat.changed_blocks(recorded, recorded) == []
    changed = compat.changed_blocks(recorded, run((10, "raises"), (20, "other"), (40, "same")))
    assert changed == [
        "docs/en/concepts/x.md:10: on jax compatibility.yml says 'same', this run: 'raises' (ValueError: no)",
        "docs/en/concepts/x.md:30: on jax compatibility.yml says 'raises', this run: 'no result'",
        "docs/en/concepts/x.md:40: on jax compatibility.yml says 'no result', this run: 'same'"]
    assert compat.changed_blocks({"backends": []}, run((10, "same")))  # no recorded run at all


def test_results_follow_their_blocks_when_the_prose_moves_them_and_go_stale_when_a_section_changes(tmp_path):
    data = _backend_data({"jax": {0: "raises"}})
    recorded = data["backends"][0]["blocks"]
    text = _page_text("en")
    first = next(s for s in backend_matrix.sections(text) if s.anchor)
    # Two lines of prose above the first section: every block moves down by two.
    lines = text.split("\n")
    moved = "\n".join(lines[:first.line - 1] + ["More prose.", ""] + lines[first.line - 1:])
    now = backend_matrix.relocated(recorded, {LABELLED: moved})[LABELLED]
    assert [b["line"] for b in now] == [b["line"] + (2 if b["line"] > first.line else 0) for b in recorded[LABELLED]]
    assert [b["result"] for b in now] == [b["result"] for b in recorded[LABELLED]]
    moved_data = {**data, "backends": [dict(data["backends"][0], blocks={LABELLED: now})]}
    backend_matrix.check(moved_data, {LABELLED: moved}, _write(tmp_path, moved_data))
    # A block removed from the first section: that section's results are stale, and said so.
    block = first.blocks[0]
    end = next(i for i in range(block, len(lines)) if lines[i].strip().startswith("```") and i >= block)
    shrunk = "\n".join(lines[:block - 1] + lines[end + 1:])
    stale = backend_matrix.relocated(recorded, {LABELLED: shrunk})
    with pytest.raises(backend_matrix.DataError, match="which is not a Python block"):
        backend_matrix.check({**data, "backends": [dict(data["backends"][0], blocks=stale)]},
                             {LABELLED: shrunk}, _write(tmp_path, data))


def test_a_section_of_tabs_per_backend_runs_on_the_backends_it_has_a_tab_for():
    section = backend_matrix.Section("step", "The step", 10, [12, 20, 28])
    tabs = [{"line": 12, "section": "step", "result": "same", "for": "tensorflow"},
            {"line": 20, "section": "step", "result": "same", "for": "jax"},
            {"line": 28, "section": "step", "result": "same", "for": "torch"}]
    for backend in ("jax", "torch"):
        assert backend_matrix.verdict({"backend": backend, "blocks": {"p.md": tabs}}, "p.md", section).runs
    # Without a PyTorch tab, the section does not run on PyTorch, although every block ran there.
    two = backend_matrix.Section("step", "The step", 10, [12, 20])
    verdict = backend_matrix.verdict({"backend": "torch", "blocks": {"p.md": tabs[:2]}}, "p.md", two)
    assert not verdict.runs and verdict.ran


# --- sections declared not portable (data/not-portable.yml) --------------------------------

def _sections_of(page: str = LABELLED) -> list[backend_matrix.Section]:
    return [s for s in backend_matrix.sections(_page_text("en", page)) if s.anchor]


def test_every_section_runs_on_every_backend_or_says_why_not():
    found = compat.unportable()
    assert not found, ("sections to make portable (keras.ops, keras.random, model.predict...) or to declare in "
                       "data/not-portable.yml with the TensorFlow-only API they teach, or the reason a backend "
                       "fails:\n" + "\n".join(found))


def test_a_declared_section_names_its_api_in_its_label_and_its_row():
    data = _backend_data({"jax": {0: "raises"}, "torch": {0: "raises"}})
    first = _sections_of()[0]
    declared = {(LABELLED, first.anchor): "tf.GradientTape, tf.function"}
    for lang in LANGS:
        vocabulary = _language_extra(lang, "compatibility")
        note = vocabulary["tensorflow_only"].format(api="`tf.GradientTape`, `tf.function`")
        labels = list(_labelled(lang, data, declared).values())
        assert labels[0].endswith(f"): TensorFlow — {note}"), labels[0]
        assert not any(note in label for label in labels[1:])
    # A whole page ("page: API") marks every section of it.
    # Its sections list TensorFlow alone, also where their blocks ran with another backend set.
    labels = list(_labelled("en", data, {(LABELLED, "*"): "tf.Variable"}).values())
    assert all(label.endswith("): TensorFlow — TensorFlow-only API: `tf.Variable`") for label in labels), labels
    # A backend's own reason, in the reader's language around it.
    reason = "[keras#1](https://github.com/keras-team/keras/issues/1)"
    for lang in LANGS:
        vocabulary = _language_extra(lang, "compatibility")
        labels = list(_labelled(lang, data, {(LABELLED, first.anchor): {"jax": reason}}).values())
        assert labels[0].endswith("): TensorFlow — " + vocabulary["not_on"].format(backend="JAX", reason=reason))
    # ... and in the section table, with the count of such sections.
    texts = SITE.raw["extra"]["compatibility"]
    declared = {(LABELLED, first.anchor): "tf.GradientTape", (LABELLED, _sections_of()[1].anchor): {"torch": reason}}
    rows = [r for r in compatibility.render(SITE, data, "en", "reference/compatibility.md", texts, declared)
            .split("{ #sections }")[1].splitlines() if "(../building-blocks/losses.md#" in r]
    assert "— TensorFlow-only API: `tf.GradientTape` |" in rows[0]
    assert f"— not on PyTorch: {reason} |" in rows[1] and "—" not in rows[2].split("|")[1]
    summary = compatibility.render(SITE, data, "en", "x.md", texts, declared).split("{ #sections }")[1]
    assert "(2 sections)" in summary


def _declared_file(tmp_path, text: str):
    path = tmp_path / "not-portable.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path, backend_matrix.load_declared(path)


def test_a_failing_or_tensorflow_using_section_must_be_declared(tmp_path):
    sections = _sections_of()
    data = _backend_data({"jax": {1: "raises"}, "torch": {}})
    english = {LABELLED: _page_text("en")}
    code = {LABELLED: {s.anchor: "y = keras.ops.square(x)" for s in sections}}
    code[LABELLED][sections[2].anchor] = "with tf.GradientTape() as tape:\n    loss = f(w)"
    found = backend_matrix.unportable(data, english, code, {})
    assert found == [
        f"docs/en/{LABELLED}:{sections[1].line} (#{sections[1].anchor}) does not run on jax: TypeError: boom",
        f"docs/en/{LABELLED}:{sections[2].line} (#{sections[2].anchor}) uses tf.GradientTape, a TensorFlow-only "
        "API, without saying so"]
    _, declared = _declared_file(tmp_path, f"""\
        {LABELLED}:
          {sections[1].anchor}: keras.ops.nothing
          {sections[2].anchor}: tf.GradientTape
        """)
    assert backend_matrix.unportable(data, english, code, declared) == []


def test_a_declaration_naming_nothing_or_a_portable_section_is_an_error_with_file_and_line(tmp_path):
    sections = _sections_of()
    data = _backend_data({"jax": {1: "raises"}, "torch": {}})
    english = {LABELLED: _page_text("en")}
    code = {LABELLED: {s.anchor: "y = keras.ops.square(x)" for s in sections}}
    path, declared = _declared_file(tmp_path, f"""\
        # a comment
        {LABELLED}:
          {sections[1].anchor}: tf.GradientTape
        """)
    backend_matrix.check_declared(declared, data, english, code, path)  # it fails on jax: rightly declared
    path, declared = _declared_file(tmp_path, f"""\
        {LABELLED}:
          {sections[1].anchor}: tf.GradientTape
          no-such-section: tf.function
        """)
    with pytest.raises(backend_matrix.DataError, match=rf"^{path}:3: names section #no-such-section of "
                                                       rf"docs/en/{LABELLED}, which has no such section"):
        backend_matrix.check_declared(declared, data, english, code, path)
    path, declared = _declared_file(tmp_path, f"""\
        {LABELLED}:
          {sections[0].anchor}: tf.GradientTape
        """)
    with pytest.raises(backend_matrix.DataError, match=rf"^{path}:2: docs/en/{LABELLED}:{sections[0].line} "
                                                       rf"\(#{sections[0].anchor}\) uses no TensorFlow-only API "
                                                       "and runs on every backend now"):
        backend_matrix.check_declared(declared, data, english, code, path)
    code[LABELLED][sections[0].anchor] = "tape = tf.GradientTape()"  # runs everywhere, but teaches the tape
    backend_matrix.check_declared(declared, data, english, code, path)
    # A backend's reason: only where the section fails on that backend.
    code[LABELLED][sections[0].anchor] = "y = keras.ops.square(x)"
    path, declared = _declared_file(tmp_path, f"""\
        {LABELLED}:
          {sections[1].anchor}: {{jax: "keras#1"}}
        """)
    backend_matrix.check_declared(declared, data, english, code, path)
    assert backend_matrix.unportable(data, english, code, declared) == []
    path, declared = _declared_file(tmp_path, f"""\
        {LABELLED}:
          {sections[1].anchor}: {{torch: "keras#1"}}
        """)
    with pytest.raises(backend_matrix.DataError, match=rf"^{path}:2: docs/en/{LABELLED}:{sections[1].line} "
                                                       rf"\(#{sections[1].anchor}\) runs on torch now"):
        backend_matrix.check_declared(declared, data, english, code, path)
    assert backend_matrix.unportable(data, english, code, declared) == [
        f"docs/en/{LABELLED}:{sections[1].line} (#{sections[1].anchor}) does not run on jax: TypeError: boom"]
    path, declared = _declared_file(tmp_path, "no/such-page.md: tf.function\n")
    with pytest.raises(backend_matrix.DataError, match=rf"^{path}:1: names page docs/en/no/such-page.md"):
        backend_matrix.check_declared(declared, data, english, code, path)


def test_section_code_is_the_expanded_code_without_the_tabs_of_one_backend():
    page = "training/train-step.md"
    expanded = expand.expand(SITE.docs_dir / "en" / page, SITE)
    code = backend_matrix.section_code(_page_text("en", page), expanded.text, expanded.source_lines)
    assert "tf.GradientTape" in code["override-train_step"]  # included from snippets/
    tabs = code["the-same-step-on-each-backend"]
    assert "jax.value_and_grad" not in tabs and "GradientTape" not in tabs


def test_an_error_demo_that_fails_with_the_same_class_elsewhere_runs_in_other_words():
    block = Block("docs/en/x.md", 10, "model.fit(x, workers=2)",
                  "TypeError: TensorFlowTrainer.fit() got an unexpected keyword argument 'workers'", None)
    def raised(error):
        return Result(output=error, traceback=f"Traceback (most recent call last):\n  ...\n{error}", seconds=0.1)
    assert execute.outcome(block, raised("TypeError: JAXTrainer.fit() got an unexpected keyword argument 'workers'")) == {
        "result": "other", "error": "TypeError: JAXTrainer.fit() got an unexpected keyword argument 'workers'"}
    assert execute.outcome(block, raised("ValueError: no workers here"))["result"] == "raises"
    plain = Block("docs/en/x.md", 10, "print(1)", "1", None)
    assert execute.outcome(plain, raised("TypeError: boom"))["result"] == "raises"
