"""Drop Material's <link rel="alternate" hreflang> tags from every page's <head>.

With mkdocs-static-i18n they point at the same page in each language, by relative URL:
- Material's script fetches `sitemap.xml` under every one of them (it expects language
  roots there), so every page below the root made two requests that end in 404 and two
  console errors;
- search engines and Lighthouse's SEO audit reject relative hreflang URLs.
The language of each page is still declared for search engines, with absolute URLs, in the
sitemaps (xhtml:link rel="alternate" hreflang: the equivalent search engines accept for the
<head> tags), and the language menu in the header is untouched. Listed before not_found.py
in mkdocs.yml, so the 404 pages that hook copies are already clean.

Sitemaps, one per language: mkdocs-static-i18n writes one sitemap.xml listing every page of
every language, each with its twins. After the build it is split: <site>/sitemap.xml keeps
the default language's pages, <site>/<locale>/sitemap.xml gets that language's, each page
names its twin in every language plus `x-default` (the default language's twin), and
robots.txt lists the sitemaps. Each build of a language rewrites the combined file, so the
split runs after each one and does nothing on an already split file.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import site_config  # noqa: E402

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"

_ALTERNATE = re.compile(r'\n?[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _strip(output: str) -> str:
    head, separator, body = output.partition("</head>")
    return _ALTERNATE.sub("", head) + separator + body


def on_post_page(output, page, config):
    return _strip(output)


def on_post_template(output, template_name, config):
    return _strip(output) if template_name == "404.html" else output


def _language_of(loc: str, base: str, languages: list[str]) -> str:
    first = loc[len(base):].split("/", 1)[0] if loc.startswith(base) else ""
    return first if first in languages[1:] else languages[0]


def split_sitemap(site_dir: Path, site_url: str, languages: list[str]) -> None:
    """Rewrite the combined sitemap.xml as one sitemap per language (see the docstring)."""
    combined = site_dir / "sitemap.xml"
    if not combined.exists():
        return
    base = site_url.rstrip("/") + "/"
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urls = ET.parse(combined).getroot().findall(f"{{{SITEMAP}}}url")
    by_language: dict[str, list] = {lang: [] for lang in languages}
    for url in urls:
        by_language[_language_of(url.findtext(f"{{{SITEMAP}}}loc", ""), base, languages)].append(url)
    if not any(by_language[lang] for lang in languages[1:]):
        return  # already split
    for lang, entries in by_language.items():
        root = ET.Element(f"{{{SITEMAP}}}urlset")
        for url in entries:
            links = url.findall(f"{{{XHTML}}}link")
            default = next((l.get("href") for l in links if l.get("hreflang") == languages[0]), None)
            if default and not any(l.get("hreflang") == "x-default" for l in links):
                ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang="x-default", href=default)
            root.append(url)
        ET.indent(root)
        folder = site_dir if lang == languages[0] else site_dir / lang
        folder.mkdir(parents=True, exist_ok=True)
        data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
        (folder / "sitemap.xml").write_bytes(data)
        (folder / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))
    sitemaps = [base + ("" if lang == languages[0] else f"{lang}/") + "sitemap.xml" for lang in languages]
    (site_dir / "robots.txt").write_text(
        "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {url}\n" for url in sitemaps), encoding="utf-8")


def on_post_build(config):
    site = site_config.load(Path(config.config_file_path).parent)
    split_sitemap(Path(config.site_dir), config.site_url or "/", site.languages)
