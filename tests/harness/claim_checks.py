"""Pytest plugin: a failing claim check says which statements of which pages it backs, so an
upgrade that changes a behaviour lists the sentences to rewrite, not just a test name.
(Locally, a claim check that passed is reused while nothing it read has changed:
tests/harness/reuse.py.)"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tools import claims, site_config


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "claim(*ids): this test backs the statements marked <!-- claim: id --> on the pages")


@functools.cache
def _claims_by_id(root: str) -> dict[str, list[claims.Claim]]:
    found, _ = claims.all_claims(site_config.load(Path(root)))
    by_id: dict[str, list[claims.Claim]] = {}
    for claim in found:
        by_id.setdefault(claim.id, []).append(claim)
    return by_id


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("claim")
    if marker is None or not report.failed or call.when != "call":
        return
    stated = _claims_by_id(str(item.config.rootpath))
    lines = []
    for ident in marker.args:
        places = stated.get(ident, [])
        where = ", ".join(c.where for c in places) or "no page"
        lines.append(f"claim '{ident}' no longer holds on the installed versions; it is stated at {where}")
    report.longrepr = "\n".join(lines) + "\n\n" + str(report.longrepr)
