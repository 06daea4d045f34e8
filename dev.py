#!/usr/bin/env python3
"""The project's two everyday commands, with nothing but Python 3.11+ installed:

    python3 dev.py serve    the site at http://127.0.0.1:8000, both languages, live reload
    python3 dev.py test     the whole test suite (extra arguments go to pytest; --shard K/N
                            runs part K of N, as CI's jobs do: tools/bench.py). Locally, pages
                            whose code has not changed reuse their last execution from
                            .cache/notebooks; --cold (and CI=true) executes every page afresh
    python3 dev.py test --backend jax torch
                            every page's blocks on JAX and PyTorch (environments made on first
                            use), each block's result checked against data/compatibility.yml
    python3 dev.py bench [--record] [--cold] [pytest arguments]
                            run the tests (all, or those the arguments select) as `test` does and print
                            where the time goes: kernel starts and TensorFlow imports, page
                            blocks, snippet scripts, the site build, browser tests, claim
                            checks (tools/bench.py); --record writes tests/durations.json,
                            which `test --shard K/N` uses to split the suite for CI
    python3 dev.py translations [--diff | --mark PAGE...]
                            which translations are missing or behind their English page
    python3 dev.py claims   the statements about Keras on each page and what backs them
                            (tools/claims.py); exits 1 on a claim without a check, a check
                            no page states, or a claim in one language only
    python3 dev.py audit    Lighthouse scores and page weights (reports/lighthouse.md);
                            needs Chromium and Node.js (tools/audit.py)
    python3 dev.py mutate [--list] [--sample N --seed S] [--page docs/en/PAGE.md] [--timeout S]
                            mutation test of the included snippet sections: each small change
                            must make its English page fail (tools/mutate.py); slow, one page
                            run per mutant
    python3 dev.py wordings [--workers N]
                            what tf.keras 2 and older Keras 3 releases print for each error the
                            site shows, found by running the page's blocks in throwaway venvs
                            under .cache/keras-envs/ (downloads those Keras releases from PyPI);
                            writes data/error-wordings.yml (tools/wordings.py); incremental
    python3 dev.py compat [--keras 3.13.2 3.14.1] [--backend jax torch]
                            since which Keras release each page works, and which pages run on
                            JAX and PyTorch: blocks and claim checks run with older Keras
                            releases, or blocks on another backend, in throwaway venvs under
                            .cache/keras-envs/; writes data/compatibility.yml, shown on the
                            compatibility page (tools/compat.py); incremental

Both create .venv from requirements.txt when it is missing, and rebuild it when
requirements.txt has changed since it was made. Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / "requirements.sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_venv() -> None:
    wanted = requirements_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        say(f".venv is up to date with requirements.txt ({wanted[:12]})")
        return
    if VENV.exists():
        say("requirements.txt changed since .venv was made: rebuilding .venv")
        shutil.rmtree(VENV)
    else:
        say("no .venv yet: creating it from requirements.txt (the first time takes a few minutes)")
    start = time.monotonic()
    venv.EnvBuilder(with_pip=True).create(VENV)
    python = str(BIN / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")
    say(f".venv ready in {time.monotonic() - start:.0f} s")


def environment() -> dict:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter
    env.setdefault("NO_MKDOCS_2_WARNING", "1")   # Material's end-of-life banner on every build
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run(args: list[str], env: dict | None = None) -> int:
    say("running: " + " ".join(args))
    return subprocess.call(args, cwd=ROOT, env=env or environment())


def serve(extra: list[str]) -> int:
    say("serving http://127.0.0.1:8000 (English) and http://127.0.0.1:8000/es/ (Spanish); Ctrl+C stops")
    return run([str(BIN / "mkdocs"), "serve", "--dev-addr", "127.0.0.1:8000", *extra])


def test_environment(extra: list[str]) -> tuple[dict, list[str]]:
    """The environment of a test run, and its arguments without --cold.

    Local runs reuse the page executions of earlier runs (and of `serve`): a page runs again
    only when its code or requirements.txt changed (tools/notebooks.py keys the cache by
    both). They also reuse the last pass of a browser visit, a snippet script or a claim
    check while nothing it read has changed (tests/harness/reuse.py). CI, and --cold, execute every
    page in a fresh cache (conftest.py) and run every check."""
    env = environment()
    cold = "--cold" in extra
    if not cold and not env.get("CI") and "KERAS_HOOKS_NOTEBOOK_CACHE" not in env:
        env["KERAS_HOOKS_NOTEBOOK_CACHE"] = str(ROOT / ".cache" / "notebooks")
        env.setdefault("KERAS_HOOKS_RESULT_CACHE", str(ROOT / ".cache" / "results"))
        say("reusing page executions (.cache/notebooks) and the passes of unchanged browser "
            "visits, scripts and claim checks (.cache/results); --cold runs everything afresh")
    return env, [arg for arg in extra if arg != "--cold"]


def test(extra: list[str]) -> int:
    if "--backend" in extra:
        return test_backends(extra)
    start = time.monotonic()
    env, extra = test_environment(extra)
    # Both languages of a page stay on one worker (the scopes of tests/harness/scheduling.py),
    # so each page runs once; two or more workers pay TensorFlow's import in parallel.
    code = run([str(BIN / "python"), "-m", "pytest", "-n", "auto", "--dist", "loadscope", *extra], env)
    say(f"tests finished in {time.monotonic() - start:.0f} s with exit code {code}")
    return code


def test_backends(extra: list[str]) -> int:
    """`test --backend jax torch`: every page's blocks on those backends, each block's result
    compared with the one data/compatibility.yml records (the site's "Runs on" labels). The
    environments (.cache/keras-envs/backend-*) are made on first use."""
    start = time.monotonic()
    env, extra = test_environment(extra)
    code = run([str(BIN / "python"), "-m", "tools.compat", "--check", *extra], env)
    say(f"backend tests finished in {time.monotonic() - start:.0f} s with exit code {code}")
    return code


def bench(extra: list[str]) -> int:
    env, extra = test_environment(extra)
    return run([str(BIN / "python"), "-m", "tools.bench", *extra], env)


def translations(extra: list[str]) -> int:
    return run([str(BIN / "python"), "-m", "tools.translations", *extra])


def claims(extra: list[str]) -> int:
    return run([str(BIN / "python"), "-m", "tools.claims", *extra])


def audit(extra: list[str]) -> int:
    return run([str(BIN / "python"), "-m", "tools.audit", *extra])


def mutate(extra: list[str]) -> int:
    return run([str(BIN / "python"), "-m", "tools.mutate", *extra])


def wordings(extra: list[str]) -> int:
    return run([str(BIN / "python"), "-m", "tools.wordings", *extra])


def compat(extra: list[str]) -> int:
    return run([str(BIN / "python"), "-m", "tools.compat", *extra])


COMMANDS = {"serve": serve, "test": test, "translations": translations, "claims": claims, "audit": audit,
            "mutate": mutate, "bench": bench, "wordings": wordings,
            "compat": compat}


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        say(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
        return 2
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_venv()
    return COMMANDS[argv[1]](argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
