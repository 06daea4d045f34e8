"""Reuse a check's last pass while nothing it read has changed (local runs only).

A browser visit of a page or a snippet module run as a script gives the same answer as
long as the files it read are the same, byte for byte, and so is the checking code. On a
contributor's machine `python3 dev.py test` points KERAS_HOOKS_RESULT_CACHE at
.cache/results, as it points KERAS_HOOKS_NOTEBOOK_CACHE at .cache/notebooks: a check that
passed before, with every input unchanged, passes again without running. CI and `--cold`
leave the variable unset, and then every check runs.

A record holds, for one check, a fingerprint (sha256) of each input it named when it
passed: a file, under a label the caller can locate again in a later run (a path in the
repository, or a path of the built site, whose folder changes from run to run), or a plain
value (a browser's version). Only passes are recorded: a failing check runs every time.
A reused test says so in its report (user property "reused"), and the summary counts them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterable, Mapping

CACHE_ENV = "KERAS_HOOKS_RESULT_CACHE"

Locate = Callable[[str], "Path | None"]


def enabled() -> bool:
    return bool(os.environ.get(CACHE_ENV))


def _record_path(kind: str, name: str) -> Path:
    key = hashlib.sha256(f"{kind}\0{name}".encode()).hexdigest()[:24]
    return Path(os.environ[CACHE_ENV]) / kind / f"{key}.json"


def _fingerprint(path: Path | None) -> str | None:
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
    request.node.user_properties.append(("reused", True))


def pytest_terminal_summary(terminalreporter):
    # xdist sends the properties from its workers as lists, not tuples
    reused = {report.nodeid for report in terminalreporter.stats.get("passed", [])
              if any(name == "reused" for name, *_ in getattr(report, "user_properties", []))}
    if reused:
        terminalreporter.write_line(
            f"{len(reused)} tests reused their last pass: nothing they read has changed "
            f"({os.environ.get(CACHE_ENV)}; --cold runs them)")
