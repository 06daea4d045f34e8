"""The built site: strict build, both languages, no third-party requests, and the
features readers rely on (language menu, search, copy, theme toggle, edit links, 404)."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup

from hooks import offscreen, plain_tokens
from tools import site_config as config

SITE = config.site()
LANGS = SITE.languages
DEFAULT = SITE.default_language


def page_url(lang: str, relative: str) -> str:
    """Built file of a page: docs/es/concepts/x.md -> es/concepts/x/index.html."""
    return SITE.page_url(lang, relative) + "index.html"


PAGES = [
    (lang, page.relative_to(SITE.docs_dir / lang).as_posix())
    for lang in LANGS for page in SITE.pages(lang)
]


def soup(site, relative_html: str) -> BeautifulSoup:
    return BeautifulSoup((site.path / relative_html).read_text(encoding="utf-8"), "html.parser")


def test_strict_build(built_site):
    assert built_site.returncode == 0, built_site.log
    # MkDocs' own warnings ("WARNING -  ..."), not what notebook kernels print to stderr.
    warnings = [line for line in built_site.log.splitlines() if re.match(r"WARNING\s+-", line)]
    assert not warnings, "\n".join(warnings)


@pytest.mark.parametrize("lang,page", PAGES, ids=[f"docs/{l}/{p}" for l, p in PAGES])
def test_page_is_built_in_its_language(site, lang, page):
    html = soup(site, page_url(lang, page))
    assert html.html["lang"] == lang, f"docs/{lang}/{page}: <html lang> is {html.html['lang']}"


# Tags that make the browser fetch something as the page loads.
FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src",
            "audio": "src", "video": "src", "embed": "src", "object": "data"}
FETCHING_LINK_RELS = {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch",
                      "icon", "manifest", "modulepreload"}


def third_party_requests(html: BeautifulSoup) -> list[str]:
    found = []
    for tag, attribute in FETCHING.items():
        for element in html.find_all(tag):
            if urlsplit(element.get(attribute, "")).netloc:
                found.append(f"<{tag} {attribute}={element[attribute]}>")
    for link in html.find_all("link"):
        if FETCHING_LINK_RELS & set(link.get("rel", [])) and urlsplit(link.get("href", "")).netloc:
            found.append(f"<link rel={' '.join(link['rel'])} href={link['href']}>")
    for style in html.find_all(style=True) + html.find_all("style"):
        text = style.get("style") or style.get_text()
        found += [f"url({u})" for u in re.findall(r"url\(['\"]?(https?:)?//([^)'\"]+)", text)]
    return found


def test_no_page_fetches_from_another_host(site):
    problems = []
    for html_file in sorted(site.path.rglob("*.html")):
        for request in third_party_requests(BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")):
            problems.append(f"{html_file.relative_to(site.path)}: {request}")
    assert not problems, "\n".join(problems)


def test_no_stylesheet_imports_from_another_host(site):
    problems = [
        f"{css.relative_to(site.path)}: {m.group(0)}"
        for css in site.path.rglob("*.css")
        for m in re.finditer(r"@import\s+(url\()?['\"]?https?://[^;]+", css.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang,page", PAGES, ids=[f"docs/{l}/{p}" for l, p in PAGES])
def test_language_menu_leads_to_the_same_page(site, lang, page):
    here = page_url(lang, page)
    links = {a["hreflang"]: a["href"] for a in soup(site, here).select("a.md-select__link[hreflang]")}
    assert set(links) == set(LANGS), f"docs/{lang}/{page}: language menu offers {sorted(links)}"
    for other, href in links.items():
        target = urljoin("/" + here, href)
        wanted = "/" + page_url(other, page)
        assert target in (wanted, wanted.removesuffix("index.html")), (
            f"docs/{lang}/{page}: the {other} entry of the language menu leads to {target}, not {wanted}")


def search_index(site, lang: str) -> dict:
    home = "" if lang == DEFAULT else f"{lang}/"
    return json.loads((site.path / home / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_own_search_index(site, lang):
    """hooks/search.py: a page downloads only its language's index, which holds exactly
    that language's pages (locations relative to the language root) and names only that
    language, so Material's worker loads that language's lunr stemmer."""
    index = search_index(site, lang)
    assert index["config"]["lang"] == [lang]
    home = "" if lang == DEFAULT else f"{lang}/"
    wanted = {page_url(lang, page).removeprefix(home).removesuffix("index.html") for l, page in PAGES if l == lang}
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert locations == wanted, (f"{lang} index: missing {sorted(wanted - locations)}, "
                                 f"not of this language {sorted(locations - wanted)}")
    if lang != "en":  # lunr's English stemmer is built in
        assert (site.path / "assets/javascripts/lunr/min" / f"lunr.{lang}.min.js").exists()
        assert "stemmer" in index["config"]["pipeline"], f"{lang} index drops lunr.{lang}'s stemmer"


@pytest.mark.parametrize("lang,page", PAGES, ids=[f"docs/{l}/{p}" for l, p in PAGES])
def test_page_searches_its_own_language_index(site, lang, page):
    """Material fetches <base>/search/search_index.json: `base` must be the language root."""
    here = page_url(lang, page)
    base = urljoin("/" + here, material_config(soup(site, here))["base"].rstrip("/") + "/")
    assert base == "/" + ("" if lang == DEFAULT else f"{lang}/"), f"docs/{lang}/{page}: search base {base}"


def material_config(html: BeautifulSoup) -> dict:
    return json.loads(html.find("script", id="__config").get_text())


@pytest.mark.parametrize("lang", LANGS)
def test_reader_features_are_on(site, lang):
    html = soup(site, page_url(lang, "concepts/losses-vs-metrics.md"))
    features = material_config(html)["features"]
    assert "content.code.copy" in features and "content.code.annotate" in features
    assert "navigation.instant" not in features, "navigation.instant breaks the language menu"
    toggles = html.select("form[data-md-component=palette] input[data-md-color-scheme]")
    assert {t["data-md-color-scheme"] for t in toggles} == {"default", "slate"}
    edit = html.select_one("a.md-content__button[rel=edit]")
    assert edit and edit["href"].endswith(f"/docs/{lang}/concepts/losses-vs-metrics.md"), edit


def test_navigation_titles_are_translated(site):
    for lang_config in SITE._i18n()["languages"]:
        translations = lang_config.get("nav_translations") or {}
        if not translations:
            continue
        lang = lang_config["locale"]
        nav = soup(site, page_url(lang, "index.md")).select_one("nav.md-nav--primary")
        titles = {span.get_text(strip=True) for span in nav.select(".md-ellipsis")}
        missing = sorted(set(translations.values()) - titles)
        assert not missing, f"{lang} navigation lacks {missing}"
        untranslated = sorted(set(translations) & titles - set(translations.values()))
        assert not untranslated, f"{lang} navigation still shows {untranslated}"


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page_speaks_its_language(site, lang):
    path = "404.html" if lang == DEFAULT else f"{lang}/404.html"
    html = soup(site, path)
    assert html.html["lang"] == lang
    texts = SITE.raw["extra"]["not_found"] if lang == DEFAULT else next(
        l for l in SITE._i18n()["languages"] if l["locale"] == lang)["extra"]["not_found"]
    assert html.find("h1").get_text(strip=True) == texts["title"]
    menu = {a["hreflang"]: a["href"] for a in html.select("a.md-select__link[hreflang]")}
    assert menu == {l: ("/" if l == DEFAULT else f"/{l}/") for l in LANGS}


# --- publishing: sitemaps, canonical addresses, sharing, "Tested with" ------------------

SITE_URL = SITE.raw["site_url"].rstrip("/") + "/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _language_texts(lang: str, key: str):
    own = next(l for l in SITE._i18n()["languages"] if l["locale"] == lang)
    return own.get("extra", {}).get(key) or SITE.raw["extra"][key]


def _built_file(url: str, site) -> "Path":
    assert url.startswith(SITE_URL), f"{url} is not under {SITE_URL}"
    path = url[len(SITE_URL):]
    return site.path / (path + "index.html" if path == "" or path.endswith("/") else path)


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_own_sitemap_with_twins(site, lang):
    from xml.etree import ElementTree as ET
    home = "" if lang == DEFAULT else f"{lang}/"
    urls = ET.parse(site.path / home / "sitemap.xml").getroot().findall("s:url", SITEMAP_NS)
    expected = {SITE_URL + SITE.page_url(lang, p) for l, p in PAGES if l == lang}
    locs = {u.findtext("s:loc", namespaces=SITEMAP_NS) for u in urls}
    assert locs <= expected and len(locs) >= len(expected) * 0.8, f"{home}sitemap.xml: {sorted(locs ^ expected)[:5]}"
    for url in urls:
        loc = url.findtext("s:loc", namespaces=SITEMAP_NS)
        twins = {l.get("hreflang"): l.get("href") for l in url.findall("x:link", SITEMAP_NS)}
        assert set(twins) == {*LANGS, "x-default"}, f"{loc}: hreflang {sorted(twins)}"
        assert twins[lang] == loc and twins["x-default"] == twins[DEFAULT], f"{loc}: {twins}"
        for other, href in twins.items():
            assert _built_file(href, site).is_file(), f"{loc}: its {other} twin {href} was not built"
    robots = (site.path / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}{home}sitemap.xml" in robots


@pytest.mark.parametrize("lang,page", PAGES, ids=[f"docs/{l}/{p}" for l, p in PAGES])
def test_page_has_canonical_address_and_sharing_card_in_its_language(site, lang, page):
    html = soup(site, page_url(lang, page))
    where = f"docs/{lang}/{page}"
    canonical = SITE_URL + SITE.page_url(lang, page)
    assert html.select_one("link[rel=canonical]")["href"] == canonical, where
    meta = {m["property"]: m["content"] for m in html.select("meta[property^='og:']")}
    assert meta.get("og:url") == canonical, where
    assert meta.get("og:locale") == lang, where
    own = next(l for l in SITE._i18n()["languages"] if l["locale"] == lang)
    description = (own.get("site_description") or SITE.raw["site_description"]).strip()
    assert meta.get("og:description") == description, f"{where}: og:description is not the {lang} one"
    title = html.select_one("title").get_text(strip=True)
    assert meta.get("og:title") and meta["og:title"] in title, f"{where}: og:title {meta.get('og:title')!r} vs {title!r}"
    assert not html.select("head link[rel=alternate][hreflang]"), f"{where}: hreflang belongs in the sitemaps"


def _stamp_pattern(text: str) -> re.Pattern:
    return re.compile(re.escape(text).replace(r"\{keras\}", r"3\.\d+\.\d+")
                      .replace(r"\{tensorflow\}", r"2\.\d+\.\d+").replace(r"\{date\}", r"\d{4}-\d\d-\d\d") + "$")


@pytest.mark.parametrize("lang,page", PAGES, ids=[f"docs/{l}/{p}" for l, p in PAGES])
def test_page_says_what_it_was_tested_with(site, lang, page):
    from tools import notebooks
    texts = _language_texts(lang, "stamp")
    stamp = soup(site, page_url(lang, page)).select(".kh-tested")
    assert len(stamp) == 1, f"docs/{lang}/{page}: {len(stamp)} 'Tested with' lines"
    text = stamp[0].get_text(" ", strip=True)
    pinned = texts["pinned"].format(**notebooks.pinned(SITE.root))
    if "```python" not in (SITE.docs_dir / lang / page).read_text(encoding="utf-8"):
        assert text == pinned, f"docs/{lang}/{page}: {text!r}"
    else:
        assert text == pinned or _stamp_pattern(texts["tested"]).match(text), f"docs/{lang}/{page}: {text!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_annotated_code_blocks_are_marked(site, lang):
    """hooks/offscreen.py: exactly the code blocks followed by their annotation list carry
    the class that keeps them rendered (their tooltips would be clipped otherwise)."""
    for page in ["saving-and-migrating/saving.md", "building-blocks/losses.md"]:
        html = soup(site, page_url(lang, page))
        blocks = html.select("article div.highlight")
        annotated = [b for b in blocks if b.find_next_sibling() is not None and b.find_next_sibling().name == "ol"]
        marked = [b for b in blocks if "kh-annotated" in b.get("class", [])]
        assert annotated and marked == annotated, (page, len(annotated), len(marked))
        assert len(marked) < len(blocks), f"{page}: every code block is marked, none can be skipped"


def test_offscreen_mark_fixture():
    plain = '<div class="highlight"><pre><code>x = 1\n</code></pre></div>\n<p>text</p>'
    annotated = '<div class="language-python highlight"><pre><code>y = 2  # (1)!\n</code></pre></div>\n<ol>\n<li>Note.</li></ol>'
    out = offscreen.mark(plain + annotated)
    assert out.count("kh-annotated") == 1
    assert '<div class="language-python highlight kh-annotated">' in out and '<div class="highlight">' in out


@pytest.mark.parametrize("lang", LANGS)
def test_tables_after_the_first_are_marked(site, lang):
    """hooks/offscreen.py: on a page with several tables, every table but the first may be
    left unrendered off screen; the first, which may start on the first screen, may not."""
    html = soup(site, page_url(lang, "reference/errors.md"))
    tables = html.select("article table:not([class])")
    assert len(tables) > 2, len(tables)
    marked = [t.has_attr(offscreen.TABLE_MARK) for t in tables]
    assert marked == [False] + [True] * (len(tables) - 1), marked


def test_table_mark_fixture():
    table = "<table>\n<thead><tr><th>a</th></tr></thead>\n</table>\n"
    assert offscreen.mark_tables("<p>no table</p>") == "<p>no table</p>"
    assert offscreen.mark_tables(table) == table
    out = offscreen.mark_tables(table + '<table class="highlighttable"></table>' + table + table)
    assert out.count("<table data-kh-offscreen>") == 2 and out.startswith("<table>\n")
    assert '<table class="highlighttable">' in out


def test_plain_tokens_fixture():
    """hooks/plain_tokens.py keeps a block's text, and the tokens that have a colour of their own."""
    source = "```python\nimport keras\nif loss is None:\n    loss = keras.ops.mean(y_true - y_pred)  # (1)!\n```\n"
    html = markdown.markdown(source, extensions=["pymdownx.highlight", "pymdownx.superfences"])
    out = plain_tokens.unwrap(html)
    before, after = BeautifulSoup(html, "html.parser"), BeautifulSoup(out, "html.parser")
    assert after.get_text() == before.get_text()
    classes = lambda tree: [s.get("class") for s in tree.select("code span")]
    assert {c for cs in classes(before) for c in cs} >= set(plain_tokens.CLASSES), classes(before)
    kept = [cs for cs in classes(before) if not set(cs) & set(plain_tokens.CLASSES)]
    assert kept and classes(after) == kept


