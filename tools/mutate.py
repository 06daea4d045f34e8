"""Mutation test of the examples: do the pages notice when the code they show changes?

    python3 dev.py mutate [--list] [--sample N] [--seed S] [--page docs/en/<page>.md]
                          [--timeout SECONDS] [--workers N] [--match TEXT]

Each mutant is one small change to a line of a section that a page includes: a numeric
constant, a comparison or arithmetic operator, a key dropped from a `get_config` dict, the
`**super().get_config()` merge dropped, or a `training=` argument dropped. For each mutant the
English page that includes the section is run (`pytest docs/en/<page>.md`, with a fresh
notebook cache so no earlier run is reused); a failing page kills the mutant, a passing page
lets it survive. The Spanish page shares the code, so it is not run again.

The mutants are written into a scratch copy of the project (made once per run, deleted at
the end), never into the working tree, so people editing snippets meanwhile are not
disturbed; each mutated module is restored in a `finally` before the next mutant, even on
Ctrl+C or an error. Changes that cannot alter behaviour are not generated: strings are never
touched, and neither are seeds, `verbose=` and the digits of `round(...)`.

Why not cosmic-ray or mutmut: both mutate whole modules (a section filter needs pragma
comments in the snippets, which readers would see, or a custom filter plugin), neither has the
`get_config` / `super().get_config()` / `training=` operators, and mutmut runs the mutants from
its own copy in `mutants/`, where the pages' `--8<--` include paths do not lead. What is needed
here is an AST walk restricted to included line ranges and one page run per mutant.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.harness import example_checks
from tools import expand
from tools import site_config as config

PYTHON = config.ROOT / ".venv" / "bin" / "python"
NOT_MUTATED_KEYWORDS = {"verbose", "seed", "decimals", "ndigits"}
NOT_MUTATED_CALLS = {"set_random_seed", "default_rng", "seed", "RandomState", "SeedGenerator"}
COMPARISONS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
               ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
              ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.MatMult: ast.Mult}


@dataclass
class Mutant:
    module: str      # repository-relative path
    section: str
    line: int        # module line of the mutated node
    kind: str
    before: str
    after: str
    span: tuple[int, int, int, int]   # lineno, col_offset, end_lineno, end_col_offset of the node
    pages: list[str]                  # English pages that include the section
    replacement: str                  # source of the mutated node

    def describe(self) -> str:
        return f"{self.module}:{self.line} [{self.section}] {self.kind}: {self.before}  ->  {self.after}"


def _short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 70 else text[:67] + "..."


def _parents(tree: ast.AST) -> dict:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _excluded_constant(node: ast.Constant, parents: dict) -> bool:
    parent = parents.get(node)
    while isinstance(parent, ast.UnaryOp):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword) and parent.arg in NOT_MUTATED_KEYWORDS:
        return True
    if isinstance(parent, ast.Call):
        name = example_checks._called_name(parent)
        if name in NOT_MUTATED_CALLS:
            return True
        if name == "round" and node in parent.args[1:]:
            return True
    # inside a slice or an index: shapes and positions make crashes, not questions
    while parent is not None:
        if isinstance(parent, (ast.JoinedStr, ast.Subscript)):
            return True
        parent = parents.get(parent)
    return False


def _in_fstring(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.JoinedStr):
            return True
    return False


def _in_get_config(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef):
            return node.name == "get_config"
    return False


def _is_super_get_config(node: ast.AST) -> bool:
    return (example_checks._is_get_config_call(node) and isinstance(node.func.value, ast.Call)
            and example_checks._called_name(node.func.value) == "super")


def node_mutations(node: ast.AST, parents: dict):
    """(kind, replacement node) for each mutation of one node."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float) \
            and not _excluded_constant(node, parents):
        value = node.value
        new = value + 1 if isinstance(value, int) else (value * 2 if value else 1.0)
        yield "constant", ast.Constant(new)
    elif isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            if type(op) in COMPARISONS:
                mutated = copy.deepcopy(node)
                mutated.ops[index] = COMPARISONS[type(op)]()
                yield "comparison", mutated
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        mutated = copy.deepcopy(node)
        mutated.op = ARITHMETIC[type(node.op)]()
        yield "arithmetic", mutated
    elif isinstance(node, ast.Dict) and _in_get_config(node, parents):
        for index, key in enumerate(node.keys):
            if key is None and _is_super_get_config(node.values[index]):
                kind = "drop super().get_config() merge"
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                kind = f"drop get_config key {key.value!r}"
            else:
                continue
            mutated = copy.deepcopy(node)
            del mutated.keys[index], mutated.values[index]
            yield kind, mutated
    elif _is_super_get_config(node) and _in_get_config(node, parents) \
            and not isinstance(parents.get(node), ast.Dict):
        yield "drop super().get_config() merge", ast.Dict(keys=[], values=[])
    elif isinstance(node, ast.Call):
        for index, keyword in enumerate(node.keywords):
            if keyword.arg == "training":
                mutated = copy.deepcopy(node)
                del mutated.keywords[index]
                yield "drop training= argument", mutated


