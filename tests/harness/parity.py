"""Structural parity between a page and its translation: same pages, same code in the
same order, same outputs, same heading anchors. Translations change prose, never code."""

from __future__ import annotations

import difflib
import html
import re
from itertools import zip_longest
from pathlib import Path

import markdown
from markdown.extensions.toc import slugify

from tools import site_config as config
from . import expand
from .collect import page_blocks

HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*#*\s*$")
EXPLICIT_ID = re.compile(r"#([\w-]+)")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def missing_pages(site: config.SiteConfig) -> list[str]:
    problems = []
    default = site.default_language
    reference = {p.relative_to(site.docs_dir / default) for p in site.pages(default)}
    for lang in site.languages[1:]:
        translated = {p.relative_to(site.docs_dir / lang) for p in site.pages(lang)}
        for page in sorted(reference - translated):
            problems.append(f"docs/{lang}/{page.as_posix()}: missing translation of docs/{default}/{page.as_posix()}")
        for page in sorted(translated - reference):
            problems.append(f"docs/{lang}/{page.as_posix()}: no English page docs/{default}/{page.as_posix()}")
    return problems


def headings(path: Path) -> list[tuple[int, int, str, str | None]]:
    """(line, level, text, explicit id) of every heading outside code fences."""
    found, fence = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = FENCE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is None and (h := HEADING.match(line)):
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


def compare(source: Path, translation: Path, site: config.SiteConfig) -> list[str]:
    shown = expand._display(translation, site)
    problems = []
    # The first difference in the code is reported; after it the blocks are out of step.
    for a, b in zip_longest(page_blocks(source, site), page_blocks(translation, site)):
        if b is None:
            problems.append(f"{shown}: missing the Python block at {a.where}")
            break
        if a is None:
            problems.append(f"{b.where}: Python block that {expand._display(source, site)} does not have")
            break
        if a.code != b.code:
            diff = "".join(difflib.unified_diff(a.code.splitlines(True), b.code.splitlines(True),
                                                a.where, b.where))
            problems.append(f"{b.where}: code differs from {a.where} (translations change prose, "
                            f"never code)\n{diff}")
            break
        if a.expected_output != b.expected_output:
            problems.append(f"{b.where}: expected output differs from {a.where}")
    src_heads = [h for h in headings(source) if h[1] > 1]
    dst_heads = [h for h in headings(translation) if h[1] > 1]
    for a, b in zip_longest(src_heads, dst_heads):
        if b is None:
            problems.append(f"{shown}: missing the heading '{a[2]}' (line {a[0]} of the English page)")
            break
        if a is None:
            problems.append(f"{shown}:{b[0]}: heading '{b[2]}' has no English counterpart")
            break
        wanted = anchor(a[2], a[3])
        if b[3] != wanted:
            problems.append(f"{shown}:{b[0]}: heading '{b[2]}' must keep the English anchor: "
                            f"add {{ #{wanted} }}")
        if a[1] != b[1]:
            problems.append(f"{shown}:{b[0]}: heading level {b[1]}, the English one is {a[1]}")
    return problems
