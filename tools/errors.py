"""Every error and warning the site shows, found in the pages' shown outputs, for the error
index (hooks/errors.py) and its tests.

A shown output (the text block after `<!--pytest-codeblocks:expected-output-->`) that holds a
line `SomeError: message` or `SomeWarning: message` shows that error; the tests already compare
it with what the code prints, so the index is as true as the pages. Each entry links to the
section (the nearest heading of level 2 or more above the block) that explains it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tools import page_text, site_config

EXPECTED_OUTPUT = page_text.EXPECTED_OUTPUT
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")
FENCE = page_text.FENCE
ERROR_LINE = re.compile(
    r"^(?:\.\.\.)?(?P<type>(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Warning))(?::\s+(?P<message>.*))?$")


@dataclass(frozen=True)
class Shown:
    lang: str
    page: str            # relative to the language folder
    line: int            # page line of the output block
    type: str            # "ValueError", "UserWarning", ...
    message: str         # as printed; several lines when the message has several
    section: tuple[int, str, str] | None  # (line, heading text, anchor) explaining it

    @property
    def where(self) -> str:
        return f"docs/{self.lang}/{self.page}:{self.line}"

    @property
    def kind(self) -> str:
        return "warning" if self.type.endswith("Warning") else "error"

    @property
    def key(self) -> tuple[str, str]:
        """What makes two shown errors the same one: type and message, '...' elisions ignored."""
        return self.type, re.sub(r"\s+", " ", self.message.replace("...", " ")).strip()


def _outputs(lines: list[str]):
    """(page line of the output block, its text lines) for each shown output."""
    index = 0
    while index < len(lines):
        if lines[index].strip() == EXPECTED_OUTPUT:
            start = next((i for i in range(index + 1, len(lines)) if FENCE.match(lines[i])), None)
            if start is None:
                return
            indent = len(lines[start]) - len(lines[start].lstrip())
            end = next((i for i in range(start + 1, len(lines)) if FENCE.match(lines[i])), len(lines))
            yield start + 1, [line[indent:] for line in lines[start + 1:end]]
            index = end
        index += 1


def page_errors(path: Path, lang: str, page: str) -> list[Shown]:
    lines = path.read_text(encoding="utf-8").splitlines()
    sections = [(n, text, page_text.anchor(text, explicit))
                for n, level, text, explicit in page_text.headings(path) if level >= 2]
    found = []
    for line, output in _outputs(lines):
        section = next((s for s in reversed(sections) if s[0] < line), None)
        for i, text in enumerate(output):
            m = ERROR_LINE.match(text.strip())
            if not m or NUMBER.fullmatch((m["message"] or "").strip()):
                continue  # `RootMeanSquaredError: 0.5895` is a metric's value, not an error
            message = [m["message"] or ""]
            for more in output[i + 1:]:
                if not more.strip() or ERROR_LINE.match(more.strip()):
                    break
                message.append(more.strip())
            found.append(Shown(lang, page, line, m["type"], "\n".join(message).strip(), section))
    return found


def site_errors(site: site_config.SiteConfig, lang: str) -> list[Shown]:
    return [error for path in site.pages(lang)
            for error in page_errors(path, lang, path.relative_to(site.docs_dir / lang).as_posix())]


def problems(site: site_config.SiteConfig) -> list[str]:
    """Shown errors that no section explains (they sit above the page's first section)."""
    return [f"{e.where}: {e.type} is shown before the page's first section; put it under the "
            "heading of the section that explains it, so the error index can link there"
            for lang in site.languages for e in site_errors(site, lang) if e.section is None]


@dataclass
class Entry:
    type: str
    message: str
    places: list[Shown] = field(default_factory=list)


def index(site: site_config.SiteConfig, lang: str) -> list[Entry]:
    """One entry per distinct error, in order of type then message, with every place shown."""
    entries: dict[tuple[str, str], Entry] = {}
    for error in site_errors(site, lang):
        entries.setdefault(error.key, Entry(error.type, error.message)).places.append(error)
    return sorted(entries.values(), key=lambda e: (e.type.endswith("Warning"), e.type, e.message))