def english_pages_by_section(site: config.SiteConfig) -> dict[tuple[str, str], list[str]]:
    pages: dict[tuple[str, str], list[str]] = {}
    for page in site.pages(site.default_language):
        shown = expand.display(page, site)
        for _, target in expand.includes(page.read_text(encoding="utf-8")):
            module, _, section = target.partition(":")
            key = (module, section or "(whole module)")
            if shown not in pages.setdefault(key, []):
                pages[key].append(shown)
    return pages


def mutants(site: config.SiteConfig | None = None) -> list[Mutant]:
    site = site or config.site()
    pages = english_pages_by_section(site)
    found = []
    for module, sections in example_checks.included_sections(site).items():
        tree = ast.parse((site.root / module).read_text(encoding="utf-8"))
        parents = _parents(tree)
        nodes = sorted((n for n in ast.walk(tree) if hasattr(n, "end_lineno")),
                       key=lambda n: (n.lineno, n.col_offset))
        for section in sections:
            if (module, section.name) not in pages:
                continue
            for node in (n for n in nodes if section.holds(n) and n.end_lineno < section.end):
                if _in_fstring(node, parents):
                    continue  # column offsets inside f-strings are not reliable before 3.12
                for kind, replacement in node_mutations(node, parents):
                    text = ast.unparse(replacement)
                    if isinstance(replacement, (ast.BinOp, ast.Compare)):
                        text = f"({text})"  # keeps precedence wherever the node sits
                    found.append(Mutant(
                        module, section.name, node.lineno, kind, _short(node), _short(replacement),
                        (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset),
                        pages[(module, section.name)], text,
                    ))
    return found


def apply(source: str, mutant: Mutant) -> str:
    """The module's text with the node's span replaced by the mutated node."""
    lines = source.splitlines(keepends=True)
    start, col, end, end_col = mutant.span
    # column offsets count UTF-8 bytes
    head = lines[start - 1].encode("utf-8")[:col].decode("utf-8")
    tail = lines[end - 1].encode("utf-8")[end_col:].decode("utf-8")
    mutated = "".join(lines[:start - 1]) + head + mutant.replacement + tail + "".join(lines[end:])
    ast.parse(mutated)  # a mutant that does not parse is a bug here, not a killed mutant
    return mutated


# --- running ---------------------------------------------------------------------------

def scratch_copy(root: Path) -> Path:
    """The files a page run needs, copied to a temporary directory."""
    target = Path(tempfile.mkdtemp(prefix="keras-hooks-mutants-"))
    ignore = shutil.ignore_patterns("__pycache__", "lighthouse", "node_modules", ".cache")
    for name in ("conftest.py", "pytest.ini", "mkdocs.yml", "requirements.txt"):
        shutil.copy2(root / name, target / name)
    for name in ("docs", "snippets", "hooks", "overrides", "tests", "tools", "spelling"):
        if (root / name).exists():
            shutil.copytree(root / name, target / name, ignore=ignore)
    return target


