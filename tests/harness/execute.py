"""Run a page's Python blocks the way a reader runs them: in order, in one fresh Jupyter
kernel, like the cells of the page's notebook (tools/notebooks.py), and compare what each
block prints with the output the page shows.

Runs are cached by code: the Spanish page has the same blocks as the English one (the
parity test makes sure), so both languages share one run, and the site build reuses it
for notebooks it renders.
"""

from __future__ import annotations

import doctest
import os
import re
from dataclasses import dataclass

from tools import notebooks, site_config

from .blocks import Block

# CPU seconds a block may use (TensorFlow runs on one thread in the test kernel) before the
# suite calls it too slow. The design goal is "well under 2 s on one core". Runs that compare
# behaviour, not cost (tools/compat.py on other Keras releases), raise it through the
# environment so a loaded machine is not reported as a Keras difference.
BLOCK_SECONDS_LIMIT = float(os.environ.get("KERAS_HOOKS_BLOCK_SECONDS_LIMIT", "3.0"))
# Set by tools/compat.py for backend runs only: every block of a page is judged on its own,
# not "not run" after the first one that differs, so each section gets a result per backend
# (the kernel runs every cell anyway). CI keeps stopping at the first difference: a page's
# later outputs mean little on top of a failure there.
ALL_BLOCKS = os.environ.get("KERAS_HOOKS_ALL_BLOCKS") == "1"


ERROR_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b")


@dataclass
class Result:
    output: str              # what a reader would see: stdout, then the error line if any
    traceback: str | None    # full traceback when the block raised
    seconds: float
    not_run: str | None = None  # why the block was not executed


_CACHE: dict[tuple, list[Result]] = {}


def chain_key(blocks: list[Block]) -> tuple:
    return tuple((block.code, block.skip_reason is not None) for block in blocks)


def run_page(blocks: list[Block], root=None, limit: float = BLOCK_SECONDS_LIMIT) -> list[Result]:
    key = chain_key(blocks)
    if key not in _CACHE:
        _CACHE[key] = _run(blocks, root or site_config.ROOT, limit)
    return _CACHE[key]


def chains(blocks: list[Block]) -> dict[str | None, list[Block]]:
    """The blocks that run together, in page order: the page's own chain (key None: the
    blocks for any backend and those for the backend of this run, KERAS_BACKEND) and one
    chain per other backend a block is written for (a fresh kernel of that backend)."""
    here = os.environ.get("KERAS_BACKEND", "tensorflow")
    found: dict[str | None, list[Block]] = {None: []}
    for block in blocks:
        if block.skip_reason is None:
            found.setdefault(None if block.backend in (None, here) else block.backend, []).append(block)
    return found


def _run(blocks: list[Block], root, limit: float = BLOCK_SECONDS_LIMIT) -> list[Result]:
    results: dict[int, Result] = {}
    for backend, chain in chains(blocks).items():
        runs = notebooks.run_code([block.code for block in chain], root, backend=backend) if chain else []
        failed: Block | None = None
        for block, run in zip(chain, runs):
            if failed is not None and not ALL_BLOCKS:
                # Later cells did run, but on top of a failure; their results mean little.
                results[id(block)] = Result("", None, 0.0, not_run=f"block at {failed.where} failed")
                continue
            output, trace = notebooks.stdout_and_error(run["outputs"])
            results[id(block)] = Result(output, trace, run["seconds"])
            if problem(block, results[id(block)], limit):
                failed = block
    return [Result("", None, 0.0, not_run=block.skip_reason) if block.skip_reason is not None
            else results[id(block)] for block in blocks]


def outputs_match(expected: str, actual: str) -> bool:
    if "..." not in expected:
        return expected == actual
    return doctest.OutputChecker().check_output(expected, actual, doctest.ELLIPSIS)


def page_limit(front_matter: dict) -> float:
    """The CPU limit of a page's blocks: BLOCK_SECONDS_LIMIT, or the page's own
    `cpu_seconds_limit` (front matter, with a `cpu_seconds_reason` readers of the source see)
    when its examples need threads of their own, as a distribution strategy's replicas do."""
    if "cpu_seconds_limit" not in front_matter:
        return BLOCK_SECONDS_LIMIT
    if not str(front_matter.get("cpu_seconds_reason", "")).strip():
        raise ValueError("cpu_seconds_limit needs a cpu_seconds_reason in the same front matter")
    return max(BLOCK_SECONDS_LIMIT, float(front_matter["cpu_seconds_limit"]))


def problem(block: Block, result: Result, limit: float = BLOCK_SECONDS_LIMIT) -> str | None:
    """Why this block fails on this page, or None."""
    if result.not_run:
        return None
    if result.seconds > limit:
        return (f"{block.where}: took {result.seconds:.1f} s of CPU (limit {limit} s); "
                "examples must stay well under 2 s on one core")
    if block.expected_output is None:
        if result.traceback:
            return f"{block.where}: the block raised an error the page does not show\n{result.traceback}"
        if result.output:
            return (f"{block.where}: the block prints output the page does not show; add an "
                    f"expected-output block after it:\n{result.output}")
        return None
    if not outputs_match(block.expected_output, result.output):
        detail = f"\n{result.traceback}" if result.traceback else ""
        return (f"{block.where}: output differs from the page\n--- page shows\n"
                f"{block.expected_output}--- code prints\n{result.output}{detail}")
    return None


def outcome(block: Block, result: Result) -> dict:
    """One block's result for the backend matrix (tools/compat.py): "same" (prints what the
    page shows), "other" (runs, prints something else: e.g. other random draws), "raises"
    (an error the page does not show; `error` is its last line) or "not run". Time is not
    judged here: a backend's speed is not what the matrix is about."""
    written_for = {"for": block.backend} if block.backend else {}  # a block of one backend's tab
    if result.not_run:
        return {"result": "not run", "reason": result.not_run, **written_for}
    if outputs_match(block.expected_output or "", result.output):
        return {"result": "same", **written_for}
    if result.traceback:
        # The traceback's last `Name: message` line (a plain traceback ends with it).
        lines = [line for line in result.traceback.splitlines() if ERROR_LINE.match(line)]
        error = (lines[-1] if lines else result.output.strip().splitlines()[-1])[:300]
        # A block that shows a mistake failing runs "as shown" when it fails with the same
        # exception class: the backend words the message its own way (JAXTrainer.fit() where
        # the page shows TensorFlowTrainer.fit()), the lesson holds.
        if _error_class(error) and _error_class(error) == _error_class(block.expected_output or ""):
            return {"result": "other", "error": error, **written_for}
        return {"result": "raises", "error": error, **written_for}
    return {"result": "other", **written_for}


def _error_class(text: str) -> str | None:
    """The unqualified class of the last `Name: message` line of an output or traceback."""
    found = [ERROR_LINE.match(line) for line in text.splitlines()]
    found = [m.group(0) for m in found if m]
    return found[-1].rsplit(".", 1)[-1] if found else None
