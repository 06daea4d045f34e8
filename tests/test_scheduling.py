"""tests/harness/scheduling.py: a page's tests, both languages, run on one xdist worker."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

from tests.harness.scheduling import group_of
from tests.test_browser import PAGE_PARAMS
from tools import compat
from tools import site_config as config


def test_a_page_and_its_twin_are_one_group():
    assert group_of("docs/en/training/callbacks.md::line 12") == "page training/callbacks.md"
    assert group_of("docs/es/training/callbacks.md::line 40") == "page training/callbacks.md"
    assert group_of("docs/es/training/callbacks.md::page") == "page training/callbacks.md"
    assert group_of("docs/en/training/schedules.md::line 12") != group_of("docs/en/training/callbacks.md::line 12")


def test_the_browser_tests_of_a_page_are_one_group():
    ids: dict[str, list[str]] = {}
    for param in PAGE_PARAMS:
        lang, page = param.values
        ids.setdefault(page, []).append(param.id)
    first, second = sorted(ids)[:2]
    assert len(ids[first]) == len(config.site().languages)
    groups = {group_of(f"tests/test_browser.py::{name}[{id}]")
              for name in ("test_loads", "test_axe") for id in ids[first]}
    assert len(groups) == 1, groups
    assert group_of(f"tests/test_browser.py::test_loads[{ids[second][0]}]") not in groups


def test_any_other_test_is_a_group_of_its_own():
    for nodeid in ("tests/test_browser.py::test_colour_scheme_toggle[en]",
                   "tests/test_snippets.py::test_module_runs_as_a_script[snippets/a/b.py]",
                   "tests/test_site.py::test_strict_build"):
        assert group_of(nodeid) == nodeid


def test_the_link_checks_share_one_parse_of_the_site():
    assert group_of("tests/test_links.py::test_internal_links_and_anchors_resolve") == \
        group_of("tests/test_links.py::test_alt_texts_are_translated[es]") == "tests/test_links.py"


def _workers(tmp_path, files: dict[str, str], *args: str) -> dict[str, set[str]]:
    """Run the test files on two xdist workers with these arguments; {test id in brackets,
    or file name: the workers that ran it}."""
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the project's settings
    env = dict(os.environ, PYTHONPATH=str(config.ROOT))
    run = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-n", "2", *args,
                          "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stdout[-2000:]
    workers: dict[str, set[str]] = {}
    for worker, file, param in re.findall(r"\[(gw\d+)\].*?PASSED (\S+?)\.py::\w+(?:\[(\S+)\])?", run.stdout):
        workers.setdefault(param or file, set()).add(worker)
    assert workers, run.stdout[-2000:]
    return workers


def test_two_workers_run_each_page_whole(tmp_path):
    """The plugin with `--dist loadscope`, as `dev.py test` runs it: two pages of four tests
    (two per language) on two workers; each page stays on one, and both workers work."""
    workers = _workers(tmp_path, {"test_pages.py": """
        import time
        import pytest

        PAGES = [f"docs/{lang}/{page}" for page in ("a", "b") for lang in ("en", "es")]

        @pytest.mark.parametrize("page", PAGES)
        def test_one(page):
            time.sleep(0.3)

        @pytest.mark.parametrize("page", PAGES)
        def test_two(page):
            time.sleep(0.3)
    """}, "-p", "tests.harness.scheduling", "--dist", "loadscope")
    pages: dict[str, set[str]] = {}
    for param, ran_on in workers.items():
        pages.setdefault(param.rsplit("/", 1)[-1], set()).update(ran_on)
    assert set(pages) == {"a", "b"}, workers
    assert all(len(w) == 1 for w in pages.values()), pages
    assert len(set.union(*pages.values())) == 2, pages


def test_backend_runs_keep_each_page_on_one_worker(tmp_path):
    """tools/compat.py's distribution (its runs have one file per page) sends all of a file's
    tests to one worker: two files of four tests each, two workers."""
    page = "import time\n" + "".join(f"def test_{i}():\n    time.sleep(0.2)\n" for i in range(4))
    workers = _workers(tmp_path, {"test_page_a.py": page, "test_page_b.py": page}, *compat.DISTRIBUTION)
    assert set(workers) == {"test_page_a", "test_page_b"}, workers
    assert all(len(w) == 1 for w in workers.values()), workers
