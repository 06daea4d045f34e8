"""Pages as Jupyter notebooks: generate one from a page, and execute notebooks.

A page's notebook is made from the page as readers see it (snippet includes expanded):
its prose becomes Markdown cells, each Python block becomes one code cell with exactly the
block's code, and the expected-output blocks are left out (running the notebook produces
them). The tests execute these same code cells, so a page test is a notebook test.

Execution happens in a fresh Jupyter kernel and is cached by the code alone (plus the
pinned requirements): the English and Spanish notebooks of a page share one run, and the
build and the tests share it too when they point KERAS_HOOKS_NOTEBOOK_CACHE at one folder.
With KERAS_HOOKS_KERNEL_POOL=1 (opt-in; conftest.py says why) the kernel for the next page is started,
Keras and TensorFlow imported, while the current page runs; each kernel still runs one page
only. With KERAS_HOOKS_TIMINGS set, each execution appends its timings there (tools/bench.py).
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import fcntl
import hashlib
import json
import os
import posixpath
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import bench, expand, page_text, site_config
from tools.translations import FRONT_MATTER

ADMONITION = re.compile(r"^(?P<indent>\s*)(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+\"(?P<title>[^\"]*)\")?\s*$")
TAB = re.compile(r"^(?P<indent>\s*)===\+?\s+\"(?P<title>[^\"]*)\"\s*$")
FENCE = re.compile(r"^(?P<mark>`{3,}|~{3,})(?P<info>.*)$")
COMMENT = re.compile(r"<!--.*?-->", re.S)
ATTRIBUTES = re.compile(r"\s*\{[^}]*#[^}]*\}\s*$")
LINK = re.compile(r"(!?\[[^\]]*\])\((?P<target>[^)\s]+)\)")
EXPECTED_OUTPUT = page_text.EXPECTED_OUTPUT
SKIP = re.compile(r"<!--\s*pytest\.mark\.skip\(.*\)\s*-->", re.S)
# A block written for JAX or PyTorch (tests/harness/blocks.py): the notebook runs on
# TensorFlow, as Colab does, so it shows that block as text, like a not-runnable one.
OTHER_BACKEND = re.compile(r"""<!--\s*pytest\.mark\.backend\(\s*["'](?!tensorflow["'])[^"']*["']\s*\)\s*-->""")
NOT_RUNNABLE = "<!--not-runnable-->"

# TensorFlow's C++ logging reaches the kernel's stderr; it is noise in a notebook.
TF_NOISE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)|[IWE]\d{4} )")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Run before a page's first cell (not part of the notebook). Each cell's CPU time is
# recorded (a busy machine does not make a block look slow), tracebacks are plain (IPython's
# rich ones of Keras errors take seconds), and TensorFlow logs to stderr as in a script: in a
# kernel it logs to stdout, and outputs on the pages are what scripts print.
SETUP_TIMING = """\
import time as _kh_time
_kh_cpu = []
def _kh_start(*_):
    _kh_cpu.append(-_kh_time.process_time())
def _kh_stop(*_):
    if _kh_cpu:
        _kh_cpu[-1] += _kh_time.process_time()
get_ipython().events.register("pre_run_cell", _kh_start)
get_ipython().events.register("post_run_cell", _kh_stop)
get_ipython().run_line_magic("xmode", "Plain")
"""
# The last cell: the cells' CPU times, then the Keras and TensorFlow versions that ran them.
READ_TIMING = """\
import json as _kh_json, importlib.metadata as _kh_meta
def _kh_version(name):
    try:
        return _kh_meta.version(name)
    except _kh_meta.PackageNotFoundError:
        return None
print(_kh_json.dumps(_kh_cpu))
print(_kh_json.dumps({_kh_n: _kh_version(_kh_n) for _kh_n in ("keras", "tensorflow")}))
"""
SETUP = """\
import sys
import keras
import tensorflow as tf
for handler in tf.get_logger().handlers:
    handler.setStream(sys.stderr)
"""


# --- page -> notebook ----------------------------------------------------------------

