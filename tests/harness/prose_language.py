"""Prose left in English on a translated page.

A paragraph is flagged when English function words make up a good share of it. Code,
link targets and glossary terms are not prose and are removed first."""

from __future__ import annotations

import re
from pathlib import Path

from tools.page_text import paragraphs

# Common English function words that are not also Spanish words (so no "a", "no", "he").
ENGLISH = frozenset("""
the and of to is are was were be been that this these those with for you your it its by
on or as an at from which when can will would should have has had what there their they
we our into if then than each only also but does do how why where who not just more
""".split())
WORD = re.compile(r"[^\W\d_]+")
MIN_ENGLISH_WORDS = 3
MIN_SHARE = 0.2


def english_paragraphs(page: Path, shown: str, terms: list[str]) -> list[str]:
    term_patterns = [re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.I) for t in sorted(terms, key=len, reverse=True)]
    problems = []
    for line, text in paragraphs(page):
        for pattern in term_patterns:
            text = pattern.sub(" ", text)
        words = [w.lower() for w in WORD.findall(text)]
        english = [w for w in words if w in ENGLISH]
        if len(english) >= MIN_ENGLISH_WORDS and len(english) >= MIN_SHARE * len(words):
            problems.append(f"{shown}:{line}: this paragraph reads as English "
                            f"({len(english)} of {len(words)} words: {' '.join(english[:6])}...): "
                            "translate it")
    return problems
