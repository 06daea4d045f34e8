"""Fixtures shared by the site tests."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools import bench
from tools import site_config as config


@dataclass
class BuiltSite:
    path: Path
    returncode: int
    log: str


def build_site(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, run from the project root as a contributor would run it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root, capture_output=True, text=True, env=env,
    )


SITE_FIXTURES = {"site", "built_site"}


def _shared(factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The directory every xdist worker of this run sees (the run's base temp)."""
    base = factory.getbasetemp()
    return base.parent if worker_id != "master" else base


def _build(shared: Path) -> None:
    """Build the site into shared/site and write shared/site-build.json (call holding the lock)."""
    started = time.perf_counter()
    result = build_site(config.ROOT, shared / "site")
    bench.record("site-build", wall=time.perf_counter() - started)
    (shared / "site-build.json").write_text(json.dumps({"returncode": result.returncode,
                                                        "log": result.stdout + result.stderr}))


_BACKGROUND: list[threading.Thread] = []


@pytest.hookimpl(trylast=True)  # after -k and --shard have chosen the items
def pytest_collection_modifyitems(config, items):
    """The tests that read the built site go last, and the build starts now, in the
    background, in the first worker that gets here: the workers run the other tests while
    it builds, instead of one worker building while the other waits (README: where the test
    time goes)."""
    items.sort(key=lambda item: bool(SITE_FIXTURES & set(getattr(item, "fixturenames", ()))))
    if not items or not SITE_FIXTURES & set(getattr(items[-1], "fixturenames", ())):
        return
    worker = getattr(config, "workerinput", {}).get("workerid", "master")
    shared = _shared(config._tmp_path_factory, worker)
    lock = open(shared / "site-build.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()  # another worker is building it
        return
    if (shared / "site-build.json").exists():
        lock.close()
        return

    def build():
        try:
            _build(shared)
        finally:
            lock.close()  # releases the lock: built_site reads the record

    _BACKGROUND.append(threading.Thread(target=build, name="site-build"))
    _BACKGROUND[-1].start()


def pytest_unconfigure(config):
    for thread in _BACKGROUND:  # never leave a half-written site behind
        thread.join()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> BuiltSite:
    """One build per test run, shared by all xdist workers through a lock file: started at
    collection (pytest_collection_modifyitems), or here when nothing started it."""
    shared = _shared(tmp_path_factory, worker_id)
    record = shared / "site-build.json"
    with open(shared / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            _build(shared)
    data = json.loads(record.read_text())
    return BuiltSite(shared / "site", data["returncode"], data["log"])


@pytest.fixture(scope="session")
def site(built_site) -> BuiltSite:
    """The built site, for tests that read it: they fail at once if it did not build."""
    if built_site.returncode != 0:
        pytest.fail("the site did not build; see test_site.py::test_strict_build", pytrace=False)
    return built_site


@pytest.fixture(scope="session")
def browser():
    """One Chromium per worker, shared by every module that needs one: Playwright's sync API
    refuses a second instance while another is open in the same process."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.harness import browser as chromium

    path = chromium.require_chromium()
    # Playwright gives every launch a fresh, empty profile (user-data-dir) of its own.
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=chromium.FLAGS)
        yield instance
        instance.close()
