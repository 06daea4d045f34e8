"""Run a page's Python blocks the way a reader runs them: in order, in one namespace,
like cells of a notebook, and compare what each prints with the output the page shows.

Pages are executed once per distinct code: the Spanish page has the same blocks as the
English one (the parity test makes sure), so both languages share one run.
"""

from __future__ import annotations

import doctest
import linecache
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass

from pytest_codeblocks.main import stdout_io

from .blocks import Block

# A block may take this long before the suite calls it too slow. The design goal is
# "well under 2 s on one core"; the margin absorbs a busy CI machine.
BLOCK_SECONDS_LIMIT = 5.0


@dataclass
class Result:
    output: str              # what a reader would see: stdout, then the error line if any
    traceback: str | None    # full traceback when the block raised
    seconds: float
    not_run: str | None = None  # why the block was not executed


_CACHE: dict[tuple, list[Result]] = {}


def chain_key(blocks: list[Block]) -> tuple:
    return tuple((block.code, block.skip_reason is not None) for block in blocks)


def run_page(blocks: list[Block]) -> list[Result]:
    key = chain_key(blocks)
    if key not in _CACHE:
        _CACHE[key] = _run(blocks)
    return _CACHE[key]


def _reset_frameworks() -> None:
    """Pages must not lean on each other: fresh Keras session, no custom objects
    registered by an earlier page, no figures left open."""
    import keras  # imported once per worker, before any block is timed

    keras.backend.clear_session()
    keras.config.set_floatx("float32")
    # The public keras.saving.get_custom_objects() returns this same registry; the
    # reverse name map has no public accessor.
    from keras.src.saving import object_registration

    object_registration.GLOBAL_CUSTOM_OBJECTS.clear()
    object_registration.GLOBAL_CUSTOM_NAMES.clear()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _run(blocks: list[Block]) -> list[Result]:
    results: list[Result] = []
    if not blocks:
        return results
    _reset_frameworks()
    namespace: dict = {"__name__": "__main__"}
    failed: Block | None = None
    previous_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="keras-hooks-page-") as workdir:
        os.chdir(workdir)  # files a page saves (model.keras, figures) land here
        try:
            for block in blocks:
                if block.skip_reason is not None:
                    results.append(Result("", None, 0.0, not_run=block.skip_reason))
                elif failed is not None:
                    results.append(Result("", None, 0.0, not_run=f"block at {failed.where} failed"))
                else:
                    result = _run_block(block, namespace)
                    results.append(result)
                    if problem(block, result):
                        failed = block
        finally:
            os.chdir(previous_cwd)
    return results


def _run_block(block: Block, namespace: dict) -> Result:
    filename = f"<{block.where}>"
    # Code run by exec has no file; AutoGraph (tf.function) and tracebacks read source
    # through linecache, so register it there the way IPython registers its cells.
    linecache.cache[filename] = (len(block.code), None, block.code.splitlines(True), filename)
    code = compile(block.code, filename, "exec")
    error = None
    start = time.perf_counter()
    with stdout_io() as captured:
        try:
            exec(code, namespace)
        except Exception as exc:  # the page may show an expected error
            error = exc
            trace = traceback.format_exc()
    seconds = time.perf_counter() - start
    output = captured.getvalue()
    if error is not None:
        return Result(output + error_line(error), trace, seconds)
    return Result(output, None, seconds)


def error_line(error: BaseException) -> str:
    """How a page shows an exception: its class name and message, as the REPL's last line."""
    message = str(error)
    return f"{type(error).__name__}: {message}\n" if message else f"{type(error).__name__}\n"


def outputs_match(expected: str, actual: str) -> bool:
    if "..." not in expected:
        return expected == actual
    return doctest.OutputChecker().check_output(expected, actual, doctest.ELLIPSIS)


def problem(block: Block, result: Result) -> str | None:
    """Why this block fails on this page, or None."""
    if result.not_run:
        return None
    if result.seconds > BLOCK_SECONDS_LIMIT:
        return (f"{block.where}: took {result.seconds:.1f} s (limit {BLOCK_SECONDS_LIMIT} s); "
                "examples must stay well under 2 s")
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
