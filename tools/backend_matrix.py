"""Which backends each section of a page runs on, from the backend runs of `python3 dev.py
compat --backend jax torch` (tools/compat.py), which record every block's result in
data/compatibility.yml:

    backends:
    - backend: jax
      blocks:
        building-blocks/losses.md:
        - {line: 40, section: a-loss-function, result: same}
        - {line: 88, section: a-loss-function, result: other}
        - {line: 99, section: saving, result: raises, error: "ValueError: ..."}

`line` is the English page's line of the block's fence, `section` the anchor of the `##`
heading above it ("" above the first one). A section runs on a backend when none of its
blocks raises there; it prints other numbers when one prints something else (a seed draws
differently per backend). TensorFlow is the reference: the pages' tests run on it, and CI
passes only when every block prints what the page shows. Used by hooks/backend_labels.py (a
label under each heading) and hooks/compatibility.py (the table of every section).

Every section runs on every backend, or says why not: data/not-portable.yml names the
sections whose subject is an API only TensorFlow has (`tf.GradientTape`, `tf.distribute`,
`TFSMLayer`...), with that API, and the sections that fail on one backend for a reason of
that backend (a Keras bug, an error of its own), with the reason; the label and the table
show them (note()). unportable() lists the sections that fail somewhere, or use such an
API, without being declared; check_declared() the declarations that name no section, or a
section that runs everywhere now (tests/test_compatibility.py runs both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify

from tools import yamlio

HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.+?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
FENCE = re.compile(r"^\s*(?P<mark>`{3,}|~{3,})(?P<info>.*)$")
EXPLICIT_ID = re.compile(r"#([\w-]+)")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

SAME, OTHER, RAISES, NOT_RUN = "same", "other", "raises", "not run"


class DataError(ValueError):
    """Backend data that names a page or block that does not exist; says file and line."""


@dataclass
class Section:
    anchor: str          # the heading's id; "" for the blocks above the first `##`
    title: str
    line: int            # page line of the heading (0: top of the page)
    blocks: list[int] = field(default_factory=list)  # page lines of its ```python fences


def _plain(title: str) -> str:
    """Heading text as toc sees it once rendered: no code marks, emphasis or link targets."""
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    return re.sub(r"[`*]", "", title)  # underscores stay: they are mostly inside code


def sections(text: str) -> list[Section]:
    """The `##` sections of a page's Markdown and the Python blocks in each, found as the
    tests find them: a fence whose info string is exactly `python`, not inside another fence.
    Anchors are the explicit `{ #id }` or toc's slug (with its _1 suffix for repeats)."""
    body = FRONT_MATTER.match(text)
    offset = body.group(0).count("\n") if body else 0
    lines = text.splitlines()[offset:]
    found = [Section("", "", 0)]
    used: set[str] = set()
    open_fence = None
    for number, line in enumerate(lines, start=offset + 1):
        fence = FENCE.match(line)
        if open_fence:
            if fence and fence.group("mark")[0] == open_fence[0] and len(fence.group("mark")) >= len(open_fence) \
                    and not fence.group("info").strip():
                open_fence = None
            continue
        if fence:
            open_fence = fence.group("mark")
            if fence.group("info").strip() == "python" and open_fence[0] == "`":
                found[-1].blocks.append(number)
            continue
        heading = HEADING.match(line)
        if heading:
            explicit = EXPLICIT_ID.search(heading.group("attrs") or "")
            anchor = explicit.group(1) if explicit else slugify(_plain(heading.group("title")), "-")
            if not explicit:
                base, count = anchor, 0
                while anchor in used:
                    count += 1
                    anchor = f"{base}_{count}"
            used.add(anchor)
            if len(heading.group("level")) == 2:
                # The title as written (code marks kept), without link targets.
                title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group("title"))
                found.append(Section(anchor, title, number))
    return [s for s in found if s.blocks]


def _yaml_line(path: Path, *keys) -> int:
    """The line (1-based) of a node of the data file, for error messages."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    for key in keys:
        if isinstance(key, int):
            node = node.value[key]
        else:
            node = next(v for k, v in node.value if k.value == key)
    return node.start_mark.line + 1


def check(data: dict, english: dict[str, str], path: Path, shown: Path | str | None = None) -> None:
    """Raise DataError, naming the data file and its line, when a backend's block results
    name a page that does not exist or a line that is not a Python block of its section.
    `english`: page -> its English Markdown; `shown`: the file's name in messages."""
    shown = shown or path
    for index, record in enumerate(data.get("backends", [])):
        for page, blocks in (record.get("blocks") or {}).items():
            if page not in english:
                raise DataError(f"{shown}:{_yaml_line(path, 'backends', index, 'blocks', page)}: backend "
                                f"{record['backend']} names page docs/en/{page}, which does not exist")
            where = {line: s.anchor for s in sections(english[page]) for line in s.blocks}
            for number, block in enumerate(blocks):
                if block["line"] not in where or block.get("section", where[block["line"]]) != where[block["line"]]:
                    raise DataError(
                        f"{shown}:{_yaml_line(path, 'backends', index, 'blocks', page, number)}: backend "
                        f"{record['backend']} names docs/en/{page}:{block['line']}, which is not a Python "
                        f"block of section '{block.get('section')}' there (its blocks are at lines "
                        f"{', '.join(map(str, sorted(where)))}); run python3 dev.py compat --backend "
                        f"{record['backend']}")


