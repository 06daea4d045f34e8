"""Expand `--8<--` includes exactly as MkDocs does, keeping track of page lines.

The pymdownx.snippets preprocessor is the one MkDocs runs, configured from mkdocs.yml.
It is fed one page line at a time so that every expanded line remembers the page line
it came from: test ids and error messages then point at the page, not at the expansion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from pymdownx.snippets import SnippetMissingError

from tools import site_config as config

INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(["'])(?P<target>.+?)\1\s*$""")
BLOCK_MARKER = re.compile(r"^\s*-{1,}8<-{1,}\s*$")


class ExpansionError(Exception):
    """A page includes something that is not there; the message names page and line."""


@dataclass
class ExpandedPage:
    path: Path
    text: str
    source_lines: list[int]  # source_lines[i] is the page line of expanded line i + 1

    def page_line(self, expanded_line: int) -> int:
        return self.source_lines[expanded_line - 1]


def includes(text: str) -> list[tuple[int, str]]:
    """(line, target) of each include line, e.g. (12, "snippets/building_blocks/losses.py:huber")."""
    return [
        (number, m.group("target"))
        for number, line in enumerate(text.splitlines(), start=1)
        if (m := INCLUDE.match(line))
    ]


def _preprocessor(site: config.SiteConfig):
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": site.snippets_options()},
    )
    return md.preprocessors["snippet"]


def expand(path: Path, site: config.SiteConfig | None = None) -> ExpandedPage:
    site = site or config.site()
    snippets = _preprocessor(site)
    out: list[str] = []
    origin: list[int] = []
    shown = display(path, site)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if BLOCK_MARKER.match(line):
            raise ExpansionError(
                f"{shown}:{number}: block-form `--8<--` is not supported here; "
                'include one file or section per line: --8<-- "snippets/topic/file.py:section"'
            )
        try:
            lines = snippets.run([line])
        except SnippetMissingError as error:
            raise ExpansionError(f"{shown}:{number}: {error}") from None
        if INCLUDE.match(line) and not lines:
            # The file exists but the selection is empty: a section with no lines, or a
            # nested include of itself. Either way the reader would see nothing.
            raise ExpansionError(f"{shown}:{number}: include {line.strip()} expands to nothing")
        out.extend(lines)
        origin.extend([number] * len(lines))
    return ExpandedPage(path=path, text="\n".join(out) + "\n", source_lines=origin)


def display(path: Path, site: config.SiteConfig) -> str:
    try:
        return path.resolve().relative_to(site.root).as_posix()
    except ValueError:
        return str(path)
