"""Which snippet modules and sections the pages include, and which they leave out."""

from __future__ import annotations

import re
from pathlib import Path

from tools import site_config as config
from tools import expand

SECTION = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[(?P<kind>start|end):(?P<name>[^\]]+)\]")


def sections(module: Path, shown: str) -> tuple[list[str], list[str]]:
    """(names, problems) of a module's `# --8<-- [start:x]` / `[end:x]` sections."""
    names, problems, open_ = [], [], {}
    for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
        m = SECTION.match(line)
        if not m:
            continue
        name = m.group("name")
        if m.group("kind") == "start":
            if name in open_ or name in names:
                problems.append(f"{shown}:{number}: section '{name}' starts twice")
            open_[name] = number
        elif name not in open_:
            problems.append(f"{shown}:{number}: section '{name}' ends but never starts")
        else:
            del open_[name]
            names.append(name)
    problems += [f"{shown}:{line}: section '{name}' never ends" for name, line in open_.items()]
    return names, problems


def modules(site: config.SiteConfig) -> list[Path]:
    return sorted((site.root / "snippets").rglob("*.py"))


def unused(site: config.SiteConfig | None = None) -> list[str]:
    """Problems: malformed sections, modules no page includes, sections no page includes,
    and includes that name a line range instead of a section."""
    site = site or config.site()
    included: dict[str, set[str | None]] = {}
    problems: list[str] = []
    for lang in site.languages:
        for page in site.pages(lang):
            for number, target in expand.includes(page.read_text(encoding="utf-8")):
                path, _, section = target.partition(":")
                if section and not re.fullmatch(r"[A-Za-z_][\w-]*", section):
                    problems.append(
                        f"{expand.display(page, site)}:{number}: include '{target}' selects "
                        "lines by number; name a section instead, so edits to the module cannot "
                        "shift what the page shows"
                    )
                included.setdefault(path, set()).add(section or None)
    for module in modules(site):
        relative = module.relative_to(site.root).as_posix()
        names, malformed = sections(module, relative)
        problems += malformed
        if relative not in included:
            problems.append(f"{relative}: no page includes this module")
            continue
        if None in included[relative]:
            continue  # the whole module is shown somewhere
        for name in names:
            if name not in included[relative]:
                problems.append(f"{relative}: section '{name}' is not included by any page")
    return problems