def _flatten_containers(lines: list[str]) -> list[str]:
    """Admonitions and content tabs become a bold title followed by their body, dedented:
    Jupyter's Markdown has neither, and code inside them must become code cells."""
    out, stack = [], []  # stack: indents of the open containers
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if line.strip():
            while stack and indent <= stack[-1]:
                stack.pop()
        depth = 4 * len(stack)
        text = line[depth:] if line[:depth].strip() == "" else line.lstrip()
        header = ADMONITION.match(text) or TAB.match(text)
        if header:
            title = header.group("title")
            out.append(f"**{title}**" if title else "")
            out.append("")
            stack.append(indent)
        else:
            out.append(text)
    return out


def _rewrite_links(line: str, page_url: str, source_dir: str, site_url: str | None) -> str:
    """Links and images written relative to the page's Markdown file, made to work from
    the notebook: absolute URLs of the published site (a downloaded or Colab notebook), or
    URLs relative to the page's address (a notebook rendered on the site itself)."""
    def replace(m: re.Match) -> str:
        target = m.group("target")
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return m.group(0)
        path, _, anchor = target.partition("#")
        if path.endswith(".md"):
            path = path[:-3]
            path = path[:-5] if path.endswith("index") else path + "/"
        # Markdown links are relative to the folder of the source file (its site path).
        absolute = posixpath.normpath(posixpath.join(source_dir, path)) + ("/" if path.endswith("/") else "")
        url = (site_url.rstrip("/") + absolute) if site_url else posixpath.relpath(absolute, "/" + page_url) + (
            "/" if absolute.endswith("/") else "")
        return f"{m.group(1)}({url}{'#' + anchor if anchor else ''})"
    return LINK.sub(replace, line)


def page_to_notebook(page: Path, site: site_config.SiteConfig, header: str = "",
                     absolute_links: bool = True) -> nbformat.NotebookNode:
    """The notebook of a page; `header` (Markdown) becomes its first cell. Links point at
    the published site, or stay relative for a notebook shown on the site itself."""
    expanded = expand.expand(page, site)
    lang, *rest = page.resolve().relative_to(site.docs_dir).parts
    relative = "/".join(rest)
    page_url = site.page_url(lang, relative)
    site_url = site.raw.get("site_url", "/") if absolute_links else None
    prefix = "" if lang == site.default_language else f"/{lang}"
    source_dir = posixpath.normpath(f"{prefix}/{posixpath.dirname(relative)}")
    text = FRONT_MATTER.sub("", expanded.text, count=1)
    text = COMMENT.sub(lambda m: m.group(0) if m.group(0) == EXPECTED_OUTPUT
                       else NOT_RUNNABLE if SKIP.fullmatch(m.group(0)) or OTHER_BACKEND.fullmatch(m.group(0))
                       else "", text)
    lines = _flatten_containers(text.splitlines())

    cells: list = []
    markdown: list[str] = [header, ""] if header else []
    skip_output = False
    not_runnable = False  # the next Python block is marked not runnable: show it, as text
    index = 0

    def flush():
        body = "\n".join(markdown).strip("\n")
        if body.strip():
            cells.append(nbformat.v4.new_markdown_cell(body))
        markdown.clear()

    while index < len(lines):
        line = lines[index]
        if line.strip() == EXPECTED_OUTPUT:
            skip_output = True
            index += 1
            continue
        if line.strip() == NOT_RUNNABLE:
            not_runnable = True
            index += 1
            continue
        fence = FENCE.match(line)
        if fence:
            mark, info = fence.group("mark"), fence.group("info").strip()
            end = index + 1
            while end < len(lines) and not (lines[end].startswith(mark[0] * len(mark)) and not lines[end].strip(mark[0]).strip()):
                end += 1
            body = lines[index + 1:end]
            if skip_output:
                skip_output = False
            elif info == "python" and not_runnable:
                not_runnable = False
                markdown.extend(lines[index:end + 1])
            elif info == "python":
                flush()
                cells.append(nbformat.v4.new_code_cell("\n".join(body) + "\n"))
            else:
                markdown.extend(lines[index:end + 1])
            index = end + 1
            continue
        if line.strip():
            skip_output = False
        if line.startswith("#") and (anchor := ATTRIBUTES.search(line)):
            # Keep the page's anchor, so links to a section of this page still work.
            explicit = re.search(r"#([\w-]+)", anchor.group(0))
            line = line[:anchor.start()] + (f' <a id="{explicit.group(1)}"></a>' if explicit else "")
        markdown.append(_rewrite_links(line, page_url, source_dir, site_url))
        index += 1
    flush()
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    return notebook


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


