"""What a piece of code read inside a folder: the files it opened for reading, the folders
it listed, and the files it handed to a subprocess, seen through Python's audit events.

    with reads.recording(root) as read:
        check()
    read  # {"docs/en/index.md", "snippets/", "./"}: paths relative to root, folders ending in "/"

Used to reuse a check's last pass while nothing it read has changed (tests/harness/reuse.py).
What it cannot see, and so a caller must name itself: files opened by C or C++ code
(TensorFlow's own file system), and what a subprocess opens once it runs. Folders the
import system lists (os.listdir) are left out: the modules a check imports are its code,
which the caller fingerprints as a whole.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Iterator

# Under the root but not the project's content: the environment, caches, compiled modules.
IGNORED = {".venv", ".cache", ".git", "__pycache__", "node_modules"}
_WRITING = os.O_WRONLY | os.O_RDWR

_active: list[tuple[Path, set[str]]] = []  # the recordings in progress, innermost last


def _relative(path, folder: bool, root: Path) -> str | None:
    """The label of what was read: a path relative to root, a folder's ending in "/". A file
    that does not exist was looked for: its folder's listing says whether it is there."""
    if isinstance(path, int) or path is None:
        return None  # a file descriptor: the file was named when it was opened
    try:
        absolute = Path(os.fsdecode(os.fspath(path)))
        if not absolute.is_absolute():
            absolute = Path.cwd() / absolute
        absolute = absolute.resolve()
        while not absolute.exists() and absolute != root:
            absolute, folder = absolute.parent, True
        relative = absolute.relative_to(root)
    except (TypeError, ValueError, OSError):
        return None
    if IGNORED & set(relative.parts):
        return None
    return (relative.as_posix() + "/" if folder else relative.as_posix()) if relative.parts else "./"


def _reads(event: str, args: tuple) -> list[tuple[object, bool]]:
    """(path, is a folder) for each thing an audit event says was read."""
    if event == "open":
        path, mode, flags = args
        reading = ("w" not in mode and "a" not in mode and "x" not in mode and "+" not in mode) \
            if isinstance(mode, str) else not (flags or 0) & _WRITING
        return [(path, False)] if reading else []
    if event == "os.scandir":  # pathlib's glob and iterdir, os.walk, glob.glob
        return [(args[0], True)]
    if event == "subprocess.Popen":
        _, arguments, _, _ = args
        if isinstance(arguments, (str, bytes, os.PathLike)):
            arguments = [arguments]
        return [(argument, False) for argument in arguments or ()
                if isinstance(argument, (str, os.PathLike)) and os.path.isfile(argument)]
    return []


_inside = threading.local()  # this thread is in _hook: what the hook itself does is not recorded


def _hook(event: str, args: tuple) -> None:
    if not _active or event not in ("open", "os.scandir", "subprocess.Popen") or getattr(_inside, "yes", False):
        return
    _inside.yes = True
    try:
        for path, folder in _reads(event, args):
            for root, read in _active:
                relative = _relative(path, folder, root)
                if relative is not None:
                    read.add(relative)
    finally:
        _inside.yes = False


_installed = False


@contextlib.contextmanager
def recording(root: Path) -> Iterator[set[str]]:
    """Collect what the code in the `with` block reads under `root` (every thread of this
    process), as paths relative to it."""
    global _installed
    if not _installed:  # an audit hook cannot be removed: one per process, idle between recordings
        sys.addaudithook(_hook)
        _installed = True
    read: set[str] = set()
    entry = (root.resolve(), read)
    _active.append(entry)
    try:
        yield read
    finally:
        _active.remove(entry)
