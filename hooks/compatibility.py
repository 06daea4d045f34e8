"""The compatibility table, made at build time from the last compatibility run
(data/compatibility.yml, written by `python3 dev.py compat`: tools/compat.py).

A page containing the line <!-- compatibility --> gets, in its own language, one row per
page with code: since which tested Keras release it works, and a mark per release; then,
for each release, the exact differences found (the block or claim check, and what it
printed instead). Nothing is typed by hand.
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import compat, page_text, site_config  # noqa: E402

MARKER = "<!-- compatibility -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    here = getattr(page.file, "norm_src_uri", page.file.src_uri)
    lang = config.theme["language"]
    site = site_config.load(Path(config.config_file_path).parent)
    data = compat.load(site.root / compat.DATA.relative_to(compat.ROOT))
    return markdown.replace(MARKER, render(site, data, lang, here, config.extra["compatibility"]))


def _link(site: site_config.SiteConfig, lang: str, page: str, here: str, anchor: str = "") -> str:
    title = page_text.page_title(site.docs_dir / lang / page)
    return f"[{title}]({posixpath.relpath(page, posixpath.dirname(here) or '.')}{anchor})"


def render(site: site_config.SiteConfig, data: dict, lang: str, here: str, texts: dict) -> str:
    if not data["releases"]:
        return texts["none"] + "\n"
    releases = [r["keras"] for r in data["releases"]]
    pinned = data["pinned_keras"]
    pages = [p for p in compat.english_pages(site)
             if "```python" in (site.docs_dir / site.default_language / p).read_text(encoding="utf-8")
             or (site.root / compat.tree.claims_file_of_page(p)).exists()]
    broken = {r["keras"]: {f["page"] for f in r["failed"]} for r in data["releases"]}
    tested = {r["keras"]: set(r["pages_tested"]) for r in data["releases"]}
    works = sum(all(p in tested[r] and p not in broken[r] for r in releases) for p in pages)
    out = [texts["summary"].format(pages=len(pages), works=works, releases=", ".join(releases),
                                   tensorflow=data["tensorflow"], date=data["date"]), "",
           "| " + " | ".join([texts["page"], texts["since"], *releases, pinned]) + " |",
           "|---|---|" + "---|" * (len(releases) + 1)]
    for page in pages:
        first = compat.since(data, page)
        marks = [texts["fails"] if page in broken[r] else "✓" if page in tested[r] else texts["not_tested"]
                 for r in releases]
        if not all(page in tested[r] for r in releases):
            first = texts["not_tested"]
        out.append(f"| {_link(site, lang, page, here)} | {first or texts['mixed']} | "
                   + " | ".join(marks) + " | ✓ |")
    out += ["", texts["legend"]]
    for release in data["releases"]:
        out += ["", f"## Keras {release['keras']} {{ #keras-{release['keras'].replace('.', '-')} }}", ""]
        if not release["failed"]:
            out.append(texts["no_differences"].format(tests=release["tests"]))
            continue
        not_run = sum(f.get("later_blocks_not_run", 0) for f in release["failed"])
        out += [texts["differences"].format(tests=release["tests"], failed=len(release["failed"]),
                                            not_run=not_run), ""]
        for failure in release["failed"]:
            where = _link(site, lang, failure["page"], here) if failure["page"] else "—"
            kind = (texts["block"].format(line=failure["test"].removeprefix("line "))
                    if failure["kind"] == "block" else texts["claim_check"].format(name=failure["test"]))
            after = failure.get("later_blocks_not_run", 0)
            after = " " + texts["later_not_run"].format(count=after) if after else ""
            out += [f"- {where}, {kind}{after}", "",
                    "    ```text", *("    " + line for line in failure["message"].splitlines()), "    ```", ""]
    return "\n".join(out) + "\n"
