"""Drop Material's <link rel="alternate" hreflang> tags from every page's <head>.

With mkdocs-static-i18n they point at the same page in each language, by relative URL:
- Material's script fetches `sitemap.xml` under every one of them (it expects language
  roots there), so every page below the root made two requests that end in 404 and two
  console errors;
- search engines and Lighthouse's SEO audit reject relative hreflang URLs.
The language of each page is still declared for search engines, with absolute URLs, in the
sitemap.xml that mkdocs-static-i18n writes (xhtml:link rel="alternate" hreflang), and the
language menu in the header is untouched. Listed before not_found.py in mkdocs.yml, so the
404 pages that hook copies are already clean.
"""

from __future__ import annotations

import re

_ALTERNATE = re.compile(r'\n?[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _strip(output: str) -> str:
    head, separator, body = output.partition("</head>")
    return _ALTERNATE.sub("", head) + separator + body


def on_post_page(output, page, config):
    return _strip(output)


def on_post_template(output, template_name, config):
    return _strip(output) if template_name == "404.html" else output
