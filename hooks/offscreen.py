"""Which code blocks and tables the browser may leave unrendered while they are off screen.

Most of a long page's elements sit in code blocks, and styling and laying them all out at
load blocked a phone's main thread for hundreds of milliseconds (issue 12). The site's
stylesheet gives code blocks `content-visibility: auto`, so the browser renders each one
when it comes near the screen.

That property also clips whatever overflows the block, and the tooltips of code
annotations do. An annotated code block (a code block followed by its list of
annotations, which Material moves into the block when it mounts it) gets the class
`kh-annotated` here, and the stylesheet leaves it rendered as usual. This used to be a
`:has(+ ol)` selector, which made the browser re-check every code block whenever an
element was inserted next to one: on the saving page, style recalculation at load went
from 338 to 230 ms without it (headless Chromium on this 2-core machine, median of 3).

Tables: every table of a page but its first gets `data-kh-offscreen`, and the stylesheet
gives the scrolling wrapper Material later puts around a marked table `content-visibility`.
Not the first: a wrapper is a new element, drawn once at its placeholder height before the
browser finds it on screen, and a long table that starts on the first screen (the
glossary's) moved the footer into view and out again. On every page of the site only a
page's first table starts within a screen and a half of the top, on a phone and on a
desktop; the page walk of tests/test_browser.py fails a page that moves while it loads, so
a page where that stops being true is caught. Marking here and not in the browser: a
script that measured where each table starts laid out the whole page once more, before
Material's own start.

Checked by tests/test_site.py (test_annotated_code_blocks_are_marked,
test_offscreen_mark_fixture, test_tables_after_the_first_are_marked,
test_table_mark_fixture).
"""

from __future__ import annotations

import re

CLASS = "kh-annotated"
TABLE_MARK = "data-kh-offscreen"
# A code block as pymdownx.highlight writes it, up to its end and what follows it.
_BLOCK = re.compile(r'<div class="((?:[\w-]+ )*highlight(?: [\w-]+)*)">(.*?</code></pre></div>)(\s*<ol>)?', re.S)
# A Markdown table: Python-Markdown writes it without attributes, and only such tables
# (Material's `table:not([class])`) get a scrolling wrapper.
_TABLE = "<table>"


def mark(html: str) -> str:
    def one(match: re.Match) -> str:
        if not match.group(3):
            return match.group(0)
        return f'<div class="{match.group(1)} {CLASS}">{match.group(2)}{match.group(3)}'
    return _BLOCK.sub(one, html)


def mark_tables(html: str) -> str:
    before, first, after = html.partition(_TABLE)
    return before + first + after.replace(_TABLE, f"<table {TABLE_MARK}>")


def on_page_content(html, page, config, files):
    return mark_tables(mark(html))
