"""Root conftest: quiet TensorFlow's C++ start-up logs and load the page collector.

Pages under docs/<lang>/ are collected as tests by tests/harness/collect.py."""

import os
import sys
import tempfile

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# tools.bench: per-test durations for `python3 dev.py bench`, and --shard K/N for CI.
# tests.harness.reuse: local runs reuse the last pass of a check whose inputs have not changed.
# tests.harness.scheduling: the tests that share an xdist worker (a page's, both languages).
pytest_plugins = ["tools.bench", "tests.harness.collect", "tests.harness.claim_checks",
                  "tests.harness.reuse", "tests.harness.scheduling", "pytester"]


def pytest_configure(config):
    # Every test run executes every page: a fresh notebook cache for the run, shared by
    # the xdist workers (they inherit this environment) and by the site build.
    if not hasattr(config, "workerinput") and "KERAS_HOOKS_NOTEBOOK_CACHE" not in os.environ:
        os.environ["KERAS_HOOKS_NOTEBOOK_CACHE"] = tempfile.mkdtemp(prefix="keras-hooks-notebooks-")


def pytest_unconfigure(config):
    # The kernel tools/notebooks.py started for a next page: this process has no more pages.
    notebooks = sys.modules.get("tools.notebooks")
    if notebooks is not None:
        notebooks.shutdown_warm()


@pytest.hookimpl(trylast=True)  # after -k and --shard have chosen the items
def pytest_collection_modifyitems(config, items):
    # The kernel pool (tools/notebooks.py: start the next page's kernel, TensorFlow imported,
    # while the current page runs) is opt-in with KERAS_HOOKS_KERNEL_POOL=1: on a loaded
    # 2-core machine a pre-started kernel timed out importing TensorFlow during the site
    # build, and no gain was measured on an idle one yet. Off unless asked for.
    os.environ.setdefault("KERAS_HOOKS_KERNEL_POOL", "0")
