"""Run a piece of code in a new Python process of one Keras backend, for claim checks that
state what happens on JAX or PyTorch (or what a file saved on TensorFlow does there).

TensorFlow runs with this Python; JAX and PyTorch with their environments
(tools/keras_envs.py, made on first use). A run that succeeded is kept, with what it
printed, in the result cache of local runs (KERAS_HOOKS_RESULT_CACHE, tests/harness/reuse.py),
keyed by the code, the backend, the pinned requirements and the backend's packages: the same
code on the same packages prints the same thing, so a warm run does not start those
processes again. CI and `--cold` leave the cache unset, and every run happens.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.harness import reuse
from tools import keras_envs, site_config


Step = tuple[str, str]  # (code, backend)


def _key(steps: list[Step]) -> str:
    digest = hashlib.sha256(f"{sys.version}\0".encode())
    digest.update((site_config.ROOT / "requirements.txt").read_bytes())
    for code, backend in steps:
        digest.update(f"\0{backend}\0{json.dumps(keras_envs.BACKEND_PACKAGES.get(backend, []))}\0{code}".encode())
    return digest.hexdigest()[:24]


def run(steps: list[Step], cwd: Path, timeout: int = 600) -> list[list[str]]:
    """The lines each step's code prints, run in order, each in a new process with
    KERAS_BACKEND set to its backend, all in `cwd` (a step may read the files an earlier one
    wrote: they are cached together). Fails the test, with the end of the process's stderr,
    when a step exits with an error."""
    cached = (Path(os.environ[reuse.CACHE_ENV]) / "backend-runs" / f"{_key(steps)}.json"
              if reuse.enabled() else None)
    if cached is not None and cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    printed = []
    for code, backend in steps:
        python = sys.executable if backend == "tensorflow" else keras_envs.backend_env(backend, "claims")
        result = subprocess.run([str(python), "-c", code], cwd=cwd, env=keras_envs.quiet_env(KERAS_BACKEND=backend),
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"the code failed on {backend}:\n{result.stderr[-3000:]}"
        printed.append(result.stdout.splitlines())
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(printed), encoding="utf-8")
    return printed
