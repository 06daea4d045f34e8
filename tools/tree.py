"""The one rule that ties a page to its code and its checks:

    docs/<lang>/<section>/<page>.md          a page; <section> is its navigation section
    snippets/<section_>/<page_>.py           its examples (dashes become underscores)
    snippets/<section_>/<page_>_<part>.py    more modules of the same page (a figure, a
                                             class two modules share)
    tests/claims/<section_>/test_<page_>.py  its claim checks

where <section> is the navigation section's title in lower case with dashes for spaces
("Layers and models" -> layers-and-models). The home page (index.md) sits at the top of
each language folder. Code shared by pages of several sections would go in snippets/shared/,
the one exception; there is none today.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from tools import site_config

SHARED = "shared"


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def python_name(part: str) -> str:
    return part.replace("-", "_")


def nav_sections(site: site_config.SiteConfig) -> dict[str, list[str]]:
    """{section title: [page paths]} from mkdocs.yml's nav; top-level pages under ''."""
    sections: dict[str, list[str]] = {}
    for entry in site.raw.get("nav", []):
        for title, value in entry.items():
            if isinstance(value, str):
                sections.setdefault("", []).append(value)
            else:
                sections[title] = [page for item in value for page in item.values()]
    return sections


def module_stem(page: str) -> str:
    """"building-blocks/one-layer-four-hooks.md" -> "building_blocks/one_layer_four_hooks"."""
    path = PurePosixPath(page).with_suffix("")
    return "/".join(python_name(part) for part in path.parts)


def module_of_page(page: str) -> str:
    return f"snippets/{module_stem(page)}.py"


def claims_file_of_page(page: str) -> str:
    stem = PurePosixPath(module_stem(page))
    return f"tests/claims/{stem.parent}/test_{stem.name}.py"


def page_of_module(module: str, pages: list[str]) -> str | None:
    """The page a snippet module belongs to: its own name, or the longest page name it
    starts with followed by '_' (losses_figure.py belongs to losses.md)."""
    path = PurePosixPath(module)
    stem = f"{path.parent.relative_to('snippets')}/{path.stem}"
    best = None
    for page in pages:
        own = module_stem(page)
        if stem == own:
            return page
        if stem.startswith(own + "_") and (best is None or len(own) > len(module_stem(best))):
            best = page
    return best


def page_of_claims_file(path: str, pages: list[str]) -> str | None:
    return next((page for page in pages if claims_file_of_page(page) == path), None)


def problems(site: site_config.SiteConfig | None = None) -> list[str]:
    """Everything that breaks the rule, each naming the file (and line) to fix."""
    from tools import expand  # imported here: expand pulls in Markdown, not needed by callers above

    site = site or site_config.site()
    found: list[str] = []
    english = [p.relative_to(site.docs_dir / site.default_language).as_posix()
               for p in site.pages(site.default_language)]
    for title, pages in nav_sections(site).items():
        for page in pages:
            folder = PurePosixPath(page).parent.as_posix()
            wanted = slug(title) if title else "."
            if folder != wanted:
                where = f"section '{title}'" if title else "the top level"
                found.append(f"mkdocs.yml: nav: {page} is in {where}, so its file belongs in "
                             f"docs/<lang>/{'' if wanted == '.' else wanted + '/'}{PurePosixPath(page).name}")
    for lang in site.languages:
        for path in site.pages(lang):
            page = path.relative_to(site.docs_dir / lang).as_posix()
            shown = f"docs/{lang}/{page}"
            for number, target in expand.includes(path.read_text(encoding="utf-8")):
                module = target.partition(":")[0]
                if module.startswith(f"snippets/{SHARED}/"):
                    continue
                if page_of_module(module, [page]) != page:
                    found.append(f"{shown}:{number}: includes {module}, but this page's code lives in "
                                 f"{module_of_page(page)} (or {module_of_page(page)[:-3]}_<part>.py)")
    for module in sorted((site.root / "snippets").rglob("*.py")):
        relative = module.relative_to(site.root).as_posix()
        if relative.startswith(f"snippets/{SHARED}/"):
            continue
        if page_of_module(relative, english) is None:
            found.append(f"{relative}: no page docs/{site.default_language}/<section>/<page>.md matches "
                         "this module's path; name it after the page that shows it")
    claims = site.root / "tests" / "claims"
    for check in sorted(claims.rglob("test_*.py")) if claims.exists() else []:
        relative = check.relative_to(site.root).as_posix()
        if page_of_claims_file(relative, english) is None:
            found.append(f"{relative}: no page docs/{site.default_language}/<section>/<page>.md matches "
                         "this claims file; name it after the page whose statements it checks")
    return found
