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


def _mark(record: dict, page: str, texts: dict) -> str:
    failed = [f for f in record["failed"] if f["page"] == page]
    if failed:
        # A block that raised is a different kind of news from one that printed other numbers.
        return texts["fails"] if any(f.get("raised", True) for f in failed) else texts["other_output"]
    return "✓" if page in record["pages_tested"] else texts["not_tested"]


def _heading(record: dict, texts: dict) -> tuple[str, str, str]:
    """(column label, section title, anchor) of one run."""
    if "keras" in record:
        name = record["keras"]
        return name, f"Keras {name}", "keras-" + name.replace(".", "-")
    name = texts["backends"][record["backend"]]
    return name, name, "backend-" + record["backend"]


def _differences(site, lang: str, here: str, record: dict, texts: dict) -> list[str]:
    if not record["failed"]:
        return [texts["no_differences"].format(tests=record["tests"])]
    not_run = sum(f.get("later_blocks_not_run", 0) for f in record["failed"])
    out = [texts["differences"].format(tests=record["tests"], failed=len(record["failed"]), not_run=not_run), ""]
    for failure in record["failed"]:
        where = _link(site, lang, failure["page"], here) if failure["page"] else "—"
        kind = (texts["block"].format(line=failure["test"].removeprefix("line "))
                if failure["kind"] == "block" else texts["claim_check"].format(name=failure["test"]))
        after = failure.get("later_blocks_not_run", 0)
        after = " " + texts["later_not_run"].format(count=after) if after else ""
        out += [f"- {where}, {kind}{after}", "",
                "    ```text", *("    " + line for line in failure["message"].splitlines()), "    ```", ""]
    return out


def render(site: site_config.SiteConfig, data: dict, lang: str, here: str, texts: dict) -> str:
    if not data["releases"]:
        return texts["none"] + "\n"
    releases, backends = data["releases"], data.get("backends", [])
    pages = [p for p in compat.english_pages(site)
             if "```python" in (site.docs_dir / site.default_language / p).read_text(encoding="utf-8")
             or (site.root / compat.tree.claims_file_of_page(p)).exists()]
    works = sum(all(_mark(r, p, texts) == "✓" for r in releases) for p in pages)
    out = [texts["summary"].format(pages=len(pages), works=works, releases=", ".join(r["keras"] for r in releases),
                                   tensorflow=data["tensorflow"], date=data["date"])]
    if backends:
        out.append(texts["backends_summary"].format(
            keras=data["pinned_keras"], backends=", ".join(_heading(b, texts)[0] for b in backends),
            counts=", ".join(f"{_heading(b, texts)[0]} {sum(_mark(b, p, texts) == '✓' for p in pages)}"
                             for b in backends)))
    columns = [texts["page"], texts["since"], *(r["keras"] for r in releases), data["pinned_keras"],
               *(_heading(b, texts)[0] for b in backends)]
    out += ["", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for page in pages:
        if all(page in r["pages_tested"] for r in releases):
            first = compat.since(data, page) or texts["mixed"]
        else:
            first = texts["not_tested"]
        marks = [*(_mark(r, page, texts) for r in releases), "✓", *(_mark(b, page, texts) for b in backends)]
        out.append(f"| {_link(site, lang, page, here)} | {first} | " + " | ".join(marks) + " |")
    out += ["", texts["legend"]]
    for record in releases + backends:
        _, title, anchor = _heading(record, texts)
        out += ["", f"## {title} {{ #{anchor} }}", "", *_differences(site, lang, here, record, texts)]
    return "\n".join(out) + "\n"