def _css_rules(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.findall(r"([^{}]+)\{([^{}]*)\}", text)


def test_plain_tokens_are_plain_in_materials_css(site):
    """The spans hooks/plain_tokens.py leaves out drew nothing: in the stylesheets the built
    site ships, a rule for one of those token classes sets only the name colour, and every
    colour scheme makes the name colour the code's own colour. Fails when a Material update
    gives names a colour of their own."""
    sheets = sorted((site.path / "assets" / "stylesheets").glob("*.css"))
    assert len(sheets) >= 3, sheets  # Material's main and palette, and extra.css
    token = re.compile(r"\.(?:%s)(?![\w-])" % "|".join(plain_tokens.CLASSES))
    rules = [(sheet.name, selectors, body) for sheet in sheets for selectors, body in _css_rules(sheet)]
    styled = [(name, selectors.strip(), body) for name, selectors, body in rules if token.search(selectors)]
    assert styled, "no rule names a token class: were Material's stylesheets found?"
    assert all(body.strip(" ;") == "color:var(--md-code-hl-name-color)" for _, _, body in styled), styled
    colours = [value for _, _, body in rules for value in re.findall(r"--md-code-hl-name-color:([^;}]*)", body)]
    assert colours and set(colours) == {"var(--md-code-fg-color)"}, colours


@pytest.mark.parametrize("lang", LANGS)
def test_built_code_has_no_plain_token_spans(site, lang):
    html = soup(site, page_url(lang, "building-blocks/losses.md"))
    spans = html.select("article .highlight code span")
    assert spans, "no token spans at all"
    left = [s for s in spans if set(s.get("class", [])) & set(plain_tokens.CLASSES)]
    assert not left, left[:3]
