"""The site as readers use it, in a real browser (the system's Chromium, driven by
Playwright) against the built site served the way GitHub Pages serves it.

Over every page of both languages: it loads with no console error, no failed request, no
request to another host, and without moving under the reader (layout shift); the language
menu leads to the same page in the other language; axe-core finds no serious or critical
accessibility problem, <html lang> is right and every image has an alt text. On chosen
pages: search ranks the page's own language first, the copy button copies exactly the code,
code annotations open, the colour-scheme toggle works, and a missing page answers in the
visitor's language. The last section shows each check failing on a deliberately broken input.

One browser per xdist worker; a fresh context (profile) for each test, except that the
checks of one page, in every language, share one walk through its language versions
(visit_page). Locally, a page whose served files have not changed reuses its last pass
(tests/harness/reuse.py).
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.harness import browser as chromium
from tests.harness import reuse
from tests.harness.serve import serve
from tests.test_site import DEFAULT, LANGS, PAGES, SITE, page_url

sync_api = pytest.importorskip("playwright.sync_api")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

ANNOTATED = "concepts/losses-vs-metrics.md"  # a page with code annotations (DESIGN.md)
SEARCHES = {"en": "streaming metric", "es": "métrica en streaming"}


def path_of(lang: str, page: str) -> str:
    """URL path a reader sees: /es/concepts/x/."""
    return "/" + page_url(lang, page).removesuffix("index.html")


def homes() -> dict[str, str]:
    return {lang: ("/" if lang == DEFAULT else f"/{lang}/") for lang in LANGS}


def language_of(path: str) -> str:
    """The language of a site path: the longest language home it starts with."""
    return max((l for l, h in homes().items() if path.startswith(h)), key=lambda l: len(homes()[l]))


def language_texts(lang: str) -> dict:
    if lang == DEFAULT:
        return SITE.raw["extra"]
    return {**SITE.raw["extra"], **next(l for l in SITE._i18n()["languages"] if l["locale"] == lang).get("extra", {})}


# --- Fixtures: one server per worker (the browser is conftest's), a fresh context per test --


@pytest.fixture(scope="session")
def base_url(site) -> str:
    with serve(site.path) as url:
        yield url.rstrip("/")


def new_context(browser):
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"],
                              viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(20_000)
    return ctx


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def tab(context, base_url):
    """A page, and the record of everything it did (requests, errors)."""
    page = context.new_page()
    return page, chromium.Visit(origin=base_url).attach(page)


# --- Checks, shared by the site tests and the failure cases ---------------------------------


def switch_language(page, lang: str) -> str:
    """Open the language menu, click `lang`, return the path the browser ends on."""
    page.locator(".md-header .md-select").first.hover()
    link = page.locator(f'.md-header a.md-select__link[hreflang="{lang}"]').first
    with page.expect_navigation():
        link.click()
    chromium.settle(page)  # the new page's own requests are recorded too
    return urlsplit(page.url).path


CODE = ".md-typeset pre > code"
ONLY_CONTRAST = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["color-contrast"]}}
# axe's colour-contrast rule dominates its run time, and code blocks hold thousands of
# highlighted tokens whose contrast depends only on their class (and on a highlighted line).
# It checks one token per kind; every other rule, and contrast elsewhere, sees the whole page.
_SAMPLE_CODE = """selector => {
  const seen = new Set();
  for (const element of document.querySelectorAll(`${selector}, ${selector} *`)) {
    if (!element.textContent.trim()) continue;
    const kind = `${element.tagName}.${element.className}|${element.closest(".hll") ? "hll" : ""}`;
    if (seen.has(kind)) continue;
    seen.add(kind);
    element.setAttribute("data-axe-sample", "");
  }
  return seen.size;
}"""


# The three runs in one call: axe-core is injected once per page (about 0.1 s a time).
_AXE_RUNS = """async samples => {
  const violations = [];
  const only = rule => ({resultTypes: ["violations"], runOnly: {type: "rule", values: [rule]}});
  const runs = [[document, {resultTypes: ["violations"], rules: {"color-contrast": {enabled: false}}}],
                [{exclude: [[%(code)s]]}, only("color-contrast")]];
  if (samples) runs.push([{include: [["[data-axe-sample]"]]}, only("color-contrast")]);
  for (const [context, options] of runs) violations.push(...(await axe.run(context, options)).violations);
  return violations;
}""" % {"code": json.dumps(CODE)}


def axe_violations(page, axe: Axe) -> list[dict]:
    samples = page.evaluate(_SAMPLE_CODE, CODE)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    return page.evaluate(_AXE_RUNS, samples)


def accessibility_problems(page, lang: str, axe=Axe()) -> list[str]:
    problems = []
    found = page.evaluate("document.documentElement.lang")
    if found != lang:
        problems.append(f"<html lang> is {found!r}, not {lang!r}")
    no_alt = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src.slice(0, 80))")
    problems += [f"<img src={src!r}> has no alt text" for src in no_alt]
    for violation in axe_violations(page, axe):
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} "
                            f"({len(targets)}x: {', '.join(targets[:4])})")
    return problems


def search(page, query: str) -> list[str]:
    """Type `query` in the search box; the path of each result (page level), in order."""
    box = page.locator("input.md-search__input")
    box.click()
    chromium.search_ready(page)
    box.press_sequentially(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(300)  # let the last keystroke's results replace the earlier ones
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                      "links => links.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs]


def order_problems(paths: list[str], lang: str) -> list[str]:
    langs = [language_of(p) for p in paths]
    if lang not in langs:
        return [f"no {lang} result among {paths}"]
    first_other = next((i for i, l in enumerate(langs) if l != lang), len(langs))
    late = [p for p, l in zip(paths[first_other:], langs[first_other:]) if l == lang]
    return [f"{lang} result {p} comes after a result in another language: {paths}" for p in late]


ANNOTATION_MARKER = re.compile(r"[ \t]*#\s*\(\d+\)!?")


def code_as_copied(text: str) -> str:
    """What the copy button should put in the clipboard for the text of a static <code>
    block: the code without annotation markers, trailing spaces or a trailing newline."""
    return "\n".join(ANNOTATION_MARKER.sub("", line).rstrip() for line in text.split("\n")).rstrip()


PROMPTS = re.compile(r"^(\$ |>>> |\.\.\. |In \[\d+\]: )", re.MULTILINE)


# A block in a collapsed <details> or in an unselected content tab is hidden: open the
# details and select the tab first, as a reader would.
_REVEAL = """element => {
  for (let details = element.closest("details"); details; details = details.parentElement.closest("details")) {
    if (!details.open) details.querySelector(":scope > summary").click();
  }
  const block = element.closest(".tabbed-block");
  if (!block) return;
  const index = [...block.parentElement.children].indexOf(block);
  block.closest(".tabbed-set").querySelectorAll(":scope > .tabbed-labels > label")[index].click();
}"""


def copy_problems(page, static_html: str) -> list[str]:
    """Click the copy button of every code block; compare with the block's static code
    (Material numbers blocks in the browser, so static and live blocks pair up by order)."""
    problems = []
    selector = ".md-content article .highlight pre > code"
    static = BeautifulSoup(static_html, "html.parser").select(selector)
    live = page.locator(selector)
    if live.count() != len(static):
        return [f"{live.count()} code blocks in the browser, {len(static)} in the HTML"]
    copied_any = False
    for index, code in enumerate(static):
        block = live.nth(index).locator("xpath=ancestor::div[contains(@class, 'highlight')][1]")
        button = block.locator("button[data-md-type=copy]")
        block.evaluate(_REVEAL)
        block.scroll_into_view_if_needed()  # Material mounts the button once the block is on screen
        try:
            button.first.wait_for(state="attached", timeout=5_000)
        except sync_api.TimeoutError:
            problems.append(f"block {index + 1}: no copy button once on screen")
            continue
        block.hover()
        button.first.click()
        copied_any = True
        copied = page.evaluate("navigator.clipboard.readText()")
        wanted = code_as_copied(code.get_text())
        if copied != wanted:
            problems.append(f"block {index + 1}: copied {copied[:300]!r}\n  instead of {wanted[:300]!r}")
        if ANNOTATION_MARKER.search(copied) or PROMPTS.search(copied):
            problems.append(f"block {index + 1}: the clipboard holds an annotation marker or a prompt: {copied[:300]!r}")
    if not copied_any:
        problems.append("no code block with a copy button")
    return problems


def annotation_problems(page, first_only: bool = False) -> list[str]:
    markers = page.locator(".md-content .md-annotation")
    if markers.count() == 0:
        return ["no code annotation on the page"]
    problems = []
    for index in range(markers.count()):
        marker = markers.nth(index)
        marker.scroll_into_view_if_needed()
        marker.click()
        tooltip = marker.locator(".md-tooltip")
        try:
            tooltip.wait_for(state="visible", timeout=3_000)
        except sync_api.TimeoutError:
            problems.append(f"annotation {index + 1} did not open when clicked")
            if first_only:
                break
            continue
        if not tooltip.inner_text().strip():
            problems.append(f"annotation {index + 1} opened empty")
        page.keyboard.press("Escape")
        page.mouse.click(5, 400)  # focus elsewhere: the tooltip closes
    return problems


def switch_scheme(page) -> None:
    """Click the palette toggle, as a reader switching between light and dark."""
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_timeout(100)


def scheme_toggle_problems(page) -> list[str]:
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    seen = [scheme()]
    for _ in range(2):
        switch_scheme(page)
        seen.append(scheme())
    if not (seen[0] != seen[1] and seen[2] == seen[0] and set(seen) == {"default", "slate"}):
        return [f"data-md-color-scheme went {' -> '.join(map(str, seen))}, not default <-> slate"]
    return []


def not_found_problems(page, base: str, lang: str, texts: dict) -> list[str]:
    missing = f"{homes()[lang]}does-not-exist/"
    response = page.goto(base + missing, wait_until="load")
    if lang != DEFAULT:  # the root 404 page sends the visitor on to the language's 404 page
        try:
            page.wait_for_url(re.compile(r".*/404\.html$"), timeout=5_000)
        except sync_api.TimeoutError:
            pass  # reported below: the page is not in the visitor's language
    chromium.settle(page)
    problems = []
    if response is None or response.status != 404:
        problems.append(f"GET {missing} answered {response and response.status}, not 404")
    found = page.evaluate("document.documentElement.lang")
    title = page.locator("h1").first.inner_text().strip().rstrip("¶").strip()
    if found != lang or title != texts["title"]:
        problems.append(f"GET {missing} ended on {urlsplit(page.url).path} in {found!r} saying "
                        f"{title!r}, not the {lang} page {texts['title']!r}")
    return problems


# --- The site, every page -------------------------------------------------------------------


# Every check of a page, in every language, reads one walk through the page's language
# versions: each version is loaded (every request and error recorded) and checked by axe,
# and each entry of each language menu is followed once. The walk is made by whichever of
# the page's tests runs first on the worker (tests/harness/scheduling.py keeps them on one)
# and kept for the others. Walking from version to version by the menu loads each page once
# instead of loading every version again for each of its menu entries (3 loads for 2
# languages, not 4).
_VISITS: dict[tuple[str, str], dict] = {}
# What a page visit's answer depends on besides the files the browser fetched (tests/harness/reuse.py).
CHECKING_CODE = ["tests/test_browser.py", "tests/harness/browser.py", "tests/harness/serve.py",
                 "conftest.py", "requirements.txt"]
# Search indexes change with every sentence of every page. The page checks only need the
# index to load without an error, and the search tests (never reused) load each language's.
NOT_AN_INPUT = re.compile(r"/search/search_index\.json$")


def served_file(site_dir: Path, path: str) -> Path:
    """The file the test server (tests/harness/serve.py) answers a site path with."""
    file = site_dir / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def visit_inputs(site_dir: Path, base_url: str, requests: list[str]) -> tuple[list[str], object]:
    """(labels of everything a passing visit read, how to find each label's file now)."""
    pages = sorted({urlsplit(url).path for url in requests
                    if url.startswith(base_url) and not NOT_AN_INPUT.search(urlsplit(url).path)})

    def locate(label: str) -> Path:
        where, _, path = label.partition(":")
        return served_file(site_dir, path) if where == "site" else SITE.root / path
    return [f"site:{p}" for p in pages] + [f"repo:{c}" for c in CHECKING_CODE], locate


def language_walk(langs: list[str]) -> list[str]:
    """A walk from the first language back to it that goes from every language to every
    other exactly once (an Eulerian circuit of the complete directed graph, Hierholzer's
    algorithm): en, es, en for two languages; 1 + n(n-1) loads for n."""
    if len(langs) < 2:
        return list(langs)
    onward = {lang: [other for other in langs if other != lang] for lang in langs}
    stack, walk = [langs[0]], []
    while stack:
        if onward[stack[-1]]:
            stack.append(onward[stack[-1]].pop(0))
        else:
            walk.append(stack.pop())
    return walk[::-1]


def walk_languages(browser, base_url: str, page: str) -> tuple[dict, list[str]]:
    """({lang: {"load": problems, "accessibility": problems}}, every URL requested)."""
    context = new_context(browser)
    found = {lang: {"load": [], "accessibility": None} for lang in LANGS}
    try:
        tab = context.new_page()
        visit = chromium.Visit(origin=base_url).attach(tab)
        walk = language_walk(LANGS)
        mark = visit.mark()
        chromium.open_page(tab, base_url + path_of(walk[0], page), visit=visit)  # shown whole, as after a scroll
        shown = True
        for here, there in zip(walk, walk[1:] + [None]):
            if found[here]["accessibility"] is None:
                if not shown:
                    chromium.show_everything(tab)
                found[here]["accessibility"] = accessibility_problems(tab, here)
            if there is not None:
                found[here]["load"] += visit.since(mark).problems()
                mark = visit.mark()
                landed, shown = switch_language(tab, there), False
                visit.measure_layout_shift(tab)
                if landed != path_of(there, page):
                    found[here]["load"].append(f"the {there} entry of the language menu leads to {landed}, "
                                               f"not {path_of(there, page)}")
                    chromium.open_page(tab, base_url + path_of(there, page), visit=visit)
        found[walk[-1]]["load"] += visit.since(mark).problems()
        return {lang: {"load": list(dict.fromkeys(f["load"])), "accessibility": f["accessibility"] or []}
                for lang, f in found.items()}, visit.requests
    finally:
        context.close()


def visit_page(browser, base_url: str, site_dir: Path, lang: str, page: str) -> dict:
    """{"load": problems of the load and of the language menu, "accessibility": problems,
    "reused": whether an earlier pass was reused}; raises the error that stopped the walk."""
    name = f"docs/*/{page}"
    values = {"chromium": browser.version}
    if (lang, page) not in _VISITS:
        _, locate = visit_inputs(site_dir, base_url, [])
        if reuse.still_passes("browser", name, locate, values):
            _VISITS.update({(other, page): {"load": [], "accessibility": [], "reused": True} for other in LANGS})
        else:
            try:
                results, requests = walk_languages(browser, base_url, page)
            except Exception as error:  # noqa: BLE001 - every test of the page reports it
                _VISITS.update({(other, page): {"error": error} for other in LANGS})
            else:
                _VISITS.update({(other, page): {**found, "reused": False} for other, found in results.items()})
                if not any(problems for found in results.values() for problems in found.values()):
                    labels, locate = visit_inputs(site_dir, base_url, requests)
                    reuse.passed("browser", name, labels, locate, values)
    found = _VISITS[(lang, page)]
    if "error" in found:
        raise found["error"]
    return found


# The id docs/<lang>/<page> keeps a page's tests on one worker (tests/harness/scheduling.py).
PAGE_PARAMS = [pytest.param(lang, page, id=f"docs/{lang}/{page}") for lang, page in PAGES]


@pytest.mark.parametrize("lang,page", PAGE_PARAMS)
def test_page_loads_cleanly_and_its_language_menu_leads_to_the_same_page(browser, base_url, site, lang, page, request):
    found = visit_page(browser, base_url, site.path, lang, page)
    if found["reused"]:
        reuse.mark_reused(request)
    problems = found["load"]
    assert not problems, f"docs/{lang}/{page}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang,page", PAGE_PARAMS)
