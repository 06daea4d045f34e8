"""The compatibility table, made at build time from the last compatibility run
(data/compatibility.yml, written by `python3 dev.py compat`: tools/compat.py).

A page containing the line <!-- compatibility --> gets, in its own language, one row per
page with code: since which tested Keras release it works, and a mark per release and per
backend; then one row per section with code and its result on each backend, saying why
for a section declared not portable in data/not-portable.yml (from every
block's result in the backend runs: tools/backend_matrix.py, which also decides the labels of
hooks/backend_labels.py); then, for each release, the exact differences found (the block or
claim check, and what it printed instead), and for each backend the blocks that raise there.
Nothing is typed by hand.
"""

from __future__ import annotations

import html
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import backend_matrix, compat, page_text, site_config  # noqa: E402

MARKER = "<!-- compatibility -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    here = getattr(page.file, "norm_src_uri", page.file.src_uri)
    lang = config.theme["language"]
    site = site_config.load(Path(config.config_file_path).parent)
    data = compat.load_current(site.root / compat.DATA.relative_to(compat.ROOT), site)
    return markdown.replace(MARKER, render(site, data, lang, here, config.extra["compatibility"]))


def _link(site: site_config.SiteConfig, lang: str, page: str, here: str, anchor: str = "") -> str:
    title = page_text.page_title(site.docs_dir / lang / page)
    return f"[{title}]({posixpath.relpath(page, posixpath.dirname(here) or '.')}{anchor})"


def _mark(record: dict, page: str, texts: dict) -> str:
    blocks = (record.get("blocks") or {}).get(page)
    if blocks:  # a backend run with every block's result
        results = {b["result"] for b in blocks}
        return (texts["fails"] if backend_matrix.RAISES in results else
                texts["other_output"] if backend_matrix.OTHER in results else "✓")
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


def _section_link(site, lang: str, page: str, here: str, section: backend_matrix.Section, titles: dict) -> str:
    """[Page › Section](link) in the reader's language (headings matched by their anchor)."""
    link = _link(site, lang, page, here, f"#{section.anchor}" if section.anchor else "")
    title = titles.get(section.anchor, section.title) if section.anchor else ""
    return link.replace("](", f" › {title}](", 1) if title else link


def _titles(site, lang: str, page: str) -> dict:
    path = site.docs_dir / lang / page
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return {s.anchor: s.title for s in backend_matrix.sections(text)}


def _lines(site, lang: str, page: str) -> dict[int, int]:
    """English block line -> the same block's line on the page in `lang` (translations have
    the same blocks in the same order: tests/test_parity.py), so a reader finds it there."""
    def blocks(language):
        path = site.docs_dir / language / page
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return sorted(line for s in backend_matrix.sections(text) for line in s.blocks)
    english, own = blocks(site.default_language), blocks(lang)
    return dict(zip(english, own)) if len(english) == len(own) else {line: line for line in english}


def _cell(verdict, texts: dict, lines: dict[int, int]) -> str:
    if verdict is None or verdict.missing:
        return texts["not_tested"]
    if verdict.errors:
        return texts["raises"].format(lines=", ".join(str(lines.get(line, line)) for line, _ in verdict.errors))
    if not verdict.ran:
        return texts["not_tested"]
    return texts["other_output"] if verdict.other_output else "✓"


def _sections(site, data: dict, lang: str, here: str, pages: list[str], texts: dict,
              declared: backend_matrix.Declared) -> list[str]:
    """Every section with code and its result per backend: one collapsed block per page,
    whose title says how many of its sections run on each backend. Collapsed, because one
    table of every section (240 rows) cost a phone more than a second of style and layout
    (Lighthouse, issue 12); a closed block is not laid out until the reader opens it."""
    backends = [b for b in data.get("backends", []) if b.get("blocks")]
    if not backends:
        return []
    names = [texts["backends"][b["backend"]] for b in backends]
    header = [f"    | {texts['section']} | TensorFlow | " + " | ".join(names) + " |",
              "    |" + "---|" * (2 + len(names))]
    groups, counts, total, declared_count = [], {b["backend"]: 0 for b in backends}, 0, 0
    for page in pages:
        english = (site.docs_dir / site.default_language / page).read_text(encoding="utf-8")
        titles, lines = _titles(site, lang, page), _lines(site, lang, page)
        rows, page_counts = [], {b["backend"]: 0 for b in backends}
        for section, verdicts in backend_matrix.page_verdicts(data, page, english):
            for backend, verdict in verdicts.items():
                page_counts[backend] += verdict.runs
            cells = [_cell(verdicts.get(b["backend"]), texts, lines) for b in backends]
            note = backend_matrix.note(declared, page, section.anchor, texts)
            declared_count += bool(note)
            rows.append(f"    | {_section_link(site, lang, page, here, section, titles)}{note} | ✓ | "
                        + " | ".join(cells) + " |")
        if not rows:
            continue
        total += len(rows)
        for backend, count in page_counts.items():
            counts[backend] += count
        title = texts["sections_group"].format(
            page=page_text.page_title(site.docs_dir / lang / page).replace('"', "'"), sections=len(rows),
            counts=", ".join(f"{name} {page_counts[b['backend']]}" for name, b in zip(names, backends)))
        groups += [f'??? note "{title}"', "", *header, *rows, ""]
    return ["", f"## {texts['sections_title']} {{ #sections }}", "",
            texts["sections_summary"].format(sections=total, counts=", ".join(
                f"{name} {counts[b['backend']]}" for name, b in zip(names, backends)), declared=declared_count), "",
            *groups, texts["sections_legend"]]


