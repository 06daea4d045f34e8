"""The glossary of a language (docs/<lang>/reference/glossary.md) as data, and the terminology checks.

The page's first table has the columns: English term | term in this language | terms
to avoid (comma-separated, or —) | meaning. One term per concept: no English term twice,
no translation used for two concepts, and no page uses a term to avoid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools import site_config as config

from tools.page_text import markdown_lines, prose_lines


@dataclass
class Term:
    line: int
    english: str
    translation: str
    avoid: list[str]


def terms(path: Path) -> list[Term]:
    rows = []
    for number, line in markdown_lines(path):
        if not line.startswith("|"):
            if rows:
                break  # the first table only
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((number, cells))
    found = []
    for number, cells in rows[2:]:  # header and separator rows
        avoid = [] if cells[2] in ("", "—", "-") else [a.strip() for a in cells[2].split(",")]
        found.append(Term(number, cells[0], cells[1], avoid))
    return found


def glossary_problems(path: Path, shown: str) -> list[str]:
    problems, english, translated = [], {}, {}
    for term in terms(path):
        if term.english in english:
            problems.append(f"{shown}:{term.line}: '{term.english}' is already defined at line {english[term.english]}")
        english.setdefault(term.english, term.line)
        if term.translation in translated:
            problems.append(f"{shown}:{term.line}: '{term.translation}' already translates another "
                            f"concept at line {translated[term.translation]}; one term per concept")
        translated.setdefault(term.translation, term.line)
        for avoided in term.avoid:
            if avoided.lower() == term.translation.lower():
                problems.append(f"{shown}:{term.line}: '{avoided}' is both the term and a term to avoid")
    return problems


def usage_problems(page: Path, glossary: list[Term], shown: str) -> list[str]:
    """Prose that uses a term the glossary says to avoid."""
    checks = [
        (re.compile(rf"(?<![\w-]){re.escape(avoided)}(?![\w-])", re.I), avoided, term)
        for term in glossary for avoided in term.avoid
    ]
    problems = []
    for number, text in prose_lines(page):
        for pattern, avoided, term in checks:
            if pattern.search(text):
                problems.append(f"{shown}:{number}: '{avoided}': the glossary term for "
                                f"'{term.english}' is '{term.translation}'")
    return problems


def glossary_path(site: config.SiteConfig, lang: str) -> Path:
    return site.docs_dir / lang / "reference" / "glossary.md"