def test_page_is_accessible(browser, base_url, site, lang, page, request):
    found = visit_page(browser, base_url, site.path, lang, page)
    if found["reused"]:
        reuse.mark_reused(request)
    problems = found["accessibility"]
    assert not problems, f"docs/{lang}/{page}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_dark_scheme_is_accessible(browser, base_url, lang):
    """The dark scheme on the pages with the most kinds of code tokens and text."""
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        problems = []
        for doc in ("index.md", ANNOTATED):
            chromium.open_page(page, base_url + path_of(lang, doc))
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
            problems += [f"{path_of(lang, doc)}: {p}" for p in accessibility_problems(page, lang)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# --- The site, one feature at a time ----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_the_pages_own_language_first(tab, base_url, lang):
    browser_page, visit = tab
    indexes = []  # hooks/search.py: each language has its own index
    browser_page.on("request", lambda r: indexes.append(urlsplit(r.url).path) if r.url.endswith("search_index.json") else None)
    chromium.open_page(browser_page, base_url + path_of(lang, ANNOTATED))
    # overrides/main.html: the index waits for the reader, so a page load does not pay for it.
    problems = [f"the page fetched {indexes} before the reader reached the search box"] if indexes else []
    paths = search(browser_page, SEARCHES.get(lang, SEARCHES[DEFAULT]))
    home = "/" if lang == DEFAULT else f"/{lang}/"
    problems += order_problems(paths, lang) + visit.problems()
    if indexes != [f"{home}search/search_index.json"]:
        problems.append(f"the page fetched the search indexes {indexes}, not only {home}search/search_index.json")
    assert path_of(lang, ANNOTATED) in paths, f"{SEARCHES.get(lang)!r} does not find {path_of(lang, ANNOTATED)}: {paths}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_opened_from_a_search_result_marks_the_words(tab, base_url, lang):
    """Material's search.highlight needs the index, which a page otherwise fetches only once
    the reader reaches the search box (overrides/main.html): from a result (?h=) it comes by
    itself."""
    browser_page, visit = tab
    word = SEARCHES.get(lang, SEARCHES[DEFAULT]).split()[0]
    chromium.open_page(browser_page, f"{base_url}{path_of(lang, ANNOTATED)}?h={quote(word)}")
    browser_page.wait_for_selector(".md-content mark", timeout=10_000)
    marked = browser_page.eval_on_selector_all(".md-content mark", "marks => marks.map(m => m.textContent.toLowerCase())")
    assert word in marked, marked
    assert not visit.problems(), "\n".join(visit.problems())


@pytest.mark.parametrize("lang", LANGS)
def test_copy_button_copies_exactly_the_code(tab, base_url, site, lang):
    browser_page, visit = tab
    chromium.open_page(browser_page, base_url + path_of(lang, ANNOTATED))
    static = (site.path / page_url(lang, ANNOTATED)).read_text(encoding="utf-8")
    problems = copy_problems(browser_page, static) + visit.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_code_annotations_open_when_clicked(tab, base_url, lang):
    browser_page, visit = tab
    chromium.open_page(browser_page, base_url + path_of(lang, ANNOTATED))
    problems = annotation_problems(browser_page) + visit.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_colour_scheme_toggle(tab, base_url, lang):
    browser_page, visit = tab
    chromium.open_page(browser_page, base_url + path_of(lang, "index.md"))
    problems = scheme_toggle_problems(browser_page) + visit.problems()
    assert not problems, "\n".join(problems)


# What the page records as it loads: the classes of <html> when <body> starts, and every
# change of a color-scheme <meta> made once <body> exists (each one restyles the page).
_RESTYLE_WATCH = """
window.khRestyles = {classesAtBody: null, schemeChanges: 0};
new MutationObserver(function (records) {
  if (!document.body) return;
  if (window.khRestyles.classesAtBody === null) window.khRestyles.classesAtBody = document.documentElement.className;
  records.forEach(function (record) {
    var node = record.target.nodeName === "META" ? record.target : record.addedNodes[0] || record.removedNodes[0];
    if (node && node.nodeName === "META" && node.name === "color-scheme") window.khRestyles.schemeChanges++;
  });
}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ["content"]});
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_is_not_restyled_by_materials_start(browser, base_url, scheme):
    """overrides/main.html: <html> has its final classes before <body> is parsed, and the
    page's one color-scheme <meta> is made then, with the value Material's palette computes
    when it starts, so Material's start changes neither (each change restyles every
    element); a switch of scheme still reaches it, and a reload keeps the reader's choice.
    A table far below the screen is not rendered until the reader scrolls to it (marked by
    hooks/offscreen.py, left unrendered by extra.css)."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        page.add_init_script(_RESTYLE_WATCH)
        expected, other = [scheme], {"light": "dark", "dark": "light"}[scheme]
        metas = "[...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)"
        for turn in ("first visit", "after switching"):
            page.goto(base_url + path_of(DEFAULT, "reference/errors.md"), wait_until="load")
            chromium.settle(page)
            seen = page.evaluate("window.khRestyles")
            assert seen["classesAtBody"].split() == ["js", "js-focus-visible"], (turn, seen)
            assert seen["schemeChanges"] == 0, (turn, seen)
            assert page.evaluate(metas) == expected, turn
            assert page.evaluate("[...document.querySelectorAll('.md-typeset__scrollwrap td')].pop()"
                                 ".checkVisibility({contentVisibilityAuto: true})") is False, turn
            if turn == "first visit":
                switch_scheme(page)
                assert page.evaluate(metas) == [other]
                assert page.evaluate("window.khRestyles.schemeChanges") == 1
                expected = [other]  # the reader's choice, stored by Material
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_page_answers_in_the_visitors_language(tab, base_url, lang):
    browser_page, visit = tab
    problems = not_found_problems(browser_page, base_url, lang, language_texts(lang)["not_found"])
    missing = f"{base_url}{homes()[lang]}does-not-exist/"
    # The root 404 page hands a translated section's visitor on with location.replace,
    # which cancels the root page's own script and stylesheet loads (net::ERR_ABORTED).
    problems += [p for p in visit.problems(expected_status={missing})
                 if not (lang != DEFAULT and p.endswith("net::ERR_ABORTED"))]
    assert not problems, "\n".join(problems)


