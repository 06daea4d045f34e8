"""Code tokens that Material draws in the code's own colour are written as plain text.

Pygments wraps every token of a highlighted block in a `<span>`, and the browser styles and
lays out each one when it renders the block. A third of those spans change nothing on
screen: names (`n`), keyword constants such as `None` (`kc`) and whitespace (`w`). Material
colours `n` and `kc` with `--md-code-hl-name-color`, which both of its colour schemes set to
the code's own colour, and gives `w` no rule at all. Writing their text without the span
leaves the page looking the same, with the same text for the copy button and for search,
and with about 38,000 fewer elements over the site (issue 12: the pages that missed 95 on
Lighthouse were those whose annotated code blocks, which stay rendered at load, hold the
most spans).

Checked by tests/test_site.py (test_plain_tokens_fixture, test_plain_tokens_are_plain_in_materials_css,
test_built_code_has_no_plain_token_spans).
"""

from __future__ import annotations

import re

CLASSES = ("n", "kc", "w")
# Pygments writes a token's text escaped, so a token span never holds a tag.
_SPAN = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(CLASSES))


def unwrap(html: str) -> str:
    return _SPAN.sub(r"\1", html)


def on_page_content(html, page, config, files):
    return unwrap(html)
