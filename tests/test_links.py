"""Links and images of the built site, read from its HTML (no browser): every internal link
and #anchor resolves in both languages, external links are listed in a report, no link sends
readers to Keras 2 API pages without saying so, every image has an alt text and the Spanish
ones are translated. Each check is also shown failing on a throwaway page."""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest

from tests.harness import links
from tests.test_site import DEFAULT, LANGS, PAGES, page_url
from tools import site_config as config

REPORT = config.ROOT / "reports" / "external-links.md"
SITE_URL = config.site().raw.get("site_url", "")


@functools.lru_cache(maxsize=None)  # one parse: this file runs on one worker (tests/harness/scheduling.py)
def _checked(site_dir: Path):
    return links.check(site_dir, SITE_URL)


def test_internal_links_and_anchors_resolve(site):
    problems, _ = _checked(site.path)
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems)


def test_external_links_are_reported_and_none_is_an_unannounced_keras2_page(site, capsys):
    _, external = _checked(site.path)
    path = links.report(external, REPORT)
    with capsys.disabled():
        print(f"\n[links] {len(external)} external links listed in {path}")
    problems = links.keras2_problems(external)
    assert not problems, "\n".join(problems) + f"\n(all external links: {path})"


def test_every_image_has_an_alt_text(site):
    problems = [p for f in links.html_pages(site.path) for p in links.missing_alt(site.path, f)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", [l for l in LANGS if l != DEFAULT])
def test_alt_texts_are_translated(site, lang):
    problems = []
    for page_lang, page in PAGES:
        if page_lang == lang:
            english = site.path / page_url(DEFAULT, page)
            if english.exists():
                problems += links.untranslated_alt(site.path, english, site.path / page_url(lang, page))
    assert not problems, "\n".join(problems)


# --- The checks fail on bad input -------------------------------------------------------


def write(root: Path, relative: str, body: str, lang: str = "en") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="{lang}"><head><title>t</title></head><body>'
                    f"{textwrap.dedent(body)}</body></html>", encoding="utf-8")
    return path


@pytest.fixture
def tiny_site(tmp_path) -> Path:
    write(tmp_path, "index.html", '<h1 id="top">Home</h1><p><a href="guide/#usage">Guide</a></p>')
    write(tmp_path, "guide/index.html", '<h2 id="usage">Usage</h2><p><a href="../#top">Home</a> '
                                        '<img src="../fig.svg" alt="A figure"></p>')
    write(tmp_path, "es/guide/index.html", '<h2 id="usage">Uso</h2><p><img src="../../fig.svg" alt="Una figura"></p>', "es")
    (tmp_path / "fig.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return tmp_path


def test_the_tiny_site_itself_is_clean(tiny_site):
    assert links.check(tiny_site) == ([], [])
    assert [p for f in links.html_pages(tiny_site) for p in links.missing_alt(tiny_site, f)] == []
    assert links.untranslated_alt(tiny_site, tiny_site / "guide/index.html", tiny_site / "es/guide/index.html") == []


def test_a_broken_internal_link_and_a_broken_anchor_are_found(tiny_site):
    write(tiny_site, "index.html", '<h1 id="top">Home</h1><p><a href="guide/#no-such-section">x</a> <a href="missing/">y</a></p>')
    problems, _ = links.check(tiny_site)
    assert len(problems) == 2
    assert "has no element with id 'no-such-section'" in problems[0]
    assert "leads to /missing/, which does not exist" in problems[1]


def test_absolute_links_to_the_site_url_are_checked_as_internal(tiny_site):
    write(tiny_site, "index.html", '<h1 id="top">Home</h1><link rel="canonical" href="https://example.org/docs/gone/">')
    problems, external = links.check(tiny_site, "https://example.org/docs/")
    assert external == [] and problems and "/gone/" in problems[0]


def test_an_unannounced_keras2_link_fails_and_an_announced_one_passes(tiny_site, tmp_path):
    write(tiny_site, "index.html", """
        <p>See <a href="https://www.tensorflow.org/api_docs/python/tf/keras/losses/Loss">the Loss class</a>.</p>
        <p>The book used <a href="https://keras.io/2.16/api/losses/">the Keras 2 documentation</a>.</p>
        <p>Lo explica <a href="https://www.tensorflow.org/guide/keras/custom_layers_and_models">esta guía</a>, escrita para Keras 2.</p>
        <p><a href="https://keras.io/api/losses/">Keras 3 losses</a></p>""")
    _, external = links.check(tiny_site)
    assert len(external) == 4
    problems = links.keras2_problems(external)
    assert len(problems) == 1 and "tf/keras/losses/Loss" in problems[0]
    report = links.report(external, tmp_path / "report.md").read_text(encoding="utf-8")
    assert "https://keras.io/api/losses/" in report and "the Loss class" in report


def test_an_image_without_alt_and_an_untranslated_alt_are_found(tiny_site):
    write(tiny_site, "guide/index.html", '<p><img src="../fig.svg"> <img src="../fig.svg" alt=" "></p>')
    page = tiny_site / "guide/index.html"
    assert len(links.missing_alt(tiny_site, page)) == 2
    write(tiny_site, "guide/index.html", '<p><img src="../fig.svg" alt="A figure"></p>')
    write(tiny_site, "es/guide/index.html", '<p><img src="../../fig.svg" alt="A figure"></p>', "es")
    problems = links.untranslated_alt(tiny_site, page, tiny_site / "es/guide/index.html")
    assert problems == ["/es/guide/: the alt text of '/fig.svg' is the English one: 'A figure'"]