def relocated(blocks: dict[str, list[dict]], english: dict[str, str]) -> dict[str, list[dict]]:
    """The recorded block results with the lines their blocks have on the pages now. Blocks
    are matched by section and order, so an edit of the prose that moves a block moves its
    result with it; a section that gained or lost blocks (or a page that is gone) keeps the
    recorded lines, which check() then reports."""
    out = {}
    for page, recorded in blocks.items():
        current = {s.anchor: s.blocks for s in sections(english[page])} if page in english else {}
        by_section: dict[str, list[dict]] = {}
        for block in sorted(recorded, key=lambda b: b["line"]):
            by_section.setdefault(block.get("section", ""), []).append(block)
        out[page] = sorted(
            (dict(block, line=line) if len(current.get(anchor, [])) == len(found) else block
             for anchor, found in by_section.items()
             for block, line in zip(found, current.get(anchor) or [b["line"] for b in found])),
            key=lambda b: b["line"])
    return out


@dataclass
class Verdict:
    runs: bool           # no block of the section raises there
    other_output: bool   # ... but one prints something else than the page shows
    missing: bool        # no result recorded for some block (the page changed since the run)
    ran: bool            # some block ran (a section of not-runnable blocks gets no label)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, error) of raising blocks


def verdict(record: dict, page: str, section: Section) -> Verdict | None:
    """How one section of an English page did on one backend run; None when that run has no
    result for the page at all."""
    blocks = (record.get("blocks") or {}).get(page)
    if not blocks:
        return None
    results = {b["line"]: b for b in blocks if b.get("section", section.anchor) == section.anchor}
    found = [results.get(line) for line in section.blocks]
    # A block written for one backend (`for`: a tab of a recipe that differs per backend)
    # runs in that backend's own kernel in every run: it speaks for its backend only. A
    # section with such blocks runs on a backend only if one of them is written for it.
    backend = record.get("backend")
    written_for = {b["for"] for b in found if b and b.get("for")}
    found = [b for b in found if b is None or b.get("for") in (None, backend)]
    ran = [b for b in found if b and b["result"] != NOT_RUN]
    errors = [(b["line"], b.get("error", "")) for b in ran if b["result"] == RAISES]
    missing = any(b is None for b in found)
    runs = not errors and not missing and bool(ran) and (not written_for or backend in written_for)
    return Verdict(runs=runs, other_output=any(b["result"] == OTHER for b in ran),
                   missing=missing, ran=bool(ran) or bool(written_for), errors=errors)


NOT_PORTABLE = "not-portable.yml"
# The TensorFlow-only subjects the site teaches (issue 16): a section whose code uses one is
# labelled with it, even where its blocks also run next to another backend (the backends'
# environments have TensorFlow installed, for tf.data among others).
TENSORFLOW_TOPIC = re.compile(r"\btf\.(?:GradientTape|function|distribute|data|custom_gradient|py_function|"
                              r"numpy_function|Variable|autograph|config\.run_functions_eagerly)\b|\bTFSMLayer\b")
BACKEND_MARK = re.compile(r"""^\s*<!--\s*pytest\.mark\.backend\(\s*["'](?P<name>\w+)["']\s*\)\s*-->\s*$""")

# A declaration: the TensorFlow-only API a section teaches (str), or {backend: reason} for
# the backends it does not run on.
Declared = dict[tuple[str, str], "str | dict[str, str]"]


def load_declared(path: Path) -> Declared:
    """(page, anchor) -> declaration, from a file of `page: {anchor: declaration}`, or
    `page: api` for every section of the page (data/not-portable.yml); anchor "*" stands
    for the whole page. {} without a file."""
    raw = yamlio.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    found: Declared = {}
    for page, anchors in (raw or {}).items():
        items = anchors.items() if isinstance(anchors, dict) else [("*", anchors)]
        found.update({(page, anchor): value if isinstance(value, dict) else str(value) for anchor, value in items})
    return found


def _declaration(declared: Declared, page: str, anchor: str):
    return declared.get((page, anchor)) or (declared.get((page, "*")) if anchor else None)


def declared_api(declared: Declared, page: str, anchor: str) -> str | None:
    """The TensorFlow-only API a section teaches, or None."""
    value = _declaration(declared, page, anchor)
    return value if isinstance(value, str) else None


def declared_limits(declared: Declared, page: str, anchor: str) -> dict[str, str]:
    """{backend: reason} for the backends a section is declared not to run on."""
    value = _declaration(declared, page, anchor)
    return value if isinstance(value, dict) else {}


