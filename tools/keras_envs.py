"""Throwaway environments of another Keras 3 release or another backend, for the tools that
compare (tools/wordings.py: older error wordings; tools/compat.py: the compatibility runs).

Each is a venv under .cache/keras-envs/ holding only what differs (`keras==<release>`, or
JAX or PyTorch, installed with --no-deps) and a .pth file that appends the project's .venv
site-packages: TensorFlow, NumPy, pytest and the rest are the pinned ones. The
pinned TensorFlow's requirements name the Keras releases it supports (for 2.21:
keras>=3.12.0), so the releases compared there are ones it is meant to run with.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

from tools import site_config

ROOT = site_config.ROOT
ENVS = ROOT / ".cache" / "keras-envs"
MAIN_PYTHON = ROOT / ".venv" / "bin" / "python"

# Releases whose wheels need a package Keras 3.15 no longer depends on (3.0.x imports `tree`).
EXTRA_PACKAGES = {"3.0.5": ["dm-tree"]}
# The other backends, CPU builds, with the dependencies the pinned environment lacks.
BACKEND_PACKAGES = {
    "jax": ["jax==0.10.2", "jaxlib==0.10.2"],
    "torch": ["torch==2.13.0+cpu", "filelock==4.3.1", "sympy==1.14.0", "mpmath==1.4.1",
              "networkx==3.6.1", "fsspec==2026.9.0"],
}


def quiet_env(**extra: str) -> dict:
    """Environment variables for a run in another environment: no TensorFlow start-up noise,
    one thread, seeded hashing (outputs comparable with the pinned run)."""
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg", PYTHONHASHSEED="0",
                TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", **extra)


def site_packages(python: Path) -> str:
    return subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                          check=True, capture_output=True, text=True).stdout.strip()


def _venv(name: str, packages: list[str], tool: str, check: list[str], expected: str, env: dict) -> Path:
    """The Python of a throwaway venv holding `packages` over the pinned ones (made on first
    use; `check` must print `expected` there, or the environment is refused)."""
    folder = ENVS / name
    python = folder / "bin" / "python"
    ENVS.mkdir(parents=True, exist_ok=True)
    # Test workers may ask for the same environment at once: one makes it, the others wait.
    with open(ENVS / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _make(folder, python, packages, tool, check, expected, env)


def _make(folder: Path, python: Path, packages: list[str], tool: str, check: list[str], expected: str,
          env: dict) -> Path:
    if not (folder / "ready").exists():
        print(f"[{tool}] creating {folder.relative_to(ROOT)} ({' '.join(packages)})", flush=True)
        subprocess.run([str(MAIN_PYTHON), "-m", "venv", "--without-pip", "--clear", str(folder)], check=True)
        subprocess.run([str(MAIN_PYTHON), "-m", "pip", "--python", str(python), "install", "--quiet",
                        "--no-deps", *packages], check=True)
        Path(site_packages(python), "zz_main_env.pth").write_text(site_packages(MAIN_PYTHON) + "\n")
        result = subprocess.run([str(python), "-c", *check], capture_output=True, text=True, env=env)
        if result.stdout.strip() != expected:
            raise SystemExit(f"{' '.join(packages)} does not work with the pinned packages:\n{result.stderr[-2000:]}")
        (folder / "ready").write_text(" ".join(packages) + "\n")
    return python


def keras_env(release: str, tool: str) -> Path:
    """The Python of the environment of one Keras release (created on first use)."""
    return _venv(f"keras-{release}", [f"keras=={release}", *EXTRA_PACKAGES.get(release, [])], tool,
                 ["import keras; print(keras.__version__)"], release, quiet_env())


def backend_env(backend: str, tool: str) -> Path:
    """The Python of the environment that adds one backend (JAX or PyTorch, CPU builds) to
    the pinned Keras; run it with KERAS_BACKEND=<backend>."""
    return _venv(f"backend-{backend}", BACKEND_PACKAGES[backend], tool,
                 ["import keras; print(keras.backend.backend())"], backend, quiet_env(KERAS_BACKEND=backend))
