"""tools/notebooks.py's pre-started kernels: each page still gets a kernel of its own, in an
empty folder, with nothing left by an earlier page, and prints what a fresh kernel prints."""

from __future__ import annotations

import pytest

from tools import notebooks

PAGE_ONE = ["import keras\nleft_behind = 1\nopen('file_of_page_one.txt', 'w').close()\nprint(keras.ops.add(1, 2))"]
PAGE_TWO = ["import os\nimport keras\n"
            "print('left_behind' in globals(), os.listdir('.'), os.getpid())\n"
            "print(keras.ops.add(1, 2))"]


@pytest.mark.reuse_last_pass  # its kernels run code written here, with tools/notebooks.py
def test_each_page_gets_a_fresh_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOOKS_NOTEBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOOKS_KERNEL_POOL", "1")
    root = tmp_path  # no requirements.txt: the cache key is the code alone
    try:
        one = notebooks.run_code(PAGE_ONE, root)
        two = notebooks.run_code(PAGE_TWO, root)
        monkeypatch.setenv("KERAS_HOOKS_KERNEL_POOL", "0")
        monkeypatch.setenv("KERAS_HOOKS_NOTEBOOK_CACHE", str(tmp_path / "cold"))
        cold = notebooks.run_code(PAGE_TWO, root)
    finally:
        notebooks.shutdown_warm()
    assert notebooks.stdout_and_error(one[0]["outputs"]) == ("tf.Tensor(3, shape=(), dtype=int32)\n", None)
    printed, error = notebooks.stdout_and_error(two[0]["outputs"])
    assert error is None, error
    first, tensor = printed.splitlines()
    assert first.startswith("False [] "), f"the second page saw the first page's kernel or folder: {first}"
    cold_first, cold_tensor = notebooks.stdout_and_error(cold[0]["outputs"])[0].splitlines()
    assert tensor == cold_tensor == "tf.Tensor(3, shape=(), dtype=int32)"
    assert cold_first.startswith("False [] ") and cold_first != first  # another process
