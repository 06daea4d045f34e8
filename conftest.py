"""Root conftest: quiet TensorFlow's C++ start-up logs and load the page collector.

Pages under docs/<lang>/ are collected as tests by tests/harness/collect.py."""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

pytest_plugins = ["tests.harness.collect", "tests.harness.claim_checks"]


def pytest_configure(config):
    # Every test run executes every page: a fresh notebook cache for the run, shared by
    # the xdist workers (they inherit this environment) and by the site build.
    if not hasattr(config, "workerinput") and "KERAS_HOOKS_NOTEBOOK_CACHE" not in os.environ:
        os.environ["KERAS_HOOKS_NOTEBOOK_CACHE"] = tempfile.mkdtemp(prefix="keras-hooks-notebooks-")
