"""The glossary of a language (docs/<lang>/reference/glossary.md) as data, and the terminology checks.

The page's first table has the columns: English term | term in this language | terms
to avoid (comma-separated, or —) | meaning. One term per concept: no English term twice,
no translation used for two concepts, and no page uses a term to avoid.

A term to avoid is a phrase matched as whole words, case-insensitively, in the prose of a page
(code, link targets and comments removed); a final `*` matches any ending, for inflected forms
(«redefin*» catches «redefine», «redefinición»). A term to avoid applies to its concept only:
it may not equal another concept's translation («precisión» is the term for *precision*, so
*accuracy* lists phrases such as «precisión binaria» instead of the bare word).

SENSE_RULES lists, per language, collocations in which a glossary term is used in a second,
everyday meaning that a reader could confuse with the defined one («época del libro» for *era*,
«de otra forma» for *manner*); pages must say those things with another word."""

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
    for term in terms(path):
        for avoided in term.avoid:
            pattern = avoid_pattern(avoided)
            for other in terms(path):
                if other is not term and pattern.fullmatch(other.translation):
                    problems.append(f"{shown}:{term.line}: '{avoided}' (to avoid for '{term.english}') is the "
                                    f"term for '{other.english}' at line {other.line}; list phrases specific "
                                    f"to '{term.english}' instead")
    return problems


def avoid_pattern(avoided: str) -> re.Pattern:
    """A term to avoid as a whole-word, case-insensitive pattern; a final `*` matches any ending."""
    stem, wildcard = (avoided[:-1], r"[\w-]*") if avoided.endswith("*") else (avoided, "")
    words = r"\s+".join(re.escape(word) for word in stem.split())
    return re.compile(rf"(?<![\w-]){words}{wildcard}(?![\w-])", re.I)


QUOTED = re.compile(r"«[^»]*»")


def usage_problems(page: Path, glossary: list[Term], shown: str) -> list[str]:
    """Prose that uses a term the glossary says to avoid. Text in «» quotes only mentions a
    word (the contributor guide names the terms to avoid), so it is not checked."""
    checks = [(avoid_pattern(avoided), avoided, term) for term in glossary for avoided in term.avoid]
    problems = []
    for text, line_at in prose_runs(page):
        text = QUOTED.sub(lambda m: " " * len(m.group(0)), text)  # «…» mentions a word, same offsets
        for pattern, avoided, term in checks:
            for found in pattern.finditer(text):
                problems.append((line_at(found.start()), f"'{avoided}': the glossary term for "
                                 f"'{term.english}' is '{term.translation}'"))
    return [f"{shown}:{number}: {message}" for number, message in sorted(problems, key=lambda p: p[0])]


def prose_runs(page: Path):
    """(text, line_at) for each run of consecutive prose lines, joined with spaces so that a
    phrase wrapped over two lines is still found; line_at(offset) gives the line of an offset."""
    runs, current = [], []
    for number, text in prose_lines(page):
        if current and number != current[-1][0] + 1:
            runs.append(current)
            current = []
        current.append((number, text.strip()))
    if current:
        runs.append(current)
    for run in runs:
        starts, text = [], ""
        for number, line in run:
            starts.append((len(text), number))
            text += line + " "
        yield text, (lambda offset, starts=starts: max(n for start, n in starts if start <= offset))


def glossary_path(site: config.SiteConfig, lang: str) -> Path:
    return site.docs_dir / lang / "reference" / "glossary.md"


@dataclass(frozen=True)
class SenseRule:
    term: str      # the glossary translation used in a second meaning
    english: str   # the concept the glossary reserves it for
    pattern: str   # collocation (regex, case-insensitive, on a prose line) that means something else
    other: str     # that other meaning, and what to write instead


# Only collocations that cannot be the glossary sense: a rule that also matched the glossary
# sense would push writers to mistranslate. Senses not listed here are left to review.
SENSE_RULES: dict[str, list[SenseRule]] = {
    "es": [
        SenseRule("época", "epoch", r"\bépocas?\s+(?:del?|de\s+los|de\s+las)\s+(?:libros?|keras|tf|tensorflow|python)\b",
                  "'era' (write «el código de los libros de Keras 2», «el estilo de Keras 2»)"),
        SenseRule("época", "epoch", r"\bépoca\s+(?:dorada|actual|moderna|antigua|anterior\s+a)\b",
                  "'era' (say «cuando…», «antes de…»)"),
        # «de la misma forma», «de cualquier forma», «de forma distinta/variable/dinámica» can
        # describe a tensor's shape, so they are not listed.
        SenseRule("forma", "shape", r"\bde\s+(?:esta|otra|ninguna|alguna|igual)\s+forma\b",
                  "'manner' (write «de manera…», «así»)"),
        SenseRule("forma", "shape", r"\bde\s+forma\s+(?:más\s+|menos\s+)?(?:que|lineal|suave|simbólica|explícita|"
                  r"implícita|ingenua|reproducible|diferida|silenciosa|segura|estable|automática|"
                  r"manual|perezosa|eficiente|independiente|gradual|directa|correcta|incorrecta|numérica)\b",
                  "'manner' (write «de manera…» or an adverb)"),
        SenseRule("forma", "shape", r"\bforma\s+(?:guardada|serializada|escrita|compacta|abreviada|corta|larga|de\s+función)\b"
                  r"|\ben\s+forma\s+de\b",
                  "'form' (write «versión serializada», «como lista»)"),
        SenseRule("registro", "registry", r"\bregistros?\b[^.;]*\bcinta\b|\bcinta\b[^.;]*\bregistros?\b",
                  "the tape's 'record' (write «lo que ha grabado la cinta»)"),
    ],
}


def sense_problems(page: Path, lang: str, shown: str) -> list[str]:
    """Prose that uses a glossary term in a second meaning listed in SENSE_RULES. Text in «»
    quotes only mentions a word (the contributor guide, for one), so it is not checked."""
    rules = [(re.compile(rule.pattern, re.I), rule) for rule in SENSE_RULES.get(lang, [])]
    problems = []
    for text, line_at in prose_runs(page):
        text = QUOTED.sub(lambda m: " " * len(m.group(0)), text)  # «…» mentions a word, same offsets
        for pattern, rule in rules:
            for found in pattern.finditer(text):
                problems.append((line_at(found.start()), f"'{' '.join(found.group(0).split())}' uses "
                                 f"'{rule.term}' (the glossary term for '{rule.english}') for {rule.other}"))
    return [f"{shown}:{number}: {message}" for number, message in sorted(problems, key=lambda p: p[0])]
