"""Chromium for the browser tests (tests/test_browser.py) and the audit (tools/audit.py).

The browser is the system's Chromium (Debian: /usr/bin/chromium; elsewhere set CHROMIUM to
a Chromium or Chrome binary): nothing here downloads one. A page visit records everything
that went wrong while it loaded, so a test can assert that nothing did.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Headless, and quiet on a closed network: without the last four, Chromium keeps trying
# to reach Google's services (as root it needs --no-sandbox).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> tuple[str | None, str]:
    """(path of an executable Chromium or None, where it was looked for)."""
    wanted = os.environ.get("CHROMIUM") or DEFAULT_CHROMIUM
    where = f"CHROMIUM={wanted}" if os.environ.get("CHROMIUM") else wanted
    path = wanted if os.sep in wanted else shutil.which(wanted)
    if path and Path(path).is_file() and os.access(path, os.X_OK):
        return path, where
    return None, where


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_chromium() -> str:
    """Chromium's path; without one, skip locally (one reason for all) and fail in CI."""
    import pytest

    path, where = chromium()
    if path is None:
        reason = (f"browser tests need Chromium: none at {where} "
                  "(install Debian's chromium, or set CHROMIUM to a Chromium/Chrome binary)")
        if in_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    return path


@dataclass
class Visit:
    """What a page did while it was open: every request, and every problem."""
    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    shifts: list[str] = field(default_factory=list)

    def attach(self, page) -> "Visit":
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url}: HTTP {r.status}"))
        return self

    def mark(self) -> tuple[int, ...]:
        """A point in the visit, for since()."""
        return (len(self.requests), len(self.console_errors), len(self.page_errors), len(self.failed),
                len(self.shifts))

    def since(self, mark: tuple[int, ...]) -> "Visit":
        """What happened after `mark`, as a visit of its own (one page of a walk through several)."""
        requests, console, errors, failed, shifts = mark
        return Visit(self.origin, self.requests[requests:], self.console_errors[console:],
                     self.page_errors[errors:], self.failed[failed:], self.shifts[shifts:])

    def measure_layout_shift(self, page) -> None:
        """Record it as a problem when the page moved under the reader while it loaded (call it
        once the page has settled, before anything is shown or clicked)."""
        score, moved = page.evaluate(_LAYOUT_SHIFT)
        if score > LAYOUT_SHIFT_LIMIT:
            self.shifts.append(f"the page moved while it loaded (layout shift {score:.3f}, over "
                               f"{LAYOUT_SHIFT_LIMIT}): {', '.join(moved)}")

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about")
                and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin]

    def problems(self, expected_status: set[str] = frozenset()) -> list[str]:
        """Everything that went wrong; `expected_status` lists URLs allowed to answer 4xx
        (the missing page a 404 test asks for, and the console line the browser logs for it)."""
        failed = [f for f in self.failed if f.rsplit(": HTTP", 1)[0] not in expected_status]
        console = [c for c in self.console_errors
                   if not (expected_status and "status of 404" in c
                           and any(url in c for url in expected_status))]
        return ([f"request to another host: {u}" for u in self.foreign_requests()]
                + [f"failed request: {f}" for f in failed]
                + [f"console error: {c}" for c in console]
                + [f"uncaught error: {e}" for e in self.page_errors]
                + self.shifts)


# Web Vitals' limit for a "good" cumulative layout shift. Material itself moves a long table's
# rows a little when it puts the table in its scrolling wrapper (0.02-0.06 on the glossary).
LAYOUT_SHIFT_LIMIT = 0.1
# The layout shifts of the page so far (the buffered entries, handed over at once by
# takeRecords), those right after an input excluded as in Web Vitals, and what moved.
_LAYOUT_SHIFT = """() => {
  const observer = new PerformanceObserver(() => {});
  observer.observe({type: "layout-shift", buffered: true});
  const shifts = observer.takeRecords().filter(entry => !entry.hadRecentInput);
  observer.disconnect();
  const moved = new Set();
  for (const shift of shifts)
    for (const source of shift.sources)
      if (source.node && source.node.nodeType === Node.ELEMENT_NODE)
        moved.add(source.node.localName + (source.node.classList.length ? "." + source.node.classList[0] : ""));
  return [shifts.reduce((sum, shift) => sum + shift.value, 0), [...moved].slice(0, 6)];
}"""


# True once Material's search worker has loaded the index and the language stemmers: the
# last requests a page makes once its index is released. Pages without Material's search have
# nothing to wait for.
_SEARCH_READY = """() => {
  const config = document.getElementById("__config");
  const meta = document.querySelector(".md-search-result__meta");
  if (!config || !meta) return true;
  return meta.textContent.trim() === JSON.parse(config.textContent).translations["search.result.placeholder"];
}"""
_SETTLED = f"""() => document.documentElement.hasAttribute("data-kh-search-held") || ({_SEARCH_READY})()"""


def settle(page, timeout: float = 20_000) -> None:
    """Wait until the loaded page (and Material's search worker) has stopped fetching.
    The site holds the search index request until the reader reaches the search box
    (overrides/main.html): a page whose request is still held has settled; one that has
    released it (opened from a search result) has settled once search is ready."""
    page.wait_for_load_state("load", timeout=timeout)
    page.wait_for_function(_SETTLED, timeout=timeout)


def search_ready(page, timeout: float = 20_000) -> None:
    """Wait until search answers queries: after the reader reached the search box, the index
    has been fetched and indexed (until then Material says it is initializing)."""
    page.wait_for_function(_SEARCH_READY, timeout=timeout)


# Every code block the reader can see has been mounted by Material: its copy button is in
# place (and, with it, its annotation markers).
_MOUNTED = """() => [...document.querySelectorAll(".md-content pre > code")]
  .filter(code => code.getClientRects().length && !code.closest(".no-copy, details:not([open])"))
  .every(code => code.parentElement.querySelector(":scope > .md-code__nav"))"""
_RENDER_EVERYTHING = "* { content-visibility: visible !important; }"


def show_everything(page, timeout: float = 20_000) -> None:
    """Make the page what a reader sees after scrolling through all of it, so that checks
    see every part: the site mounts a code block's copy button and annotations only once it
    is on screen (Material's content.lazy) and skips rendering code blocks off screen (CSS
    content-visibility, docs/assets/stylesheets/extra.css). A tall screen scrolled from top
    to bottom puts every block on it; the original size and scroll are restored afterwards.
    Blocks in a collapsed <details> or an unselected tab are mounted when revealed, as for
    a reader."""
    page.add_style_tag(content=_RENDER_EVERYTHING)
    size = page.viewport_size
    if size is None:
        return
    tall = 8_000
    page.set_viewport_size({"width": size["width"], "height": tall})
    try:
        height = page.evaluate("document.documentElement.scrollHeight")
        for top in range(0, height, tall):
            page.evaluate("top => window.scrollTo(0, top)", top)
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        page.wait_for_function(_MOUNTED, timeout=timeout)
    finally:
        page.evaluate("window.scrollTo(0, 0)")
        page.set_viewport_size(size)


def open_page(page, url: str, timeout: float = 20_000, visit: Visit | None = None):
    """Go to `url`, wait until it has settled and show all of it; the navigation's response.
    With `visit`, whether the page moved while it loaded is recorded there first."""
    response = page.goto(url, wait_until="load", timeout=timeout)
    settle(page, timeout)
    if visit is not None:
        visit.measure_layout_shift(page)
    show_everything(page, timeout)
    return response
