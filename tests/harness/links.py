"""Static checks of a built site's HTML (no browser): internal links and anchors, external
links (listed, and Keras 2 API pages refused unless the text says so), image alt texts."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

# Attributes that hold a URL the reader's browser follows or fetches.
URL_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
                  "iframe": "src", "video": "src", "audio": "src"}
SKIPPED_SCHEMES = {"mailto", "javascript", "data", "tel", "blob"}

# Old Keras 2 / tf.keras API documentation: a reader following it learns an API that no
# longer runs as shown. Allowed only where the link text or its sentence says "Keras 2".
KERAS2_PAGES = re.compile(
    r"^https?://(www\.)?("
    r"tensorflow\.org/(versions/[^/]+/)?api_docs/python/tf/keras"
    r"|tensorflow\.org/guide/keras"
    r"|keras\.io/2\.[0-9x]+"
    r"|keras\.io/(api|guides)/.*\btf\.keras\b"
    r"|github\.com/keras-team/tf-keras"
    r")", re.IGNORECASE)
SAYS_KERAS2 = re.compile(r"\b(tf\.keras|Keras\s*2)\b(?!\.\d)", re.IGNORECASE)

BLOCKS = ("p", "li", "td", "th", "dd", "dt", "figcaption", "blockquote", "h1", "h2", "h3", "h4")


@dataclass(frozen=True)
class ExternalLink:
    page: str   # site path of the page, e.g. es/concepts/x/
    url: str
    text: str
    sentence: str


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _version(path: Path) -> tuple:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _parse(path: Path) -> BeautifulSoup:
    return _parse_version(path, _version(path))


@functools.lru_cache(maxsize=256)
def _parse_version(path: Path, version: tuple) -> BeautifulSoup:  # cached per file version
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _summary(path: Path) -> tuple[frozenset[str], list]:
    """(ids and <a name> anchors, [(tag, attribute, element)] holding URLs) in one pass."""
    return _summary_version(path, _version(path))


@functools.lru_cache(maxsize=256)
def _summary_version(path: Path, version: tuple) -> tuple[frozenset[str], list]:
    ids, urls = set(), []
    for element in _parse(path).find_all(True):
        if element.get("id"):
            ids.add(element["id"])
        if element.name == "a" and element.get("name"):
            ids.add(element["name"])
        attribute = URL_ATTRIBUTES.get(element.name)
        if attribute and element.get(attribute) is not None:
            urls.append((element.name, attribute, element))
    return frozenset(ids), urls


def anchors(path: Path) -> frozenset[str]:
    """The ids and <a name>s of a built page: what a link's #fragment can point at (parsed
    once per version of the file)."""
    return _summary(path)[0]


def _site_path(site: Path, html_file: Path) -> str:
    """URL path of a built file: es/x/index.html -> /es/x/index.html."""
    return "/" + html_file.relative_to(site).as_posix()


def _target(site: Path, path: str) -> Path | None:
    """The file a URL path serves, as a static host (GitHub Pages) would, or None."""
    candidate = site / unquote(path).lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _sentence(element, text: str) -> str:
    block = element.find_parent(BLOCKS)
    whole = " ".join((block or element).get_text(" ", strip=True).split())
    sentences = re.split(r"(?<=[.!?])\s+", whole)
    return " ".join(s for s in sentences if text and text in s) or whole


def check(site: Path, site_url: str = "") -> tuple[list[str], list[ExternalLink]]:
    """(problems with internal links and anchors, external links) over every HTML file.
    Absolute links to `site_url` (e.g. canonical links) are checked as internal ones."""
    problems, external = [], []
    own = urlsplit(site_url) if site_url else None
    for html_file in html_pages(site):
        here = _site_path(site, html_file)
        shown = here.removesuffix("index.html")
        for tag, attribute, element in _summary(html_file)[1]:
            raw = element[attribute].strip()
            parts = urlsplit(raw)
            if parts.scheme in SKIPPED_SCHEMES or raw == "#":
                continue
            if parts.netloc:
                if own and parts.netloc == own.netloc and parts.path.startswith(own.path):
                    parts = urlsplit("/" + parts.path[len(own.path):].lstrip("/")
                                     + (f"#{parts.fragment}" if parts.fragment else ""))
                else:
                    if tag == "a":
                        text = " ".join(element.get_text(" ", strip=True).split())
                        external.append(ExternalLink(shown, raw, text, _sentence(element, text)))
                    continue
            resolved = urlsplit(urljoin(here, parts._replace(scheme="", netloc="").geturl()))
            target = _target(site, resolved.path)
            if target is None:
                problems.append(f"{shown}: <{tag} {attribute}={raw!r}> leads to {resolved.path}, which does not exist")
                continue
            fragment = unquote(resolved.fragment)
            if fragment and target.suffix == ".html" and fragment not in anchors(target):
                problems.append(f"{shown}: <{tag} {attribute}={raw!r}>: {resolved.path} has no element with id {fragment!r}")
    return problems, external


def keras2_problems(links: list[ExternalLink]) -> list[str]:
    return [f"{link.page}: {link.url} (text {link.text!r}) is Keras 2 / tf.keras API documentation, "
            f"and neither the link text nor its sentence says so: {link.sentence!r}"
            for link in links
            if KERAS2_PAGES.match(link.url) and not SAYS_KERAS2.search(f"{link.text} {link.sentence}")]


def report(links: list[ExternalLink], path: Path) -> Path:
    """A Markdown list of the external links, by URL, with the pages that use them."""
    by_url: dict[str, list[ExternalLink]] = {}
    for link in links:
        by_url.setdefault(link.url, []).append(link)
    lines = ["# External links of the built site", "",
             f"{len(by_url)} distinct URLs, {len(links)} links. Written by tests/test_links.py.", ""]
    for url in sorted(by_url):
        lines.append(f"- <{url}>")
        for link in sorted(by_url[url], key=lambda l: l.page):
            lines.append(f"    - /{link.page} \u2014 \u201c{link.text}\u201d")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _image_key(site: Path, html_file: Path, src: str) -> str:
    if src.startswith("data:"):
        return "data:" + hashlib.sha256(src.encode()).hexdigest()[:16]
    return urlsplit(urljoin(_site_path(site, html_file), src)).path


def images(site: Path, html_file: Path) -> list[tuple[str, str | None]]:
    """(image key, alt text or None) for every <img> of a page, in order."""
    return [(_image_key(site, html_file, img.get("src", "")), img.get("alt"))
            for img in _parse(html_file).find_all("img")]


def missing_alt(site: Path, html_file: Path) -> list[str]:
    shown = _site_path(site, html_file).removesuffix("index.html")
    return [f"{shown}: <img src={key!r}> has no alt text" for key, alt in images(site, html_file)
            if not (alt or "").strip()]


def untranslated_alt(site: Path, english: Path, translated: Path) -> list[str]:
    """Images shown on both pages whose alt text is the same in both languages."""
    source = {key: alt.strip() for key, alt in images(site, english) if alt and alt.strip()}
    shown = _site_path(site, translated).removesuffix("index.html")
    return [f"{shown}: the alt text of {key!r} is the English one: {alt.strip()!r}"
            for key, alt in images(site, translated)
            if alt and alt.strip() and source.get(key) == alt.strip()]