ERROR_PASTES = 24  # messages pasted per language; up to a third are older wordings


def pasted_errors(lang: str) -> list[tuple[str, str]]:
    """(a message as a reader pastes it, path#anchor of the section that explains it), spread
    over the error index (tools/errors.py) and its older wordings (data/error-wordings.yml)."""
    from tools import errors, wordings
    older = wordings.by_key(wordings.load())
    current, old = [], {}
    for entry in errors.index(SITE, lang):
        if len(entry.message) < 20:
            continue  # "in user code:" is no message a reader pastes alone
        target = f"{path_of(lang, entry.places[0].page)}#{entry.places[0].section[2]}"
        current.append((f"{entry.type}: {entry.message}", target))
        for wording in (older.get(wordings.entry_key(entry)) or {}).get("older", []):
            old.setdefault(wording["wording"], set()).add(target)
    texts = {text for text, _ in current}  # an older wording shared by two sections is ambiguous
    old = [(text, targets.pop()) for text, targets in old.items() if len(targets) == 1 and text not in texts]
    old = old[::max(1, len(old) // (ERROR_PASTES // 3))][:ERROR_PASTES // 3]
    new = current[::max(1, len(current) // (ERROR_PASTES - len(old)))][:ERROR_PASTES - len(old)]
    return new + old


def paste_in_search(page, text: str) -> list[str]:
    """Paste `text` into the empty search box (clipboard, Ctrl+V); path#anchor of each result."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("Backspace")  # a keyup: Material clears its results
    page.wait_for_selector(".md-search-result__item", state="detached")
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    box.press("Control+V")
    page.wait_for_function(_SEARCH_ANSWERED)
    page.wait_for_timeout(100)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                      "links => links.map(a => a.href)")
    return [urlsplit(h).path + "#" + urlsplit(h).fragment for h in hrefs]


_SEARCH_ANSWERED = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta.textContent.trim() !== JSON.parse(document.getElementById("__config").textContent)
    .translations["search.result.placeholder"];
}"""


def error_paste_problems(page, base_url: str, lang: str, pastes: list[tuple[str, str]]) -> list[str]:
    """Open the language's home page and paste each message; problems, and how many rank first."""
    chromium.open_page(page, base_url + homes()[lang])
    with page.expect_response(lambda r: urlsplit(r.url).path == f"{homes()[lang]}search/errors.json"):
        page.locator("input.md-search__input").click()
    chromium.search_ready(page)
    problems = []
    for text, target in pastes:
        results = paste_in_search(page, text)
        if not results or results[0] != target:
            problems.append(f"{text[:80]!r}: first result {results[:1]}, not {target}")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_a_pasted_error_message_ranks_its_section_first(tab, base_url, lang):
    browser_page, visit = tab
    pastes = pasted_errors(lang)
    assert len(pastes) >= 20
    problems = error_paste_problems(browser_page, base_url, lang, pastes)
    # An ordinary query keeps Material's own results: the same as with an empty error table.
    ordinary = SEARCHES.get(lang, SEARCHES[DEFAULT])
    browser_page.locator("input.md-search__input").fill("")
    with_table = search(browser_page, ordinary)
    assert not browser_page.query_selector("[data-error-search]"), f"{ordinary!r} got an error result"
    browser_page.route("**/search/errors.json", lambda route: route.fulfill(json={"entries": []}))
    chromium.open_page(browser_page, base_url + homes()[lang])
    assert search(browser_page, ordinary) == with_table
    assert not problems + visit.problems(), f"{len(problems)} of {len(pastes)}:\n" + "\n".join(problems + visit.problems())


def test_error_paste_check_catches_a_table_that_points_elsewhere(tab, base_url, site):
    browser_page, _ = tab
    table = json.loads((site.path / "search" / "errors.json").read_text(encoding="utf-8"))["entries"]
    places = [e["location"] for e in table]
    wrong = [{**e, "location": next(p for p in places[i + 1:] + places if p != e["location"])}
             for i, e in enumerate(table)]
    browser_page.route("**/search/errors.json", lambda route: route.fulfill(json={"entries": wrong}))
    problems = error_paste_problems(browser_page, base_url, DEFAULT, pasted_errors(DEFAULT)[:3])
    assert len(problems) == 3 and all("first result" in p for p in problems), problems


# --- Each check fails on a deliberately broken input ------------------------------------------


def fixture_page(root: Path, relative: str, body: str, lang: str = "en", head: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Fixture</title>'
                    '<link rel="icon" href="data:,">'
                    f"{head}</head><body>{textwrap.dedent(body)}</body></html>", encoding="utf-8")


@pytest.fixture
def fixture_site(tmp_path):
    """A tiny static site of hand-written pages, served like the real one."""
    (tmp_path / "pic.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>")
    fixture_page(tmp_path, "404.html", "<h1>Page not found</h1>")
    fixture_page(tmp_path, "index.html", '<main><h1>Clean</h1><p>Text.</p><img src="pic.svg" alt="A square"></main>')
    with serve(tmp_path) as url:
        yield tmp_path, url.rstrip("/")


def test_fixture_site_clean_page_has_no_problem(context, fixture_site):
    root, url = fixture_site
    page = context.new_page()
    visit = chromium.Visit(origin=url).attach(page)
    chromium.open_page(page, url + "/", visit=visit)
    assert visit.problems() == []
    assert accessibility_problems(page, "en") == []


def test_third_party_request_console_error_and_failed_request_are_caught(context, fixture_site):
    root, url = fixture_site
    fixture_page(root, "bad/index.html", """
        <main><h1>Bad</h1>
        <script src="https://cdn.example.com/library.js"></script>
        <img src="../missing.png" alt="Missing">
        <script>console.error("broken widget"); undefined_function();</script></main>""")
    page = context.new_page()
    visit = chromium.Visit(origin=url).attach(page)
    chromium.open_page(page, url + "/bad/")
    problems = "\n".join(visit.problems())
    assert "request to another host: https://cdn.example.com/library.js" in problems
    assert "failed request: " + url + "/missing.png: HTTP 404" in problems
    assert "console error: broken widget" in problems
    assert "uncaught error: " in problems and "undefined_function" in problems


def test_layout_shift_check_catches_a_page_that_moves_while_it_loads(context, fixture_site):
    root, url = fixture_site
    fixture_page(root, "moves/index.html", """
        <main><h1>Moves</h1><p id="text" style="height: 400px">Text.</p>
        <script>requestAnimationFrame(() => setTimeout(() => {
          document.getElementById("text").insertAdjacentHTML("beforebegin", '<div style="height: 300px"></div>');
          requestAnimationFrame(() => setTimeout(() => { window.moved = true; }));
        }));</script></main>""")
    page = context.new_page()
    visit = chromium.Visit(origin=url).attach(page)
    page.goto(url + "/moves/")
    page.wait_for_function("window.moved")
    visit.measure_layout_shift(page)
    problems = visit.problems()
    assert len(problems) == 1 and problems[0].startswith("the page moved while it loaded (layout shift 0."), problems
    assert problems[0].endswith(": p"), problems


def test_accessibility_check_catches_missing_alt_wrong_lang_and_low_contrast(context, fixture_site):
    root, url = fixture_site
    fixture_page(root, "es/bad/index.html", """
        <main class="md-typeset"><h1>Mal</h1><img src="../../pic.svg">
        <p style="color:#bbb;background:#fff">Texto casi invisible.</p>
        <pre><code><span class="n">x</span> <span class="c1" style="color:#ccc"># casi invisible</span></code></pre>
        </main>""", lang="en")
    page = context.new_page()
    chromium.open_page(page, url + "/es/bad/")
    problems = "\n".join(accessibility_problems(page, "es"))
    assert "<html lang> is 'en', not 'es'" in problems
    assert "has no alt text" in problems and "axe critical image-alt" in problems
    assert "axe serious color-contrast" in problems
    assert re.search(r"color-contrast.*\.c1", problems), "the sampled code tokens are checked too"


def test_language_menu_check_catches_a_link_to_another_page(context, fixture_site):
    root, url = fixture_site
    menu = '<header class="md-header"><div class="md-select"><a class="md-select__link" hreflang="es" href="/es/">Español</a></div></header>'
    fixture_page(root, "guide/index.html", menu + "<main><h1>Guide</h1></main>")
    fixture_page(root, "es/index.html", "<main><h1>Inicio</h1></main>", lang="es")
    fixture_page(root, "es/guide/index.html", "<main><h1>Guía</h1></main>", lang="es")
    page = context.new_page()
    chromium.open_page(page, url + "/guide/")
    assert switch_language(page, "es") == "/es/"  # the home page, not /es/guide/: the site test fails


@pytest.mark.parametrize("langs", [["en"], ["en", "es"], ["en", "es", "fr"], ["en", "es", "fr", "pt", "de"]])
def test_the_language_walk_follows_every_menu_entry_once(langs):
    walk = language_walk(langs)
    steps = list(zip(walk, walk[1:]))
    assert walk[0] == walk[-1] == langs[0] and set(walk) == set(langs)
    assert sorted(steps) == sorted((a, b) for a in langs for b in langs if a != b)


def test_not_found_check_catches_an_english_only_404(context, fixture_site):
    root, url = fixture_site
    problems = not_found_problems(context.new_page(), url, "es", {"title": "Página no encontrada"})
    assert problems and "'Page not found', not the es page 'Página no encontrada'" in problems[-1]


def test_search_order_check_catches_a_result_in_another_language(context, base_url):
    """A crafted Spanish index whose best match is the English page: the order check fails
    on it, and passes on the real Spanish index (which holds only Spanish pages)."""
    spanish, english = path_of("es", ANNOTATED), path_of(DEFAULT, ANNOTATED)
    docs = [{"location": "../" + english.lstrip("/"), "title": "métrica streaming métrica streaming",
             "text": "métrica streaming métrica streaming métrica streaming"},
            {"location": spanish.removeprefix("/es/"), "title": "Otra página", "text": "una métrica"}]

    def crafted_index(route):  # the real index's configuration, these two documents
        index = {**route.fetch().json(), "docs": docs}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(index))

    results = {}
    for crafted in (False, True):
        page = context.new_page()
        if crafted:
            page.route("**/es/search/search_index.json", crafted_index)
        chromium.open_page(page, base_url + spanish)
        results[crafted] = search(page, "métrica streaming")
        page.close()
    assert order_problems(results[False], "es") == [] and spanish in results[False], results[False]
    assert results[True][0] == english and order_problems(results[True], "es"), results[True]


def test_copy_check_catches_what_materials_own_copy_leaves_behind(tab, base_url, site):
    """Without overrides/main.html's copy handler, lines that had an annotation marker end
    in the spaces that stood before it: the check reports them."""
    browser_page, _ = tab
    browser_page.add_init_script("""document.addEventListener("copy", event => {
        if (event.target instanceof HTMLTextAreaElement) event.stopImmediatePropagation();
    }, true);""")
    chromium.open_page(browser_page, base_url + path_of(DEFAULT, ANNOTATED))
    static = (site.path / page_url(DEFAULT, ANNOTATED)).read_text(encoding="utf-8")
    problems = copy_problems(browser_page, static)
    assert any("instead of" in p and "huber,  \\n" in p for p in problems), problems
    assert code_as_copied("x = 1  # (1)!\n$ y\n") == "x = 1\n$ y"
    assert PROMPTS.search("x = 1\n$ pip install keras") and ANNOTATION_MARKER.search("x  # (2)!")


def test_annotation_check_catches_annotations_that_do_not_open(tab, base_url):
    browser_page, _ = tab
    chromium.open_page(browser_page, base_url + path_of(DEFAULT, ANNOTATED))
    browser_page.add_style_tag(content=".md-tooltip { display: none !important; }")
    problems = annotation_problems(browser_page, first_only=True)
    assert problems == ["annotation 1 did not open when clicked"], problems


def test_toggle_check_catches_a_toggle_that_does_nothing(tab, base_url):
    browser_page, _ = tab
    browser_page.add_init_script("""document.addEventListener("click", e => {
        if (e.target.closest && e.target.closest("form[data-md-component=palette]")) e.preventDefault();
    }, true);""")
    chromium.open_page(browser_page, base_url + path_of(DEFAULT, "index.md"))
    problems = scheme_toggle_problems(browser_page)
    assert problems and "not default <-> slate" in problems[0]


def test_without_chromium_the_tests_skip_locally_and_fail_in_ci(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="CHROMIUM=/nonexistent/chromium"):
        chromium.require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and browser tests need Chromium"):
        chromium.require_chromium()
