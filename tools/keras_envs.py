"""Throwaway environments of another Keras 3 release, for the tools that compare releases
(tools/wordings.py: older error wordings; tools/compat.py: the compatibility runs).

Each is a venv under .cache/keras-envs/keras-<release>/ holding only `keras==<release>`
(installed with --no-deps) and a .pth file that appends the project's .venv site-packages:
TensorFlow, NumPy, pytest and the rest are the pinned ones, and only Keras differs. The
pinned TensorFlow's requirements name the Keras releases it supports (for 2.21:
keras>=3.12.0), so the releases compared there are ones it is meant to run with.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tools import site_config

ROOT = site_config.ROOT
ENVS = ROOT / ".cache" / "keras-envs"
MAIN_PYTHON = ROOT / ".venv" / "bin" / "python"

# Releases whose wheels need a package Keras 3.15 no longer depends on (3.0.x imports `tree`).
EXTRA_PACKAGES = {"3.0.5": ["dm-tree"]}


def quiet_env(**extra: str) -> dict:
    """Environment variables for a run in another environment: no TensorFlow start-up noise,
    one thread, seeded hashing (outputs comparable with the pinned run)."""
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg", PYTHONHASHSEED="0",
                TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", **extra)


def site_packages(python: Path) -> str:
    return subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                          check=True, capture_output=True, text=True).stdout.strip()


def keras_env(release: str, tool: str) -> Path:
    """The Python of the environment of one Keras release (created on first use)."""
    folder = ENVS / f"keras-{release}"
    python = folder / "bin" / "python"
    if not (folder / "ready").exists():
        print(f"[{tool}] creating {folder.relative_to(ROOT)} (keras=={release})", flush=True)
        subprocess.run([str(MAIN_PYTHON), "-m", "venv", "--without-pip", "--clear", str(folder)], check=True)
        subprocess.run([str(MAIN_PYTHON), "-m", "pip", "--python", str(python), "install", "--quiet",
                        "--no-deps", f"keras=={release}", *EXTRA_PACKAGES.get(release, [])], check=True)
        Path(site_packages(python), "zz_main_env.pth").write_text(site_packages(MAIN_PYTHON) + "\n")
        check = subprocess.run([str(python), "-c", "import keras; print(keras.__version__)"],
                               capture_output=True, text=True, env=quiet_env())
        if check.stdout.strip() != release:
            raise SystemExit(f"keras=={release} does not import with the pinned TensorFlow:\n{check.stderr[-2000:]}")
        (folder / "ready").write_text(release + "\n")
    return python