# --- execution -------------------------------------------------------------------------

def cache_dir(root: Path) -> Path:
    configured = os.environ.get("KERAS_HOOKS_NOTEBOOK_CACHE")
    return Path(configured) if configured else root / ".cache" / "notebooks"


def _key(codes: list[str], root: Path, backend: str | None = None) -> str:
    digest = hashlib.sha256()
    if backend:
        digest.update(f"backend {backend}\0".encode())
    requirements = root / "requirements.txt"
    digest.update(requirements.read_bytes() if requirements.exists() else b"")
    for code in codes:
        digest.update(b"\0" + code.encode("utf-8"))
    return digest.hexdigest()[:24]


def _clean(outputs: list) -> list:
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines = [l for l in output["text"].splitlines(True) if not TF_NOISE.match(l)]
            if not "".join(lines).strip():
                continue
            output = copy.deepcopy(output)
            output["text"] = "".join(lines)
        kept.append(output)
    return kept


def run_code(codes: list[str], root: Path, timeout: int = 300, backend: str | None = None) -> list[dict]:
    """Execute code cells in order in one fresh kernel; for each: outputs and seconds.
    Cached by the code; concurrent callers with the same code wait for one run. With
    `backend`, the kernel is one of that Keras backend (tools/keras_envs.py; its
    environment is made on first use) instead of this Python's."""
    folder = cache_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    key = _key(codes, root, backend)
    record = folder / f"{key}.json"
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            km = _backend_kernel(backend, folder) if backend else None
            record.write_text(json.dumps(_execute(codes, timeout, folder / "kernels.log", km)), encoding="utf-8")
        else:
            os.utime(record)  # used by this run: a CI cache keeps what its last run used
    data = json.loads(record.read_text(encoding="utf-8"))
    # A record is {"cells": [...], "tested": {...}}; records written before the stamp
    # existed are the bare list of cells.
    return data["cells"] if isinstance(data, dict) else data


def tested(codes: list[str], root: Path, execute: bool = False) -> dict | None:
    """What ran these cells: {"keras", "tensorflow", "date"} from their cached run, or None
    when there is no run recorded (with `execute`, run them first)."""
    record = cache_dir(root) / f"{_key(codes, root)}.json"
    if not record.exists():
        if not execute:
            return None
        run_code(codes, root)
    data = json.loads(record.read_text(encoding="utf-8"))
    return data.get("tested") if isinstance(data, dict) else None


def pinned(root: Path) -> dict:
    """The Keras and TensorFlow versions requirements.txt pins (installed ones without it)."""
    requirements = root / "requirements.txt"
    if not requirements.exists():
        from importlib.metadata import version
        return {name: version(name) for name in ("keras", "tensorflow")}
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower() in ("keras", "tensorflow") and version:
            found[name.strip().lower()] = version.strip()
    return found


_page_tested: dict = {}


def page_tested(page: Path, site: site_config.SiteConfig) -> dict | None:
    """`tested` for a page's blocks (None when it has none, or they have not run). With
    KERAS_HOOKS_STAMP_EXECUTE=1 (the publishing workflow) a page not run yet is run."""
    key = (str(page), page.stat().st_mtime_ns)
    if key not in _page_tested:
        codes = code_cells(page_to_notebook(page, site))
        execute = os.environ.get("KERAS_HOOKS_STAMP_EXECUTE") == "1"
        _page_tested[key] = tested(codes, site.root, execute) if codes else None
    return _page_tested[key]


VERSION_CHECK = """\
# {comment}
from importlib.metadata import PackageNotFoundError, version

TESTED = {tested!r}


def installed(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return None


found = {{name: installed(name) for name in TESTED}}
if found == TESTED:
    print({same!r}.format(**found))
else:
    print({differs!r}.format(**{{k: v or "-" for k, v in found.items()}}))
    print("%pip install " + " ".join(f"{{name}}=={{v}}" for name, v in TESTED.items()))
"""


