"""Which English version each translated page follows, and whether it is still current.

Every translated page records, in its front matter, the git blob of the English page it
translates:

    ---
    translation:
      source: 8c0f1d2e...   # git hash-object docs/en/<same path> when translated
      reviewed: 2026-11-21  # date of the last full review, if any
    ---

A translation is *outdated* when the English page's prose changed since that version.
Code blocks are shared (they come from snippets/) and are compared by the parity tests, so a
change that only touches code or outputs does not make a translation outdated.

    python3 dev.py translations              status of every language
    python3 dev.py translations --diff       ... with the English prose diff of outdated pages
    python3 dev.py translations --mark docs/es/page.md [...]
                                             record the current English page as translated
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import page_text, site_config, yamlio

FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?\n)---\n", re.S)
TEST_MARKER = re.compile(r"^\s*<!--\s*pytest[-.].*-->\s*$")
CLAIM_MARKER = re.compile(r"\s*<!--\s*claim:[^>]*-->")

UP_TO_DATE, OUTDATED, MISSING, UNTRACKED, UNKNOWN = (
    "up-to-date", "outdated", "missing", "untracked", "unknown-version")


@dataclass
class PageStatus:
    lang: str
    page: str                 # path relative to the language folder, e.g. concepts/x.md
    state: str
    source: str | None = None  # recorded English blob
    current: str | None = None  # English blob now
    reviewed: str | None = None
    diff: str = ""

    @property
    def path(self) -> str:
        return f"docs/{self.lang}/{self.page}"


def front_matter(text: str) -> dict:
    m = FRONT_MATTER.match(text)
    return (yamlio.safe_load(m.group("yaml")) or {}) if m else {}


def prose(text: str) -> list[str]:
    """The lines a translator translates: no front matter, no code fences, no test markers."""
    # Claim markers are not translated (the claims check compares them across languages).
    return [CLAIM_MARKER.sub("", line).rstrip() + "\n" for _, line in page_text.lines_outside_fences(text)
            if not TEST_MARKER.match(line)]


def _git(root: Path, *args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def blob_of(root: Path, path: Path) -> str | None:
    out = _git(root, "hash-object", str(path))
    return out.strip() if out else None


def blob_text(root: Path, blob: str) -> str | None:
    return _git(root, "cat-file", "blob", blob)


def page_status(site: site_config.SiteConfig, lang: str, page: str) -> PageStatus:
    english = site.docs_dir / site.default_language / page
    translated = site.docs_dir / lang / page
    if not translated.exists():
        return PageStatus(lang, page, MISSING)
    meta = front_matter(translated.read_text(encoding="utf-8")).get("translation") or {}
    status = PageStatus(lang, page, UNTRACKED, source=meta.get("source"),
                        current=blob_of(site.root, english), reviewed=_text(meta.get("reviewed")))
    if not status.source:
        return status
    if status.source == status.current:
        status.state = UP_TO_DATE
        return status
    old = blob_text(site.root, status.source)
    if old is None:
        status.state = UNKNOWN
        return status
    new = english.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(
        prose(old), prose(new), f"docs/{site.default_language}/{page} (translated version)",
        f"docs/{site.default_language}/{page} (now)"))
    status.state = OUTDATED if diff else UP_TO_DATE
    status.diff = diff
    return status


def _text(value) -> str | None:
    return None if value is None else str(value)


def statuses(site: site_config.SiteConfig) -> list[PageStatus]:
    reference = [p.relative_to(site.docs_dir / site.default_language).as_posix()
                 for p in site.pages(site.default_language)]
    return [page_status(site, lang, page) for lang in site.languages[1:] for page in reference]


def mark(site: site_config.SiteConfig, translated: Path) -> str:
    """Record the current English page as the version `translated` follows."""
    translated = translated.resolve()
    if not translated.is_relative_to(site.docs_dir) or not translated.is_file():
        raise SystemExit(f"--mark {translated}: not a translated page; name it as docs/<lang>/<page>.md")
    lang, *rest = translated.relative_to(site.docs_dir).parts
    english = site.docs_dir / site.default_language / Path(*rest)
    blob = blob_of(site.root, english)
    if blob is None:
        raise SystemExit(f"git cannot hash {english}")
    text = translated.read_text(encoding="utf-8")
    meta = front_matter(text)
    meta.setdefault("translation", {})["source"] = blob
    body = FRONT_MATTER.sub("", text, count=1)
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    translated.write_text(f"---\n{header}---\n{body}", encoding="utf-8")
    return blob


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py translations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diff", action="store_true", help="show the English prose diff of outdated pages")
    parser.add_argument("--mark", nargs="+", type=Path, metavar="PAGE",
                        help="record the current English page as the version these pages translate")
    args = parser.parse_args(argv)
    site = site_config.site()
    if args.mark:
        for page in args.mark:
            print(f"{page}: now follows English blob {mark(site, page)[:12]}")
        return 0
    problems = 0
    for lang in site.languages[1:]:
        rows = [s for s in statuses(site) if s.lang == lang]
        counts = {state: sum(s.state == state for s in rows) for state in
                  (UP_TO_DATE, OUTDATED, MISSING, UNTRACKED, UNKNOWN)}
        print(f"{lang}: {len(rows)} pages: " + ", ".join(f"{n} {state}" for state, n in counts.items() if n))
        for s in rows:
            if s.state != UP_TO_DATE:
                problems += 1
                print(f"  {s.state:16} {s.path}")
                if args.diff and s.diff:
                    print("".join("    " + line for line in s.diff.splitlines(True)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
