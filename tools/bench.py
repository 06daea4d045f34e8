"""Where the test suite's time goes, and splitting it into shards by recorded durations.

    python3 dev.py bench [pytest arguments]     run the suite (or the part the arguments
                                                select) and print the time by kind of work
    python3 dev.py bench --record [...]         the same, and write tests/durations.json

The report groups every test's wall time (setup + call + teardown, as xdist reports it) by
kind: page blocks, snippet scripts, browser tests, claim checks, other tests. Work that
happens inside tests is recorded where it happens (KERAS_HOOKS_TIMINGS, a JSON-lines file):
each Jupyter kernel start and its TensorFlow import, the CPU and wall seconds of every page
block, and the site build. It only reports: a slow machine makes no test fail here.

This module is also a pytest plugin (loaded by conftest.py):
- with KERAS_HOOKS_BENCH=<file>, it writes {node id: seconds} of the run to that file;
- `--shard K/N` keeps shard K of N (1-based) of the collected tests, balanced by the
  durations in tests/durations.json (a test not listed counts as the median of its kind,
  or as ESTIMATES says when no test of its kind is listed).
  Tests that must share a worker (both languages of a page: tests/harness/scheduling.py)
  stay together, so no page runs twice. Shards partition the suite: every test is in exactly one.

Standard library only at import time: tools/notebooks.py calls record() from a kernel run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATIONS = ROOT / "tests" / "durations.json"
TIMINGS_ENV = "KERAS_HOOKS_TIMINGS"
BENCH_ENV = "KERAS_HOOKS_BENCH"


# --- recording, from wherever the work happens ---------------------------------------------

def record(kind: str, **data) -> None:
    """Append one timing line (when a bench run asked for timings; otherwise nothing)."""
    path = os.environ.get(TIMINGS_ENV)
    if not path:
        return
    line = json.dumps({"kind": kind, "pid": os.getpid(), "at": time.time(), **data})
    with open(path, "a", encoding="utf-8") as out:  # one short write: lines never interleave
        out.write(line + "\n")


# --- kinds of tests ----------------------------------------------------------------------------

def kind_of(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    if path.startswith("docs/"):
        return "page blocks"
    if path == "tests/test_snippets.py" and "test_module_runs_as_a_script" in nodeid:
        return "snippet scripts"
    if path == "tests/test_browser.py":
        return "browser tests"
    if path.startswith("tests/claims/"):
        return "claim checks"
    if path == "tests/test_site.py":
        return "site tests (incl. the build)"
    return "other tests"


# --- the pytest plugin --------------------------------------------------------------------------

def pytest_addoption(parser):
    parser.addoption("--shard", default=None, metavar="K/N",
                     help="run shard K of N (1-based), balanced by tests/durations.json")


_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):
    # On xdist's controller the workers' reports arrive here, one per phase.
    if os.environ.get(BENCH_ENV):
        _seconds[report.nodeid] = _seconds.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    path = os.environ.get(BENCH_ENV)
    if path and not hasattr(session.config, "workerinput") and _seconds:
        Path(path).write_text(json.dumps(_seconds, indent=0, sort_keys=True), encoding="utf-8")


# Seconds per test of each kind on a 2-core machine, used until tests/durations.json lists
# a kind (rough: a page's kernel start is spread over its blocks, a snippet script imports
# TensorFlow, a browser test loads a page and runs axe).
ESTIMATES = {"page blocks": 2.0, "snippet scripts": 8.0, "browser tests": 4.0, "claim checks": 0.3,
             "site tests (incl. the build)": 0.2, "other tests": 0.3}


def split(groups: dict[str, float], shards: int) -> list[list[str]]:
    """Longest first, each onto the least loaded shard: every group in exactly one shard."""
    loads = [0.0] * shards
    chosen: list[list[str]] = [[] for _ in range(shards)]
    for name, seconds in sorted(groups.items(), key=lambda g: (-g[1], g[0])):
        target = min(range(shards), key=lambda i: (loads[i], i))
        loads[target] += seconds
        chosen[target].append(name)
    return chosen


def load_durations() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def pytest_collection_modifyitems(config, items):
    wanted = config.getoption("--shard")
    if not wanted:
        return
    try:
        index, count = (int(part) for part in wanted.split("/"))
        assert 1 <= index <= count
    except (ValueError, AssertionError):
        import pytest
        raise pytest.UsageError(f"--shard {wanted}: expected K/N with 1 <= K <= N, e.g. --shard 1/2")
    known = load_durations()
    by_kind: dict[str, list[float]] = {}
    for nodeid, seconds in known.items():
        by_kind.setdefault(kind_of(nodeid), []).append(seconds)
    estimate = {**ESTIMATES, **{kind: statistics.median(values) for kind, values in by_kind.items()}}
    from tests.harness.scheduling import group_of  # the groups xdist runs on one worker
    group = [group_of(item.nodeid) for item in items]
    groups: dict[str, float] = {}
    for item, name in zip(items, group):
        seconds = known.get(item.nodeid, estimate.get(kind_of(item.nodeid), 1.0))
        groups[name] = groups.get(name, 0.0) + seconds
    keep = set(split(groups, count)[index - 1])
    selected = [item for item, name in zip(items, group) if name in keep]
    deselected = [item for item, name in zip(items, group) if name not in keep]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


# --- the report -----------------------------------------------------------------------------------

def _fmt(seconds: float) -> str:
    return f"{seconds:8.1f} s" if seconds < 120 else f"{seconds:8.1f} s ({seconds / 60:.1f} min)"


def report(seconds: dict[str, float], timings: list[dict], wall: float, code: int) -> str:
    lines = [f"Wall time of the run: {_fmt(wall)} (pytest exit code {code}); "
             f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
             f"on {os.cpu_count()} cores", ""]
    lines.append("Tests by kind (summed wall time of their setup+call+teardown over all workers):")
    by_kind: dict[str, list[float]] = {}
    for nodeid, value in seconds.items():
        by_kind.setdefault(kind_of(nodeid), []).append(value)
    for kind, values in sorted(by_kind.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"  {kind:32} {_fmt(sum(values))}  in {len(values):4} tests")
    lines.append(f"  {'all tests':32} {_fmt(sum(seconds.values()))}")
    lines.append("")
    kernels = [t for t in timings if t["kind"] == "kernel"]
    if kernels:
        total = lambda key: sum(t.get(key, 0.0) for t in kernels)  # noqa: E731
        pooled = sum(1 for t in kernels if t.get("pooled"))
        lines.append(f"Jupyter kernels: {len(kernels)} pages executed ({pooled} in a pre-started kernel)")
        lines.append(f"  {'kernel starts (wall)':32} {_fmt(total('start_wall'))}")
        lines.append(f"  {'TensorFlow imports (wall)':32} {_fmt(total('setup_wall'))}")
        lines.append(f"  {'waiting for a pre-started kernel':32} {_fmt(total('wait_wall'))}")
        lines.append(f"  {'page blocks (CPU)':32} {_fmt(total('cells_cpu'))}")
        lines.append(f"  {'page blocks (wall)':32} {_fmt(total('cells_wall'))}")
        lines.append(f"  {'whole executions (wall)':32} {_fmt(total('total_wall'))}")
        lines.append("")
    builds = [t for t in timings if t["kind"] == "site-build"]
    for build in builds:
        lines.append(f"Site build (mkdocs build --strict): {_fmt(build['wall'])}")
    if builds:
        lines.append("")
    slowest = sorted(seconds.items(), key=lambda kv: -kv[1])[:15]
    if slowest:
        lines.append("Slowest tests:")
        lines += [f"  {_fmt(value)}  {nodeid}" for nodeid, value in slowest]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    record_durations = "--record" in argv
    args = [a for a in argv if a != "--record"]
    with tempfile.TemporaryDirectory(prefix="keras-hooks-bench-") as work:
        durations, timings = Path(work) / "durations.json", Path(work) / "timings.jsonl"
        env = dict(os.environ, **{BENCH_ENV: str(durations), TIMINGS_ENV: str(timings)})
        command = [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadscope", *args]
        print("[bench] running: " + " ".join(command), flush=True)
        start = time.monotonic()
        code = subprocess.call(command, cwd=ROOT, env=env)
        wall = time.monotonic() - start
        seconds = json.loads(durations.read_text()) if durations.exists() else {}
        lines = timings.read_text().splitlines() if timings.exists() else []
        print("\n" + report(seconds, [json.loads(line) for line in lines], wall, code))
        if record_durations and seconds:
            merged = {**load_durations(), **{k: round(v, 2) for k, v in seconds.items()}}
            DURATIONS.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"\n[bench] wrote {len(seconds)} durations to {DURATIONS.relative_to(ROOT)}")
    return 0  # a report, never a verdict


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