def note(declared: Declared, page: str, anchor: str, vocabulary: dict) -> str:
    """What a section's label and its row on the compatibility page add after the backends
    ("" for a portable section). `vocabulary`: extra.compatibility of the language."""
    api = declared_api(declared, page, anchor)
    if api:
        names = ", ".join(f"`{name.strip()}`" for name in api.split(","))
        return " — " + vocabulary["tensorflow_only"].format(api=names)
    return "".join(" — " + vocabulary["not_on"].format(backend=vocabulary["backends"][backend], reason=reason)
                   for backend, reason in declared_limits(declared, page, anchor).items())


def section_code(text: str, expanded: str, source_lines: list[int]) -> dict[str, str]:
    """Anchor -> the code a reader sees in the section's Python blocks (includes expanded:
    tools/expand.py), leaving out the tabs written for one backend."""
    lines, page_lines, found = expanded.split("\n"), text.splitlines(), {}
    first = {}
    for index, line in enumerate(source_lines):
        first.setdefault(line, index)
    for section in sections(text):
        code = []
        for fence in section.blocks:
            if fence >= 2 and BACKEND_MARK.match(page_lines[fence - 2]):
                continue
            index = first[fence] + 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                code.append(lines[index])
                index += 1
        found[section.anchor] = "\n".join(code)
    return found


def check_declared(declared: Declared, data: dict, english: dict[str, str], code: dict[str, dict[str, str]],
                   path: Path, shown: Path | str | None = None) -> None:
    """Raise DataError, naming the file and line, for a declaration whose page or section
    (with code) does not exist; for a TensorFlow-only API on a section that neither uses one
    (TENSORFLOW_TOPIC) nor fails on any backend; for a backend reason on a section that runs
    on that backend: a section made portable must lose its mark. `code`: page -> section_code()."""
    shown = shown or path
    for (page, anchor), value in declared.items():
        keys = (page,) if anchor == "*" else (page, anchor)
        where = f"{shown}:{_yaml_line(path, *keys)}"
        if page not in english:
            raise DataError(f"{where}: names page docs/en/{page}, which does not exist")
        found = {s.anchor: s for s in sections(english[page]) if s.anchor}
        if anchor != "*" and anchor not in found:
            raise DataError(f"{where}: names section #{anchor} of docs/en/{page}, which has no such section "
                            f"with code (its sections: {', '.join(found)})")
        for section in ([found[anchor]] if anchor != "*" else found.values()):
            if anchor == "*" and (page, section.anchor) in declared:
                continue  # declared on its own
            verdicts = {r["backend"]: verdict(r, page, section) for r in data.get("backends", [])}
            at = f"docs/en/{page}:{section.line} (#{section.anchor})"
            if isinstance(value, dict):
                for backend in value:
                    if backend not in verdicts:
                        raise DataError(f"{where}: {at}: no backend {backend!r} in the backend runs "
                                        f"({', '.join(verdicts)})")
                    if verdicts[backend] is not None and verdicts[backend].runs:
                        raise DataError(f"{where}: {at} runs on {backend} now; remove it from {shown}")
            elif (all(v is not None and v.runs for v in verdicts.values())
                  and not TENSORFLOW_TOPIC.search(code[page].get(section.anchor, ""))):
                raise DataError(f"{where}: {at} uses no TensorFlow-only API and runs on every backend now; "
                                f"remove it from {shown}")


def unportable(data: dict, english: dict[str, str], code: dict[str, dict[str, str]], declared: Declared) -> list[str]:
    """One message (page, line, reason) per section that does not run on some backend, or
    uses a TensorFlow-only API (TENSORFLOW_TOPIC), without a declaration that says so: such
    a section must be made portable, or declared, so that its label tells the reader."""
    found = []
    for page, text in sorted(english.items()):
        for section, verdicts in page_verdicts(data, page, text):
            if not section.anchor or declared_api(declared, page, section.anchor):
                continue
            where = f"docs/en/{page}:{section.line} (#{section.anchor})"
            topic = TENSORFLOW_TOPIC.search(code[page].get(section.anchor, ""))
            if topic:
                found.append(f"{where} uses {topic.group(0)}, a TensorFlow-only API, without saying so")
            limits = declared_limits(declared, page, section.anchor)
            for backend, v in verdicts.items():
                if v.ran and not v.runs and not v.missing and backend not in limits:
                    why = v.errors[0][1] if v.errors else "no block written for it"
                    found.append(f"{where} does not run on {backend}: {why}")
    return found


def page_verdicts(data: dict, page: str, text: str) -> list[tuple[Section, dict[str, Verdict]]]:
    """Each section with blocks of an English page, with its verdict per backend that has
    results for the page (the section's TensorFlow result is the test suite's)."""
    return [(section, {r["backend"]: v for r in data.get("backends", [])
                       if (v := verdict(r, page, section)) is not None})
            for section in sections(text)]
