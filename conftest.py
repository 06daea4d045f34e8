"""Root conftest: quiet TensorFlow's C++ start-up logs and load the page collector.

Pages under docs/<lang>/ are collected as tests by tests/harness/collect.py."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

pytest_plugins = ["tests.harness.collect"]
