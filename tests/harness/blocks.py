"""The code blocks of an expanded page, as pytest-codeblocks parses them, plus the guard
that no Python-looking fence escapes execution."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pytest_codeblocks import extract_from_buffer

from tools.expand import ExpandedPage

# Info strings that announce Python; only a bare "python" is collected by pytest-codeblocks.
PYTHONISH = re.compile(r"^\{?\s*\.?(python3?|py3?|pycon|ipython3?|pyodide|pyi)\b", re.I)
FENCE = re.compile(r"^(?P<indent>\s*)(?P<mark>`{3,}|~{3,})(?P<info>.*)$")
SKIP = re.compile(r"""^pytest\.mark\.skip\(\s*reason\s*=\s*(["'])(?P<reason>.*?)\1\s*\)$""")
NOT_RUNNABLE = "# Not runnable:"
# <!--pytest.mark.backend("jax")-->: a block written for one backend (a tab of a recipe that
# differs per backend). It runs in a fresh kernel of that backend, with the page's other
# blocks for the same backend: it must be complete on its own (tests/harness/execute.py).
BACKEND = re.compile(r"""^pytest\.mark\.backend\(\s*(["'])(?P<name>[^"']*)\1\s*\)$""")
BACKENDS = ("tensorflow", "jax", "torch")


@dataclass
class Block:
    page: str          # repository-relative path of the page
    line: int          # page line of the opening fence
    code: str
    expected_output: str | None
    skip_reason: str | None
    backend: str | None = None  # the one backend it is written for, or None: any

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


class PageError(Exception):
    """A page that cannot be tested as written; the message names page and line."""


def python_blocks(page: ExpandedPage, shown: str) -> list[Block]:
    """Every ```python block a reader sees, in page order."""
    try:
        parsed = extract_from_buffer(io.StringIO(page.text))
    except RuntimeError as error:
        raise PageError(f"{shown}: pytest-codeblocks cannot parse the page: {error}") from None
    blocks = []
    for block in parsed:
        if block.syntax != "python":
            continue
        reason = backend = None
        for mark in block.marks:
            line = page.page_line(block.lineno)
            pinned = BACKEND.match(mark.strip())
            if pinned:
                if pinned.group("name") not in BACKENDS:
                    raise PageError(f"{shown}:{line}: unknown backend {pinned.group('name')!r} in {mark!r}; "
                                    f"one of {', '.join(BACKENDS)}")
                backend = pinned.group("name")
                continue
            m = SKIP.match(mark.strip())
            if not m or not m.group("reason").strip():
                raise PageError(
                    f"{shown}:{line}: only <!--pytest.mark.skip(reason=\"...\")--> with a "
                    f"written reason may stop a block from running, found {mark!r}"
                )
            if not block.code.startswith(NOT_RUNNABLE):
                raise PageError(
                    f"{shown}:{line}: a skipped block must say so to the reader: "
                    f"start its code with '{NOT_RUNNABLE} <reason>'"
                )
            reason = m.group("reason")
        blocks.append(
            Block(
                page=shown,
                line=page.page_line(block.lineno),
                code=block.code,
                expected_output=block.expected_output,
                skip_reason=reason,
                backend=backend,
            )
        )
    return blocks


def unexecuted_fences(page: ExpandedPage, shown: str, executed: set[int]) -> list[str]:
    """Fences a reader would take for Python (or that name no language) and that the
    runner would not execute. `executed` holds the page lines of collected blocks."""
    problems = []
    open_fence = None
    for number, line in enumerate(page.text.splitlines(), start=1):
        m = FENCE.match(line)
        if open_fence:
            if m and m.group("mark")[0] == open_fence[0] and len(m.group("mark")) >= len(open_fence) \
                    and not m.group("info").strip():
                open_fence = None
            continue
        if not m:
            continue
        open_fence = m.group("mark")
        info = m.group("info").strip()
        where = f"{shown}:{page.page_line(number)}"
        if not info:
            problems.append(f"{where}: fence without a language; name one (```python, ```text, ...)")
        elif PYTHONISH.match(info) and (
            info != "python" or open_fence[0] == "~" or page.page_line(number) not in executed
        ):
            problems.append(
                f"{where}: Python fence {m.group('mark')}{info} is not executed by the tests; "
                "use a plain ```python fence (no title or attributes)"
            )
    return problems


def output_blocks_problems(blocks: list[Block]) -> list[str]:
    """Expected outputs that could never fail: nothing but ellipses."""
    return [
        f"{block.where}: expected output is only '...', which matches anything"
        for block in blocks
        if block.expected_output is not None
        and not block.expected_output.replace("...", "").strip()
    ]
