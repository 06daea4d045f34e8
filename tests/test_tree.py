"""One tree: a page's path gives its code's path and its claim checks' path (tools/tree.py),
and every address a page had before a move still leads to it."""

from __future__ import annotations

import posixpath
import re

import pytest
from bs4 import BeautifulSoup

from tools import site_config, tree

SITE = site_config.site()


def test_pages_code_and_checks_follow_one_rule():
    problems = tree.problems(SITE)
    assert not problems, "\n".join(problems)


def test_rule_examples():
    pages = ["building-blocks/losses.md", "building-blocks/losses-vs-x.md", "index.md"]
    assert tree.module_of_page("layers-and-models/custom-layers.md") == "snippets/layers_and_models/custom_layers.py"
    assert tree.claims_file_of_page("building-blocks/losses.md") == "tests/claims/building_blocks/test_losses.py"
    assert tree.page_of_module("snippets/building_blocks/losses_figure.py", pages) == "building-blocks/losses.md"
    assert tree.page_of_module("snippets/building_blocks/losses_vs_x_figure.py", pages) == "building-blocks/losses-vs-x.md"
    assert tree.page_of_module("snippets/building_blocks/metrics.py", pages) is None
    assert tree.slug("Layers and models") == "layers-and-models"


def test_a_stray_include_and_module_are_named(tmp_path):
    root = tmp_path
    (root / "docs/en/training").mkdir(parents=True)
    (root / "snippets/training").mkdir(parents=True)
    (root / "snippets/misc").mkdir(parents=True)
    (root / "snippets/training/loop.py").write_text("# --8<-- [start:a]\nx = 1\n# --8<-- [end:a]\n")
    (root / "snippets/misc/loop.py").write_text("x = 1\n")
    (root / "docs/en/training/loop.md").write_text(
        '# Loop\n\n```python\n--8<-- "snippets/misc/loop.py"\n```\n')
    (root / "mkdocs.yml").write_text(
        "nav:\n  - Home: index.md\n  - Training:\n      - Loop: other/loop.md\n"
        "plugins:\n  - i18n:\n      languages:\n        - locale: en\n          default: true\n")
    problems = "\n".join(tree.problems(site_config.load(root)))
    assert "docs/en/training/loop.md:4: includes snippets/misc/loop.py" in problems
    assert "snippets/misc/loop.py: no page" in problems
    assert "nav: other/loop.md is in section 'Training'" in problems


REDIRECTS = sorted((SITE.raw["extra"].get("redirects") or {}).items())


@pytest.mark.parametrize("lang", SITE.languages)
@pytest.mark.parametrize("old,new", REDIRECTS, ids=[old for old, _ in REDIRECTS])
def test_old_addresses_lead_to_the_moved_page(site, lang, old, new):
    old_url, new_url = SITE.page_url(lang, old), SITE.page_url(lang, new)
    html = BeautifulSoup((site.path / old_url / "index.html").read_text(encoding="utf-8"), "html.parser")
    refresh = html.find("meta", attrs={"http-equiv": "refresh"})["content"]
    target = re.fullmatch(r"0; url=(.+)", refresh).group(1)
    resolved = posixpath.normpath(posixpath.join("/" + old_url, target)) + "/"
    assert resolved == "/" + new_url, f"/{old_url} sends readers to {resolved}, not /{new_url}"
    assert (site.path / new_url / "index.html").exists(), f"/{new_url} was not built"
    assert html.html["lang"] == lang
