"""Pytest plugin: which tests must run on one xdist worker, read from their node ids.

    docs/en/training/callbacks.md::line 12         ┐ group "page training/callbacks.md":
    docs/es/training/callbacks.md::line 12         ┘ one kernel runs the page, then its twin
                                                     reuses the execution (same code)
    tests/test_browser.py::test_x[docs/es/training/callbacks]   ┐ group "tests/test_browser.py
    tests/test_browser.py::test_y[docs/en/training/callbacks]   ┘ training/callbacks": one walk
                                                                  through the page's versions

The tests of a file in ONE_WORKER_FILES are one group; any other test is a group of its own.
`python3 dev.py test` runs with `--dist loadscope`, and this plugin makes these groups the
scopes; tools/bench.py shards by them too, so a group is never split between CI jobs either.

Why not xdist's own `xdist_group` marks and `--dist loadgroup`: with pytest 9.2 and
pytest-xdist 3.8.0 they do nothing. xdist writes the group into `item._nodeid`, which pytest 9
no longer reads (it keeps the node id in `item._id`), so every test was its own group and a
page's blocks were spread over both workers, one waiting for the other's kernel. The node id
is all the scheduler sees (the controller collects nothing), so the groups are derived from it.
"""

from __future__ import annotations

import re

import pytest

# Files whose tests share one costly result, computed once per worker.
ONE_WORKER_FILES = {
    "tests/test_links.py": "its link checks read one parse of the built site (8 s)",
}
# A page's blocks: docs/<lang>/<page>::<block>
_PAGE_BLOCK = re.compile(r"^docs/[^/]+/(?P<page>[^:]+)::")
# A test parametrized by a page: <file>::<test>[docs/<lang>/<page>]
_PAGE_PARAM = re.compile(r"^(?P<file>[^:]+)::[^\[]+\[docs/[^/\]]+/(?P<page>[^\]]+)\]$")


def group_of(nodeid: str) -> str:
    """The group a test runs in: its page's, its file's, or its own node id."""
    file = nodeid.partition("::")[0]
    if file in ONE_WORKER_FILES:
        return file
    if match := _PAGE_BLOCK.match(nodeid):
        return "page " + match["page"]
    if match := _PAGE_PARAM.match(nodeid):
        return f"{match['file']} {match['page']}"
    return nodeid


@pytest.hookimpl(optionalhook=True)  # optional: a run without xdist (-p no:xdist) has no such hook
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PageScheduling(LoadScopeScheduling):
        """xdist's loadscope with the groups above as scopes."""

        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    # Hand the groups out in collection order, not largest first (xdist's default): the
    # tests that read the built site were put last (tests/conftest.py), so the workers run
    # the pages while the site builds in the background.
    config.option.loadscopereorder = False
    return PageScheduling(config, log)
