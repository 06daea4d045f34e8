"""Structural parity between a page and its translation: same pages, same code in the
same order, same outputs, same heading anchors. Translations change prose, never code."""

from __future__ import annotations

import difflib
import re
from itertools import zip_longest
from pathlib import Path


from tools import site_config as config
from tools import expand
from .collect import page_blocks
from tools.page_text import anchor, headings, markdown_lines

ADMONITION = re.compile(r"^\s*(?P<kind>!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)[^)]*\)|<a\s[^>]*href=\"(?P<href>[^\"]+)\"")
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s]+)[^)]*\)")
ANNOTATION_MARKER = re.compile(r"#\s*\(\d+\)!")
LIST_ITEM = re.compile(r"^(?P<indent>\s*)\d+\.\s")


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


def compare(source: Path, translation: Path, site: config.SiteConfig) -> list[str]:
    shown = expand.display(translation, site)
    problems = []
    # The first difference in the code is reported; after it the blocks are out of step.
    for a, b in zip_longest(page_blocks(source, site), page_blocks(translation, site)):
        if b is None:
            problems.append(f"{shown}: missing the Python block at {a.where}")
            break
        if a is None:
            problems.append(f"{b.where}: Python block that {expand.display(source, site)} does not have")
            break
        if a.code != b.code:
            diff = "".join(difflib.unified_diff(a.code.splitlines(True), b.code.splitlines(True),
                                                a.where, b.where))
            problems.append(f"{b.where}: code differs from {a.where} (translations change prose, "
                            f"never code)\n{diff}")
            break
        if a.backend != b.backend:
            problems.append(f"{b.where}: written for backend {b.backend or 'any'}, {a.where} for {a.backend or 'any'}")
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


def structure(path: Path) -> dict[str, list[tuple[int, str]]]:
    """Admonition types, internal link targets and images of a page, with their lines.
    Links are found in the page's text as a whole: a link text may wrap across lines."""
    found: dict[str, list[tuple[int, str]]] = {"admonition": [], "link": [], "image": []}
    numbered = list(markdown_lines(path))
    for number, line in numbered:
        if m := ADMONITION.match(line):
            found["admonition"].append((number, f"{m.group('kind')} {m.group('type')}"))
    text, starts = "", []
    for number, line in numbered:
        starts.append((len(text), number))
        text += line + "\n"

    def line_of(offset: int) -> int:
        return max(n for start, n in starts if start <= offset)

    for m in LINK.finditer(text):
        target = m.group("target") or m.group("href")
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target):  # internal: no scheme
            found["link"].append((line_of(m.start()), target))
    for m in IMAGE.finditer(text):
        found["image"].append((line_of(m.start()), m.group("src")))
    return found


def translated_image(src: str, translation: Path, language: str) -> str:
    """The image a translation shows where the English page shows `src`: the figure drawn with
    the language's labels, `name.<language>.svg` next to `name.svg`, when there is one;
    otherwise the same file (a picture without words, or a figure not drawn per language)."""
    stem, dot, suffix = src.rpartition(".")
    if not dot or "/" in suffix or "://" in src:
        return src
    localized = f"{stem}.{language}.{suffix}"
    return localized if (translation.parent / localized).is_file() else src


def compare_structure(source: Path, translation: Path, site: config.SiteConfig) -> list[str]:
    shown, english = expand.display(translation, site), expand.display(source, site)
    a, b = structure(source), structure(translation)
    language = translation.relative_to(site.docs_dir).parts[0]
    problems = []
    for kind in ("admonition", "image"):
        for x, y in zip_longest(a[kind], b[kind]):
            if x is None:
                problems.append(f"{shown}:{y[0]}: {kind} {y[1]!r} that {english} does not have")
            elif y is None:
                problems.append(f"{shown}: missing the {kind} {x[1]!r} of {english}:{x[0]}")
            elif kind == "image" and y[1] != (wanted := translated_image(x[1], translation, language)):
                if y[1] == x[1]:
                    problems.append(f"{shown}:{y[0]}: image {y[1]!r} has {language} labels in "
                                    f"{wanted!r}; show that one")
                else:
                    hint = f" ({language} version: {wanted!r})" if wanted != x[1] else ""
                    problems.append(f"{shown}:{y[0]}: image {y[1]!r} where {english}:{x[0]} has "
                                    f"{x[1]!r}{hint}")
            elif kind != "image" and x[1] != y[1]:
                problems.append(f"{shown}:{y[0]}: {kind} {y[1]!r} where {english}:{x[0]} has {x[1]!r}")
            else:
                continue
            break
    targets_a = sorted(t for _, t in a["link"])
    targets_b = sorted(t for _, t in b["link"])
    for number, target in b["link"]:
        if targets_b.count(target) > targets_a.count(target):
            problems.append(f"{shown}:{number}: link to {target} that {english} does not have")
            targets_b.remove(target)
    for number, target in a["link"]:
        if targets_a.count(target) > targets_b.count(target):
            problems.append(f"{shown}: missing the link to {target} of {english}:{number}")
            targets_a.remove(target)
    return problems


def annotation_problems(path: Path, site: config.SiteConfig) -> list[str]:
    """Each Python block has as many explanations in the list after it as code annotations."""
    lines = path.read_text(encoding="utf-8").splitlines()
    shown = expand.display(path, site)
    problems = []
    for block in page_blocks(path, site):
        markers = len(ANNOTATION_MARKER.findall(block.code))
        items = _list_items_after_fence(lines, block.line)
        if markers != items:
            problems.append(f"{shown}:{block.line}: the block has {markers} code annotation(s) "
                            f"but the list after it explains {items}")
    return problems


def _list_items_after_fence(lines: list[str], fence_line: int) -> int:
    opening = lines[fence_line - 1]
    indent = len(opening) - len(opening.lstrip())
    mark = opening.strip()[:3]
    index = fence_line  # 0-based index of the line after the opening fence
    while index < len(lines) and not lines[index].strip().startswith(mark):
        index += 1
    index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    items = 0
    while index < len(lines):
        line = lines[index]
        m = LIST_ITEM.match(line)
        if m and len(m.group("indent")) == indent:
            items += 1
        elif line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        index += 1
    return items
