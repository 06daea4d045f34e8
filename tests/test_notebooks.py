"""Notebooks: every page with code has one, made from the page itself; lab pages are
rendered by mkdocs-jupyter with real outputs in every language; hand-written notebooks
render under mkdocs-static-i18n (the upstream bug hooks/notebooks.py works around)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_site
from tests.harness.collect import page_blocks
from tests.test_site import page_url
from tools import notebooks, translations
from tools import site_config as config

SITE = config.site()
PAGES = [(lang, p) for lang in SITE.languages for p in SITE.pages(lang)]
CODE_PAGES = [(lang, p) for lang, p in PAGES if "```python" in p.read_text(encoding="utf-8")]
LABS = [(lang, p) for lang, p in PAGES
        if translations.front_matter(p.read_text(encoding="utf-8")).get("notebook") == "lab"]


def ids(pairs):
    return [p.relative_to(SITE.root).as_posix() for _, p in pairs]


def relative(lang: str, page: Path) -> str:
    return page.relative_to(SITE.docs_dir / lang).as_posix()


def notebook_code(page) -> list[str]:
    """The code a page's notebook runs: its runnable blocks, but for those written for JAX or
    PyTorch (a notebook runs on TensorFlow, as Colab does; it shows those as text)."""
    return [b.code for b in page_blocks(page, SITE) if b.skip_reason is None and b.backend in (None, "tensorflow")]


@pytest.mark.parametrize("lang,page", CODE_PAGES, ids=ids(CODE_PAGES))
def test_notebook_code_is_exactly_the_page_code(lang, page):
    """The page tests run these cells, so testing a page is testing its notebook."""
    notebook = notebooks.page_to_notebook(page, SITE)
    nbformat.validate(notebook)
    expected = notebook_code(page)
    assert notebooks.code_cells(notebook) == expected


@pytest.mark.parametrize("lang,page", CODE_PAGES, ids=ids(CODE_PAGES))
def test_page_links_its_notebook_and_colab(site, lang, page):
    here = page_url(lang, relative(lang, page))
    html = BeautifulSoup((site.path / here).read_text(encoding="utf-8"), "html.parser")
    download = html.select_one(".kh-notebook-links a[download]")
    assert download, f"{here}: no notebook download link"
    target = site.path / urljoin(here, download["href"])
    nbformat.validate(nbformat.reads(target.read_text(encoding="utf-8"), as_version=4))
    colab = html.select_one('.kh-notebook-links a[href^="https://colab.research.google.com/github/"]')
    published = target.relative_to(site.path).as_posix()
    assert colab and colab["href"].endswith(f"/blob/{SITE.raw['extra']['notebooks']['branch']}/{published}")


@pytest.mark.parametrize("lang", SITE.languages)
def test_each_language_has_two_labs(lang):
    assert len([p for l, p in LABS if l == lang]) >= 2, f"docs/{lang}: fewer than two lab pages"


def transferred_bytes(site_dir: Path, html_path: str) -> int:
    """The page plus every same-origin file it loads (stylesheets, scripts, images)."""
    html = BeautifulSoup((site_dir / html_path).read_text(encoding="utf-8"), "html.parser")
    loaded = {urljoin(html_path, tag.get("src") or tag.get("href"))
              for tag in html.select("script[src], link[rel=stylesheet][href], img[src]")}
    files = [site_dir / url.split("#")[0] for url in loaded if "://" not in url and not url.startswith("data:")]
    return (site_dir / html_path).stat().st_size + sum(f.stat().st_size for f in files if f.is_file())


@pytest.mark.parametrize("lang,page", LABS, ids=ids(LABS))
def test_lab_is_rendered_as_a_notebook_with_its_outputs(site, lang, page):
    here = page_url(lang, relative(lang, page))
    html = BeautifulSoup((site.path / here).read_text(encoding="utf-8"), "html.parser")
    assert html.html["lang"] == lang
    article = html.select_one("article")
    outputs = "\n".join(o.get_text() for o in article.select(".kh-output"))
    blocks = page_blocks(page, SITE)
    assert len(article.select(".language-python.highlight")) == len(blocks), f"{here}: code cells missing"
    for block in blocks:
        if block.expected_output and "..." not in block.expected_output:
            assert block.expected_output.strip() in outputs, f"{block.where}: output not on the rendered page"
    assert not html.select("style, script[type=module]"), f"{here}: mkdocs-jupyter's inline styles or scripts remain"
    reference = transferred_bytes(site.path, page_url(lang, "concepts/losses-vs-metrics.md"))
    weight = transferred_bytes(site.path, here)
    assert weight <= 2 * reference, f"{here}: {weight} bytes, more than twice a normal page ({reference})"


@pytest.mark.reuse_last_pass  # it builds a copy of what it reads from the repository
def test_hand_written_notebooks_render_in_every_language(tmp_path):
    """mkdocs-static-i18n alone would copy these .ipynb files raw (its issue #198)."""
    root = tmp_path / "project"
    for name in ("docs", "snippets", "hooks", "overrides", "tools"):
        shutil.copytree(config.ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(config.ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for lang, words in (("en", "Hello from a notebook"), ("es", "Hola desde un cuaderno")):
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_markdown_cell(f"# {words}"),
            nbformat.v4.new_code_cell("print(6 * 7)", outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="42\n")]),
        ])
        (root / "docs" / lang / "notebook-demo.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
    result = build_site(root, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, words in (("en", "Hello from a notebook"), ("es", "Hola desde un cuaderno")):
        built = tmp_path / "site" / ("" if lang == "en" else "es") / "notebook-demo" / "index.html"
        assert built.exists(), f"{lang}: the notebook was not rendered as a page"
        html = BeautifulSoup(built.read_text(encoding="utf-8"), "html.parser")
        assert html.html["lang"] == lang
        assert words in html.select_one("article h1").get_text()
        assert "42" in html.select_one("article .kh-output").get_text()


def _stamp_texts(lang: str) -> dict:
    own = next(l for l in SITE._i18n()["languages"] if l["locale"] == lang)
    return own.get("extra", {}).get("stamp") or SITE.raw["extra"]["stamp"]


@pytest.mark.parametrize("lang,page", CODE_PAGES, ids=ids(CODE_PAGES))
def test_published_notebook_is_a_version_check_then_the_page_code(site, lang, page):
    """The one exception to "code cells are the page's blocks": a first cell, after the
    header, that checks the runtime's Keras and TensorFlow against the tested ones."""
    here = page_url(lang, relative(lang, page))
    html = BeautifulSoup((site.path / here).read_text(encoding="utf-8"), "html.parser")
    target = site.path / urljoin(here, html.select_one(".kh-notebook-links a[download]")["href"])
    published = nbformat.reads(target.read_text(encoding="utf-8"), as_version=4)
    expected = notebook_code(page)
    check, *rest = notebooks.code_cells(published)
    assert rest == expected, f"{target}: code cells after the version check differ from the page's blocks"
    assert [c.cell_type for c in published.cells[:2]] == ["markdown", "code"]
    texts = _stamp_texts(lang)
    tested = json.loads(check.split("TESTED = ", 1)[1].splitlines()[0].replace("'", '"'))
    assert texts["check"].format(**tested) in published.cells[0].source
    assert texts["check_comment"] in check
    stamp = html.select_one(".kh-tested").get_text(" ", strip=True)
    on_page = {name.lower(): v for name, v in re.findall(r"(Keras|TensorFlow) (\d+(?:\.\d+)*)", stamp)}
    assert on_page == tested, f"{here}: the notebook's tested versions {tested} are not the page's ({stamp!r})"


@pytest.mark.parametrize("lang", SITE.languages)
def test_version_check_cell_says_what_to_install(lang, capsys):
    from importlib.metadata import version
    texts = _stamp_texts(lang)
    here = {"keras": version("keras"), "tensorflow": version("tensorflow")}
    for tested, expected in (
        (here, texts["check_same"].format(**here) + "\n"),
        ({"keras": "3.0.1", "tensorflow": "2.16.2"},
         texts["check_differs"].format(**here) + "\n%pip install keras==3.0.1 tensorflow==2.16.2\n"),
    ):
        markdown, code = notebooks.version_check_cells(tested, texts, header="*Header*")
        assert markdown.source.startswith("*Header*\n\n") and tested["keras"] in markdown.source
        exec(compile(code.source, "version-check", "exec"), {})
        assert capsys.readouterr().out == expected


def test_execution_records_the_versions_and_date_that_ran(tmp_path, monkeypatch):
    from datetime import datetime, timezone
    from importlib.metadata import version
    monkeypatch.setenv("KERAS_HOOKS_NOTEBOOK_CACHE", str(tmp_path))
    codes = ["print(6 * 7)"]
    assert notebooks.tested(codes, config.ROOT) is None
    assert notebooks.run_code(codes, config.ROOT)[0]["outputs"][0]["text"] == "42\n"
    assert notebooks.tested(codes, config.ROOT) == {
        "keras": version("keras"), "tensorflow": version("tensorflow"),
        "date": datetime.now(timezone.utc).date().isoformat()}
    # A record from before the stamp (a bare list of cells) still reads, with no versions.
    record = next(tmp_path.glob("*.json"))
    record.write_text(json.dumps(json.loads(record.read_text())["cells"]))
    assert notebooks.run_code(codes, config.ROOT)[0]["outputs"][0]["text"] == "42\n"
    assert notebooks.tested(codes, config.ROOT) is None
