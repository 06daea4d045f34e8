"""Reuse a check's last pass while nothing it read has changed (local runs only).

A browser visit of a page, a snippet module run as a script, a claim check: each gives the
same answer as long as the files it read are the same, byte for byte, and so are the
checking code and the installed packages. On a contributor's machine `python3 dev.py test`
points KERAS_HOOKS_RESULT_CACHE at .cache/results, as it points KERAS_HOOKS_NOTEBOOK_CACHE
at .cache/notebooks: a check that passed before, with every input unchanged, passes again
without running. CI and `--cold` leave the variable unset, and then every check runs.

A record holds, for one check, a fingerprint (sha256) of each input it named when it
passed: a file, or a folder it listed (the names in it), under a label the caller can
locate again in a later run (a path in the repository, or a path of the built site, whose
folder changes from run to run), or a plain value (a browser's version). Only passes are
recorded: a failing check runs every time. A reused test says so in its report (user
property "reused"), and the summary counts them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Mapping

import pytest

from tests.harness import reads
from tools import site_config

CACHE_ENV = "KERAS_HOOKS_RESULT_CACHE"

Locate = Callable[[str], "Path | None"]


def enabled() -> bool:
    return bool(os.environ.get(CACHE_ENV))


def _record_path(kind: str, name: str) -> Path:
    key = hashlib.sha256(f"{kind}\0{name}".encode()).hexdigest()[:24]
    return Path(os.environ[CACHE_ENV]) / kind / f"{key}.json"


def _fingerprint(path: Path | None) -> str | None:
    if path is not None and path.is_dir():  # a folder the check listed: the names in it
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in path.iterdir())
        return "folder:" + hashlib.sha256("\n".join(names).encode()).hexdigest()
    if path is None or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprints(labels: Iterable[str], locate: Locate, values: Mapping[str, str] = {}) -> dict[str, str | None]:
    """{label: sha256 of the file it locates (None if there is none)}, plus the values."""
    found = {label: _fingerprint(locate(label)) for label in sorted(set(labels))}
    return {**found, **{f"value:{k}": v for k, v in values.items()}}


def still_passes(kind: str, name: str, locate: Locate, values: Mapping[str, str] = {}) -> bool:
    """True when `name` passed before and every input it recorded is unchanged."""
    if not enabled():
        return False
    path = _record_path(kind, name)
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if recorded.get("name") != name:
        return False
    inputs = recorded["inputs"]
    files = [label for label in inputs if not label.startswith("value:")]
    now = fingerprints(files, locate, values)
    if now != inputs or None in now.values():
        return False
    os.utime(path)  # used by this run: a CI cache keeps what its last run used
    return True


def passed(kind: str, name: str, labels: Iterable[str], locate: Locate, values: Mapping[str, str] = {}) -> None:
    """Record that `name` passed having read these inputs."""
    if not enabled():
        return
    path = _record_path(kind, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    inputs = fingerprints(labels, locate, values)
    if None in inputs.values():
        return  # an input that is not a file cannot be compared later: never reuse it
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"name": name, "inputs": inputs}, indent=0), encoding="utf-8")
    temporary.replace(path)  # atomic: another worker never reads half a record


def mark_reused(request) -> None:
    mark_item_reused(request.node)


def mark_item_reused(item) -> None:
    item.user_properties.append(("reused", True))


# --- tests whose answer depends only on what they read in the repository --------------------
#
# The claim checks (tests/claims/), and the tests marked `reuse_last_pass`. Such a test's
# answer depends on its module, the code it calls in this repository, the files it reads
# there and the installed packages. Its module, the shared code and requirements.txt are
# named here (SHARED_CODE, as one fingerprint: an edit to any of them runs every such test
# again); the files it reads are recorded while it runs (tests/harness/reads.py). A
# subprocess's own reads are not seen: the tests that start one give it code written in
# their module, or name its files on the command line (recorded), or copy the files it
# reads out of the repository first (recorded as read). What TensorFlow opens itself are
# files the test wrote in its tmp_path.

MARK = "reuse_last_pass"
SHARED_CODE = ("conftest.py", "pytest.ini", "requirements.txt", "tests/conftest.py",
               "tests/harness/*.py", "tools/*.py")
# Fixtures whose files are outside the repository, where reads are not recorded.
OUTSIDE = {"site", "built_site", "browser", "base_url"}
_REUSED = pytest.StashKey[bool]()
_READ = pytest.StashKey["set[str]"]()
_CALL_PASSED = pytest.StashKey[bool]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARK}: the test's answer depends only on the repository files it reads, its "
        "module, the shared code and the installed packages; a local run reuses its last pass "
        "while they are unchanged (tests/harness/reuse.py). The claim checks are all such tests.")


def _declared(item) -> bool:
    return isinstance(item, pytest.Function) and (
        item.nodeid.startswith("tests/claims/") or item.get_closest_marker(MARK) is not None)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _declared(item) and OUTSIDE & set(item.fixturenames):
            raise pytest.UsageError(
                f"{item.nodeid}: it uses {', '.join(sorted(OUTSIDE & set(item.fixturenames)))}, whose files "
                f"are outside the repository, so what it reads cannot be recorded: remove `{MARK}`")


def _is_reusable(item) -> bool:
    # The project's own tests only: test_claims.py runs the claim checks of fixture
    # projects, whose node ids can be the same as ours.
    return enabled() and _declared(item) and Path(item.config.rootpath).resolve() == site_config.ROOT


@functools.cache
def _values() -> dict[str, str]:
    digest = hashlib.sha256()
    for pattern in SHARED_CODE:
        for path in sorted(site_config.ROOT.glob(pattern)):
            digest.update(path.relative_to(site_config.ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return {"python": sys.version, "shared code": digest.hexdigest(),
            "keras backend": os.environ.get("KERAS_BACKEND", "")}


def in_repository(label: str) -> Path:
    """Where a label of a repository file (or folder, ending in "/") is now."""
    return site_config.ROOT / label.rstrip("/")


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    if not _is_reusable(pyfuncitem):
        return (yield)
    if still_passes("tests", pyfuncitem.nodeid, in_repository, _values()):
        mark_item_reused(pyfuncitem)
        pyfuncitem.stash[_REUSED] = True
        return (yield)  # answered by pytest_pyfunc_call_reused, without calling the test function
    with reads.recording(site_config.ROOT) as read:
        result = yield
    pyfuncitem.stash[_READ] = read
    return result


@pytest.hookimpl(tryfirst=True, specname="pytest_pyfunc_call")
def pytest_pyfunc_call_reused(pyfuncitem):  # pytest reads hooks from pytest_ names only
    if pyfuncitem.stash.get(_REUSED, False):
        return True  # the test function is not called: its last pass stands
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Record a test that passed its call and its teardown, with what it read."""
    report = yield
    if call.when == "call":
        item.stash[_CALL_PASSED] = report.passed
    if call.when == "teardown" and report.passed and item.stash.get(_CALL_PASSED, False) and _READ in item.stash:
        module = item.path.relative_to(site_config.ROOT).as_posix()
        passed("tests", item.nodeid, [module, *sorted(item.stash[_READ])], in_repository, _values())
    return report


def pytest_terminal_summary(terminalreporter):
    # xdist sends the properties from its workers as lists, not tuples
    reused = {report.nodeid for report in terminalreporter.stats.get("passed", [])
              if any(name == "reused" for name, *_ in getattr(report, "user_properties", []))}
    if reused:
        terminalreporter.write_line(
            f"{len(reused)} tests reused their last pass: nothing they read has changed "
            f"({os.environ.get(CACHE_ENV)}; --cold runs them)")
