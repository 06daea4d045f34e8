"""The Markdown of a page as text: lines outside front matter and code fences, and the
prose in them (what a translator writes and a spell checker reads)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
from markdown.extensions.toc import slugify

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# The marker pytest-codeblocks reads before a block's shown output.
EXPECTED_OUTPUT = "<!--pytest-codeblocks:expected-output-->"
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*#*\s*$")
EXPLICIT_ID = re.compile(r"#([\w-]+)")

IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")  # replaced by its alt text, which is prose
# Markup removed before prose checks, in this order.
_NOT_PROSE = [
    re.compile(r"<!--.*?-->"),                       # comments, test markers
    re.compile(r"(`+).+?\1"),                        # inline code, also ``with `backticks` inside``
    re.compile(r"\]\([^)]*\)"),                      # link targets
    re.compile(r"\{[^}]*#[^}]*\}"),                  # attribute lists such as { #anchor }
    re.compile(r"<[^>]+>"),                          # HTML tags
    re.compile(r"https?://\S+"),                     # bare URLs
    re.compile(r"^\s*(!!!|\?\?\?\+?)\s+[\w-]+"),     # admonition keyword and type
    re.compile(r"\b\w+(?:\.\w+)+(?:\(\))?|\b\w*_\w+"),   # identifiers: keras.ops, __call__, on_epoch_end
]


def lines_outside_fences(text: str):
    """(line number, line) of Markdown text outside its front matter and code fences."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0] == "---":
        start = next((i + 1 for i, line in enumerate(lines[1:], start=1) if line == "---"), 0)
    fence = None
    for number, line in enumerate(lines[start:], start=start + 1):
        m = FENCE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark):]:
                fence = None
            continue
        if fence is None:
            yield number, line


def markdown_lines(path: Path):
    """(line number, line) of a page outside its front matter and code fences."""
    return lines_outside_fences(path.read_text(encoding="utf-8"))


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) with code, link targets, anchors and markup removed."""
    out = []
    for number, line in markdown_lines(path):
        text = IMAGE.sub(r" \1 ", line)
        for pattern in _NOT_PROSE:
            text = pattern.sub(" ", text)
        text = re.sub(r"[|*_#>]", " ", text)
        if text.strip():
            out.append((number, text))
    return out


def paragraphs(path: Path) -> list[tuple[int, str]]:
    """(first line, text) of each run of prose lines separated by blank lines."""
    result, current, first, previous = [], [], 0, -1
    for number, text in prose_lines(path):
        if number != previous + 1 and current:
            result.append((first, " ".join(current)))
            current = []
        if not current:
            first = number
        current.append(text.strip())
        previous = number
    if current:
        result.append((first, " ".join(current)))
    return result


def headings(path: Path) -> list[tuple[int, int, str, str | None]]:
    """(line, level, text, explicit id) of every heading outside code fences."""
    found = []
    for number, line in markdown_lines(path):
        if h := HEADING.match(line):
            attrs = h.group("attrs") or ""
            explicit = EXPLICIT_ID.search(attrs)
            found.append((number, len(h.group("hashes")), h.group("text"), explicit and explicit.group(1)))
    return found


def anchor(text: str, explicit: str | None) -> str:
    """The id MkDocs gives a heading: its explicit id, else the toc slug of its rendered text."""
    if explicit:
        return explicit
    rendered = markdown.markdown(text)
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    return slugify(plain, "-")


def page_title(path: Path) -> str:
    """The text of a page's first-level heading, or its file name."""
    for _, line in markdown_lines(path):
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem
