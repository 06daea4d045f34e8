"""Statements about Keras behaviour, and what backs each one.

A sentence, table cell, annotation or admonition that says how Keras or TensorFlow behaves
ends with an invisible marker, the same on every language's page:

    Keras resets every metric at the start of each epoch. <!-- claim: metrics-reset-each-epoch -->

The id is backed in one of two ways:

- by a *claim check*, a test in the page's claims file (tools/tree.py:
  tests/claims/<section>/test_<page>.py) marked with the same id:

      @pytest.mark.claim("metrics-reset-each-epoch")
      def test_metrics_reset_each_epoch(): ...

- or by a block on the same page whose shown output demonstrates it, named by the snippet
  section the block includes:

      ... is 0.5 overall. <!-- claim: streaming-precision shown: streaming -->

    python3 dev.py claims     every claim id per page, totals last; exit 1 on any problem

Links to the Keras source in pages must name the pinned release, so an upgrade lists the
links whose surprising behaviour has to be read again (`source_link_problems`).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import expand, page_text, site_config, tree

ID = r"[a-z0-9][a-z0-9-]*"
MARKER = re.compile(rf"<!--\s*claim:\s*(?P<id>{ID})(?:\s+shown:\s*(?P<shown>[\w-]+))?\s*-->")
CODE_SPAN = re.compile(r"(`+).*?\1")
LOOSE = re.compile(r"<!--\s*claims?\b")  # anything that tries to be a marker
EXPECTED_OUTPUT = page_text.EXPECTED_OUTPUT
ANNOTATION = re.compile(r"\d+\.\s")
SOURCE_LINK = re.compile(
    r"https://github\.com/keras-team/keras/blob/(?P<tag>[^/\s)]+)/(?P<path>[^#\s)\"]+)"
    r"(?:#L(?P<start>\d+)(?:-L(?P<end>\d+))?)?")


@dataclass(frozen=True)
class Claim:
    lang: str
    page: str        # relative to the language folder
    line: int
    id: str
    shown: str | None  # snippet section whose block shows it, or None for a claim check

    @property
    def where(self) -> str:
        return f"docs/{self.lang}/{self.page}:{self.line}"


@dataclass(frozen=True)
class Check:
    id: str
    file: str        # relative to the project root
    line: int
    function: str


def page_claims(path: Path, lang: str, page: str) -> tuple[list[Claim], list[str]]:
    """The claims a page states, and malformed markers (each naming page and line)."""
    claims, problems = [], []
    for number, line in page_text.lines_outside_fences(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("", line)  # a marker quoted in `code` is an example, not a claim
        found = list(MARKER.finditer(line))
        claims += [Claim(lang, page, number, m["id"], m["shown"]) for m in found]
        if len(LOOSE.findall(line)) > len(found):
            problems.append(f"docs/{lang}/{page}:{number}: a claim marker is malformed; write "
                            "<!-- claim: some-id --> or <!-- claim: some-id shown: section -->")
    return claims, problems


def all_claims(site: site_config.SiteConfig) -> tuple[list[Claim], list[str]]:
    claims, problems = [], []
    for lang in site.languages:
        for path in site.pages(lang):
            found, bad = page_claims(path, lang, path.relative_to(site.docs_dir / lang).as_posix())
            claims += found
            problems += bad
    return claims, problems


def _claim_ids(decorator: ast.expr) -> list[str]:
    """Ids of a `@pytest.mark.claim("a", "b")` decorator, else []."""
    if not isinstance(decorator, ast.Call):
        return []
    func = decorator.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name != "claim":
        return []
    return [arg.value for arg in decorator.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]


def checks(root: Path) -> list[Check]:
    """Every claim check under tests/claims/, read from the source (nothing is imported)."""
    found = []
    for file in sorted((root / "tests" / "claims").rglob("test_*.py")):
        relative = file.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), relative)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    found += [Check(i, relative, decorator.lineno, node.name) for i in _claim_ids(decorator)]
    return found


def _shown_problem(claim: Claim, site: site_config.SiteConfig) -> str | None:
    """None when the page includes snippet section `claim.shown` in a Python block that is
    followed by the output it prints (an output the tests compare)."""
    path = site.docs_dir / claim.lang / claim.page
    lines = path.read_text(encoding="utf-8").splitlines()
    includes = [(n, t) for n, t in expand.includes("\n".join(lines)) if t.partition(":")[2] == claim.shown]
    if not includes:
        return (f"{claim.where}: claim '{claim.id}' is shown by section '{claim.shown}', "
                "but this page includes no such section")
    for number, _ in includes:
        after = lines[number:]
        close = next((i for i, line in enumerate(after) if line.strip().startswith("```")), None)
        if close is None:
            continue
        # The block's code annotations (a numbered list and its indented lines) may stand
        # between the fence and the output, as the page tests allow.
        indent = len(after[close]) - len(after[close].lstrip())
        for line in after[close + 1:]:
            if not line.strip() or ANNOTATION.match(line[indent:]) or line[indent:].startswith(" "):
                continue
            if line.strip() == EXPECTED_OUTPUT:
                return None
            break
    return (f"{claim.where}: claim '{claim.id}' is shown by section '{claim.shown}', but no block "
            "with that section is followed by its output; a block without shown output proves nothing")


def problems(site: site_config.SiteConfig | None = None) -> list[str]:
    site = site or site_config.site()
    claims, found = all_claims(site)
    found = list(found)
    known = checks(site.root)
    by_id: dict[str, list[Check]] = {}
    for check in known:
        by_id.setdefault(check.id, []).append(check)
    for ident, same in by_id.items():
        if len(same) > 1:
            found.append(f"claim '{ident}' has {len(same)} checks: "
                         + ", ".join(f"{c.file}:{c.line}" for c in same) + "; keep one")
    for claim in claims:
        if claim.shown is not None:
            problem = _shown_problem(claim, site)
            if problem:
                found.append(problem)
        elif claim.id not in by_id:
            found.append(f"{claim.where}: claim '{claim.id}' has no check; add "
                         f"@pytest.mark.claim(\"{claim.id}\") to a test in {tree.claims_file_of_page(claim.page)}, "
                         "or name the section whose block shows it (shown: <section>)")
    stated = {c.id for c in claims}
    english = [p.relative_to(site.docs_dir / site.default_language).as_posix()
               for p in site.pages(site.default_language)]
    for check in known:
        if check.id not in stated:
            found.append(f"{check.file}:{check.line}: claim check '{check.id}' is not stated on any page; "
                         "mark the sentence it checks, or remove the check")
            continue
        page = tree.page_of_claims_file(check.file, english)
        if page and not any(c.id == check.id and c.page == page for c in claims):
            found.append(f"{check.file}:{check.line}: claim '{check.id}' is checked in the claims file of "
                         f"{page}, which does not state it; move the check to the file of a page that does")
    kinds: dict[str, set] = {}
    for claim in claims:
        kinds.setdefault(claim.id, set()).add(claim.shown)
    for ident, shown in sorted(kinds.items()):
        if len(shown) > 1:
            found.append(f"claim '{ident}' is backed in different ways on different pages: {sorted(map(str, shown))}")
    found += _language_problems(claims, site)
    return found


def _language_problems(claims: list[Claim], site: site_config.SiteConfig) -> list[str]:
    """Every language's page states the same claims as the default language's page."""
    found = []
    pages = sorted({c.page for c in claims})
    for page in pages:
        counts = {lang: Counter(c.id for c in claims if c.page == page and c.lang == lang)
                  for lang in site.languages}
        reference = counts[site.default_language]
        for lang in site.languages[1:]:
            if not (site.docs_dir / lang / page).exists():
                continue  # a missing translation is reported by the parity tests
            for ident in sorted(set(reference) | set(counts[lang])):
                if reference[ident] != counts[lang][ident]:
                    here = next((c for c in claims if c.page == page and c.id == ident), None)
                    found.append(
                        f"{here.where if here else page}: claim '{ident}' appears {reference[ident]} time(s) "
                        f"in docs/{site.default_language}/{page} and {counts[lang][ident]} in docs/{lang}/{page}; "
                        "every language states the same claims")
    return found


def pinned_version(site: site_config.SiteConfig, package: str) -> str | None:
    for line in (site.root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower().replace("_", "-") == package:
            return version.strip()
    return None


def source_link_problems(site: site_config.SiteConfig, keras_source: Path | None = None) -> list[str]:
    """Links to the Keras source must name the pinned tag (v<keras version>) and, when the
    installed package is at hand, a file and lines that exist in it."""
    wanted = f"v{pinned_version(site, 'keras')}"
    found = []
    for lang in site.languages:
        for path in site.pages(lang):
            shown = f"docs/{lang}/{path.relative_to(site.docs_dir / lang).as_posix()}"
            for number, line in page_text.lines_outside_fences(path.read_text(encoding="utf-8")):
                for m in SOURCE_LINK.finditer(CODE_SPAN.sub("", line)):
                    if m["tag"] != wanted:
                        found.append(f"{shown}:{number}: links the Keras source at {m['tag']}, but the pins "
                                     f"say keras {wanted[1:]}; re-read the linked code at {wanted} and update the link")
                        continue
                    if keras_source is None:
                        continue
                    file = keras_source / Path(m["path"]).relative_to("keras")
                    if not file.is_file():
                        found.append(f"{shown}:{number}: {m['path']} is not a file of keras {wanted[1:]}")
                        continue
                    last = int(m["end"] or m["start"] or 0)
                    length = len(file.read_text(encoding="utf-8").splitlines())
                    if last > length:
                        found.append(f"{shown}:{number}: {m['path']} has {length} lines, the link points at line {last}")
    return found


def report(site: site_config.SiteConfig) -> tuple[list[str], str]:
    """Lines listing the claim ids of each page (default language), and the totals line."""
    claims, _ = all_claims(site)
    lines = []
    english = [c for c in claims if c.lang == site.default_language]
    pages = sorted({c.page for c in english})
    for page in pages:
        mine = [c for c in english if c.page == page]
        lines.append(f"{page} ({len(mine)})")
        lines += [f"  {c.line:>5}  {c.id}" + (f"  [shown: {c.shown}]" if c.shown else "") for c in mine]
    ids = {c.id: c.shown for c in english}
    shown = sum(1 for s in ids.values() if s)
    totals = (f"{len(ids)} claims on {len(pages)} pages, {shown} checked by page blocks, "
              f"{len(ids) - shown} by claim checks")
    return lines, totals


def main(argv: list[str] | None = None) -> int:
    site = site_config.site()
    lines, totals = report(site)
    keras_source = None
    try:
        import importlib.util
        spec = importlib.util.find_spec("keras")
        keras_source = Path(spec.origin).parent if spec and spec.origin else None
    except ImportError:
        pass
    found = problems(site) + source_link_problems(site, keras_source)
    print("\n".join(lines))
    for problem in found:
        print(f"PROBLEM {problem}")
    print(totals)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
