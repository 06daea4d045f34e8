"""Pytest plugin: each Markdown page under docs/<lang>/ becomes a test file whose items
are its Python blocks, named after the page line of their fence:

    docs/es/concepts/losses-vs-metrics.md::line 42
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import blocks as blocks_mod
from tools import site_config as config
from tools import expand, translations

from . import execute


def page_blocks(path: Path, site: config.SiteConfig | None = None) -> list[blocks_mod.Block]:
    """Expand a page and return its Python blocks; raise with page and line on any problem,
    including a Python fence that would not be executed."""
    site = site or config.site()
    shown = expand.display(path, site)
    page = expand.expand(path, site)
    found = blocks_mod.python_blocks(page, shown)
    problems = blocks_mod.unexecuted_fences(page, shown, {b.line for b in found})
    problems += blocks_mod.output_blocks_problems(found)
    if problems:
        raise blocks_mod.PageError("\n".join(problems))
    return found


def _language_and_page(file_path: Path, site: config.SiteConfig) -> tuple[str, str] | None:
    try:
        relative = file_path.resolve().relative_to(site.docs_dir)
    except ValueError:
        return None
    if file_path.suffix != ".md" or relative.parts[0] not in site.languages:
        return None
    return relative.parts[0], Path(*relative.parts[1:]).as_posix()


def pytest_collect_file(file_path: Path, parent):
    if _language_and_page(file_path, config.site()):
        return PageFile.from_parent(parent, path=file_path)
    return None


class PageFile(pytest.File):
    def collect(self):
        site = config.site()
        _, page = _language_and_page(self.path, site)
        try:
            found = page_blocks(self.path, site)
        except (expand.ExpansionError, blocks_mod.PageError) as error:
            item = PageProblem.from_parent(self, name="page")
            item.message = str(error)
            yield item
            return
        try:
            limit = execute.page_limit(translations.front_matter(self.path.read_text(encoding="utf-8")))
        except ValueError as error:
            item = PageProblem.from_parent(self, name="page")
            item.message = f"{self.path}: {error}"
            yield item
            return
        for index, block in enumerate(found):
            item = BlockItem.from_parent(self, name=f"line {block.line}")
            item.chain, item.index, item.limit = found, index, limit
            if block.skip_reason is not None:
                item.add_marker(pytest.mark.skip(reason=block.skip_reason))
            yield item


class PageProblem(pytest.Item):
    message = ""

    def runtest(self):
        raise PageFailure(self.message)

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, "page"


class BlockItem(pytest.Item):
    chain: list
    index: int
    limit: float

    def runtest(self):
        block = self.chain[self.index]
        result = execute.run_page(self.chain, limit=self.limit)[self.index]
        if execute.ALL_BLOCKS:  # read back from the junit file by tools/compat.py
            self.user_properties.append(("block_result", json.dumps(execute.outcome(block, result))))
        if result.not_run:
            raise PageFailure(f"{block.where}: not run: {result.not_run}")
        message = execute.problem(block, result, self.limit)
        if message:
            raise PageFailure(message)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, PageFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.chain[self.index].line - 1, self.name


class PageFailure(Exception):
    """A page check failed; the message already names page and line."""
