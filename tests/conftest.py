"""Fixtures shared by the site tests."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> BuiltSite:
    """One build per test run, shared by all xdist workers through a lock file."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    site_dir, record = shared / "site", shared / "site-build.json"
    with open(shared / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            started = time.perf_counter()
            result = build_site(config.ROOT, site_dir)
            bench.record("site-build", wall=time.perf_counter() - started)
            record.write_text(json.dumps({"returncode": result.returncode,
                                          "log": result.stdout + result.stderr}))
    data = json.loads(record.read_text())
    return BuiltSite(site_dir, data["returncode"], data["log"])


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