def _backend_errors(site, lang: str, here: str, record: dict, texts: dict) -> list[str]:
    """Each block that raises on a backend, with its section and the error's last line."""
    out = []
    for page, blocks in record["blocks"].items():
        english = site.docs_dir / site.default_language / page
        if not english.exists():
            continue
        titles, lines = _titles(site, lang, page), _lines(site, lang, page)
        by_anchor = {s.anchor: s for s in backend_matrix.sections(english.read_text(encoding="utf-8"))}
        for block in blocks:
            if block["result"] == backend_matrix.RAISES and block.get("section") in by_anchor:
                where = _section_link(site, lang, page, here, by_anchor[block["section"]], titles)
                error = block.get("error", "").replace("`", "'")  # it goes in a code span
                out.append(f"- {where}, {texts['block'].format(line=lines.get(block['line'], block['line']))}: `{error}`")
    if not out:
        return [texts["no_differences"].format(tests=record["tests"])]
    return _collapsed(texts["raising_blocks"].format(count=len(out)), out)


def _collapsed(title: str, lines: list[str]) -> list[str]:
    """A closed block (pymdownx.details) holding `lines`: not laid out until the reader opens
    it, which keeps this long page quick to load on a phone (Lighthouse, issue 12)."""
    return [f'??? note "{title}"', "", *("    " + line if line else "" for line in lines), ""]


def _differences(site, lang: str, here: str, record: dict, texts: dict) -> list[str]:
    if record.get("blocks"):
        return _backend_errors(site, lang, here, record, texts)
    if not record["failed"]:
        return [texts["no_differences"].format(tests=record["tests"])]
    not_run = sum(f.get("later_blocks_not_run", 0) for f in record["failed"])
    out = []
    for failure in record["failed"]:
        where = _link(site, lang, failure["page"], here) if failure["page"] else "—"
        kind = (texts["block"].format(line=failure["test"].removeprefix("line "))
                if failure["kind"] == "block" else texts["claim_check"].format(name=failure["test"]))
        after = failure.get("later_blocks_not_run", 0)
        after = " " + texts["later_not_run"].format(count=after) if after else ""
        out += [f"- {where}, {kind}{after}", "",
                "    ```text", *("    " + line for line in failure["message"].splitlines()), "    ```", ""]
    summary = texts["differences"].format(tests=record["tests"], failed=len(record["failed"]), not_run=not_run)
    return [summary, "", *_collapsed(texts["each_difference"], out)]


def render(site: site_config.SiteConfig, data: dict, lang: str, here: str, texts: dict,
           declared: backend_matrix.Declared | None = None) -> str:
    """The page's tables; `declared`: the sections declared not portable (default: the
    project's data/not-portable.yml)."""
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
            # With every block's result, "runs to the end" is no block raising (other numbers allowed).
            counts=", ".join(f"{_heading(b, texts)[0]} "
                             f"{sum(_mark(b, p, texts) in ('✓', texts['other_output'] if b.get('blocks') else '✓') for p in pages)}"
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
    out += _sections(site, data, lang, here, pages, texts,
                     compat.not_portable(site) if declared is None else declared)
    for record in releases + backends:
        _, title, anchor = _heading(record, texts)
        out += ["", f"## {title} {{ #{anchor} }}", "", *_differences(site, lang, here, record, texts)]
    return "\n".join(out) + "\n"