def run_page(work: Path, page: str, timeout: float) -> tuple[str, float, str]:
    """('passed' | 'failed' | 'timeout', seconds, last lines of output) of one English page."""
    cache = tempfile.mkdtemp(prefix="keras-hooks-mutant-cache-")
    env = dict(os.environ, KERAS_HOOKS_NOTEBOOK_CACHE=cache, TF_CPP_MIN_LOG_LEVEL="2", MPLBACKEND="Agg")
    start = time.monotonic()
    process = subprocess.Popen(
        [str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", page],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group: a timeout ends the kernel too
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        status = "passed" if process.returncode == 0 else "failed"
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        status = "timeout"
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return status, time.monotonic() - start, "\n".join(output.strip().splitlines()[-3:])


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def run(selected: list[Mutant], root: Path, timeout: float | None, workers: int = 1) -> int:
    """Run every mutant; with workers > 1, that many at once, each in its own scratch copy
    (one page run uses about one core: TensorFlow runs on one thread in the test kernel)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    copies: queue.Queue[Path] = queue.Queue()
    made = [scratch_copy(root) for _ in range(max(1, workers))]
    for work in made:
        copies.put(work)
    killed, survived, timed_out, broken = [], [], [], []
    baseline: dict[str, tuple[str, float]] = {}

    def with_copy(job):
        work = copies.get()
        try:
            return job(work)
        finally:
            copies.put(work)

    def run_baseline(page: str):
        status, seconds, tail = with_copy(lambda work: run_page(work, page, timeout or 900))
        baseline[page] = (status, seconds)
        print(f"baseline {page}: {status} in {seconds:.0f} s", flush=True)
        if status != "passed":
            print("  " + tail.replace("\n", "\n  "), flush=True)

    def run_mutant(mutant: Mutant) -> str:
        if any(baseline[p][0] != "passed" for p in mutant.pages):
            return "broken"
        limit = timeout or max(60.0, 3 * max(baseline[p][1] for p in mutant.pages))

        def job(work: Path) -> str:
            path = work / mutant.module
            original = path.read_bytes()
            try:
                path.write_text(apply(original.decode("utf-8"), mutant), encoding="utf-8")
                for page in mutant.pages:
                    status, _, _ = run_page(work, page, limit)
                    if status in ("timeout", "failed"):
                        return {"timeout": "timeout", "failed": "killed"}[status]
                return "survived"
            finally:
                path.write_bytes(original)
        return with_copy(job)

    groups = {"killed": killed, "survived": survived, "timeout": timed_out, "broken": broken}
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(made)) as pool:
            pages = sorted({page for mutant in selected for page in mutant.pages})
            list(pool.map(run_baseline, pages))
            futures = {pool.submit(run_mutant, mutant): mutant for mutant in selected}
            for number, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                mutant, outcome = futures[future], future.result()
                groups[outcome].append(mutant)
                label = "NOT RUN (page fails unmutated)" if outcome == "broken" else f"{outcome.upper():8}"
                print(f"[{number}/{len(selected)}] {label} {mutant.describe()}", flush=True)
    except KeyboardInterrupt:
        print("interrupted: every mutated module was restored", flush=True)
        return 130
    finally:
        for work in made:
            shutil.rmtree(work, ignore_errors=True)
    report(killed, survived, timed_out, broken)
    return 1 if survived else 0


def report(killed, survived, timed_out, broken) -> None:
    print()
    for title, group in (("Survived", survived), ("Timed out (not scored)", timed_out),
                         ("Not run: page fails without mutation", broken)):
        if group:
            print(f"{title}:")
            for mutant in group:
                print("  " + mutant.describe())
    scored = len(killed) + len(survived)
    score = f"{100 * len(killed) / scored:.0f}%" if scored else "n/a"
    print(f"score: {len(killed)} killed / {scored} run = {score} "
          f"({len(survived)} survived, {len(timed_out)} timed out, {len(broken)} not run)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutants without running them")
    parser.add_argument("--sample", type=int, metavar="N", help="run a random sample of N mutants")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument("--page", help="only mutants of sections that this English page includes")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="per page run; default 3x the unmutated run, at least 60 s")
    parser.add_argument("--match", action="append", metavar="TEXT",
                        help="only mutants whose description (as --list prints it) contains TEXT; "
                             "repeatable, to re-run the survivors of a report")
    parser.add_argument("--workers", type=int, default=1,
                        help="mutants run at once, each in its own scratch copy (default 1)")
    args = parser.parse_args(argv)
    site = config.site()
    selected = mutants(site)
    if args.page:
        page = args.page.replace(f"docs/{site.languages[-1]}/", f"docs/{site.default_language}/")
        selected = [m for m in selected if page in m.pages]
        if not selected:
            print(f"no mutants for {args.page}: is it an English page path such as docs/en/training/gradients.md?")
            return 2
    if args.match:
        selected = [m for m in selected if any(text in m.describe() for text in args.match)]
    if args.sample is not None and args.sample < len(selected):
        selected = sorted(random.Random(args.seed).sample(selected, args.sample),
                          key=lambda m: (m.module, m.line))
    if args.list:
        for mutant in selected:
            print(mutant.describe())
        print(f"{len(selected)} mutants")
        return 0
    return run(selected, site.root, args.timeout, args.workers)


if __name__ == "__main__":
    sys.exit(main())