def version_check_cells(tested: dict, texts: dict, header: str = "") -> list:
    """The first cells of a published notebook: a Markdown cell (`header`, then the tested
    versions) and a code cell that compares them with the runtime's and says what to
    install. `texts` is extra.stamp of the notebook's language."""
    versions = {"keras": tested["keras"], "tensorflow": tested["tensorflow"]}
    intro = (header + "\n\n" if header else "") + texts["check"].format(**versions)
    code = VERSION_CHECK.format(comment=texts["check_comment"], tested=versions,
                                same=texts["check_same"], differs=texts["check_differs"])
    return [nbformat.v4.new_markdown_cell(intro), nbformat.v4.new_code_cell(code)]


def _kernel_env() -> dict:
    return dict(os.environ,
                MPLBACKEND="module://matplotlib_inline.backend_inline",  # figures as outputs
                TF_CPP_MIN_LOG_LEVEL="2",
                # One core per page, as the examples promise, and no fight between pages
                # running side by side.
                TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1")


# Jupyter's default for nbclient: no history file in the kernel.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


class _Warm:
    """A kernel started ahead of time, with Keras and TensorFlow imported (SETUP), in its
    own empty folder. It is handed to one page and shut down after it: never reused."""

    def __init__(self, log: Path):
        self.workdir = tempfile.mkdtemp(prefix="keras-hooks-nb-")
        self.log = open(log, "a", encoding="utf-8")
        self.km = None
        self.error: BaseException | None = None
        self.start_wall = self.setup_wall = 0.0
        self.thread = threading.Thread(target=self._start, name="warm-kernel", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        try:
            asyncio.run(self._astart())
        except BaseException as error:  # reported to the page that takes this kernel
            self.error = error

    async def _astart(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        started = time.perf_counter()
        self.km = AsyncKernelManager(kernel_name="python3")
        await self.km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, env=_kernel_env(),
                                   cwd=self.workdir, stderr=self.log)
        client = self.km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=120)
            self.start_wall = time.perf_counter() - started
            started = time.perf_counter()
            reply = await client.execute_interactive(SETUP, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"importing Keras in a pre-started kernel failed: {reply['content']}")
            self.setup_wall = time.perf_counter() - started
        finally:
            client.stop_channels()

    def shutdown(self) -> None:
        self.thread.join()
        if self.km is not None and self.km.has_kernel:
            # On a thread of its own: asyncio.run would unset the caller's event loop.
            stop = threading.Thread(target=lambda: asyncio.run(self.km.shutdown_kernel(now=True)))
            stop.start()
            stop.join()
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


_warm: _Warm | None = None


def _pooled() -> bool:
    """KERAS_HOOKS_KERNEL_POOL=1 (opt-in): start the next page's kernel, with
    TensorFlow imported, while the current page runs."""
    return os.environ.get("KERAS_HOOKS_KERNEL_POOL") == "1"


def shutdown_warm() -> None:
    """Stop the kernel started for a next page that never came (end of a test run)."""
    global _warm
    if _warm is not None:
        _warm, spare = None, _warm
        spare.shutdown()


def _take_warm(log: Path) -> tuple[_Warm, float]:
    """The pre-started kernel (waiting for it if need be), and the next one set going."""
    global _warm
    if _warm is None:
        _warm = _Warm(log)
        atexit.register(shutdown_warm)
    taken, waited = _warm, time.perf_counter()
    taken.thread.join()
    waited = time.perf_counter() - waited
    _warm = _Warm(log)
    if taken.error is not None:
        taken.shutdown()
        raise taken.error
    return taken, waited


def _backend_kernel(backend: str, folder: Path):
    """A kernel manager (not started) for a kernel of `backend`: the project's Python for
    TensorFlow, the backend's environment for JAX and PyTorch."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from tools import keras_envs

    python = keras_envs.MAIN_PYTHON if backend == "tensorflow" else keras_envs.backend_env(backend, "tests")
    spec = folder / "kernels" / f"keras-hooks-{backend}"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Keras on {backend}", "language": "python",
        "env": {"KERAS_BACKEND": backend}}), encoding="utf-8")
    return KernelManager(kernel_name=spec.name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)]))


def _execute(codes: list[str], timeout: int, log: Path, km=None) -> list[dict]:
    # The kernel imports Keras before the first cell (when the code uses it), so no cell
    # is charged for TensorFlow's start-up; the last cell reads the cells' CPU times.
    uses_keras = any(re.search(r"\b(keras|tensorflow)\b", code) for code in codes)
    warm, waited = _take_warm(log) if uses_keras and _pooled() and km is None else (None, 0.0)
    setup = SETUP_TIMING + (SETUP if uses_keras and warm is None else "")
    cells = [setup, *codes, READ_TIMING]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    started, client = time.perf_counter(), None
    try:
        with tempfile.TemporaryDirectory(prefix="keras-hooks-nb-") as workdir:
            client = NotebookClient(notebook, km=warm.km if warm else km, timeout=timeout,
                                    kernel_name="python3", allow_errors=True,
                                    resources={"metadata": {"path": warm.workdir if warm else workdir}})
            # The kernel process's own stderr (TensorFlow's C++ start-up lines, CUDA probes,
            # Jupyter's transport notice) goes to a log file next to the cache instead of the
            # terminal of `mkdocs serve` or pytest, where it looked like failures. What the
            # cells print is not affected: it reaches the notebook through the kernel protocol.
            with open(log, "a", encoding="utf-8") as stderr:
                client.execute(env={**_kernel_env(), **(km.kernel_spec.env if km else {})}, stderr=stderr)
    finally:
        if warm is not None:
            if client is not None and client.kc is not None:
                client.kc.stop_channels()
            warm.shutdown()  # a kernel serves one page only
    total = time.perf_counter() - started
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs
                      if o.get("output_type") == "stream" and o.get("name") == "stdout").splitlines()
    seconds = json.loads(printed[0]) if printed else []
    versions = json.loads(printed[1]) if len(printed) > 1 else {}
    _record(notebook, seconds, total, warm, waited)
    # Timing starts after the setup cell: seconds[i] belongs to code cell i.
    cells = [{"outputs": _clean(cell.outputs), "seconds": seconds[i] if i < len(seconds) else 0.0}
             for i, cell in enumerate(notebook.cells[1:-1])]
    from datetime import datetime, timezone
    return {"cells": cells, "tested": {**versions, "date": datetime.now(timezone.utc).date().isoformat()}}


def _record(notebook, seconds: list[float], total: float, warm: _Warm | None, waited: float) -> None:
    """Timings for `python3 dev.py bench` (tools/bench.py); nothing unless it asked."""
    def wall(cell) -> float:
        meta = cell.get("metadata", {}).get("execution", {})
        try:
            from datetime import datetime
            begin, end = meta["iopub.execute_input"], meta["shell.execute_reply"]
            return (datetime.fromisoformat(end.replace("Z", "+00:00"))
                    - datetime.fromisoformat(begin.replace("Z", "+00:00"))).total_seconds()
        except (KeyError, ValueError):
            return 0.0
    cells = notebook.cells
    setup_wall = warm.setup_wall if warm else wall(cells[0])
    bench.record("kernel", pooled=warm is not None, cells=len(cells) - 2,
                 start_wall=warm.start_wall if warm else max(0.0, total - sum(wall(c) for c in cells)),
                 setup_wall=setup_wall, wait_wall=waited, cells_cpu=sum(seconds[:len(cells) - 2]),
                 cells_wall=sum(wall(c) for c in cells[1:-1]), total_wall=total + waited)


def executed(notebook: nbformat.NotebookNode, root: Path) -> nbformat.NotebookNode:
    """A copy of the notebook with the outputs of its (cached) execution."""
    result = copy.deepcopy(notebook)
    runs = iter(run_code(code_cells(notebook), root))
    for count, cell in enumerate((c for c in result.cells if c.cell_type == "code"), start=1):
        run = next(runs)
        cell.outputs = [nbformat.from_dict(o) for o in run["outputs"]]
        cell.execution_count = count
    return result


def stdout_and_error(outputs: list[dict]) -> tuple[str, str | None]:
    """What a reader sees printed (stdout, then `Name: message` for an error) and the
    error's traceback, from one cell's outputs."""
    text, trace = "", None
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            text += output["text"]
        elif output.get("output_type") == "error":
            text += f"{output['ename']}: {output['evalue']}\n" if output["evalue"] else f"{output['ename']}\n"
            trace = ANSI.sub("", "\n".join(output.get("traceback", [])))
    return text, trace
