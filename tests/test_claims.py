"""Statements about Keras are backed by a run (tools/claims.py): every claim id on a page has
a claim check or a shown block, every check is stated somewhere, both languages state the
same claims, and source links name the pinned Keras. The checks themselves live in
tests/claims/ and run with the rest of the suite."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tools import claims, site_config

SITE = site_config.site()


def test_every_claim_is_backed_and_every_check_is_stated():
    problems = claims.problems(SITE)
    assert not problems, "\n".join(problems)


def test_source_links_name_the_pinned_keras():
    keras_source = Path(importlib.util.find_spec("keras").origin).parent
    problems = claims.source_link_problems(SITE, keras_source)
    assert not problems, "\n".join(problems)


def test_the_site_states_claims():
    ids = {c.id for c in claims.all_claims(SITE)[0]}
    checks = {c.id for c in claims.checks(SITE.root)}
    assert len(ids) >= 200, f"only {len(ids)} claim ids on the site"
    assert checks <= ids


# A throwaway project: one page in two languages, its claims file, and a stand-in library
# ("fakekeras") whose behaviour a claim states, so an upgrade can be simulated.
CONFIG = """\
site_name: Fixture
docs_dir: docs
nav:
  - Home: index.md
  - Building blocks:
      - Losses: building-blocks/losses.md
plugins:
  - i18n:
      docs_structure: folder
      languages:
        - locale: en
          default: true
        - locale: es
markdown_extensions:
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
"""
PAGE_EN = """\
# Losses

The default delta is 1.0. <!-- claim: default-delta -->

```python
--8<-- "snippets/building_blocks/losses.py:show"
```

<!--pytest-codeblocks:expected-output-->
```text
2
```

It prints two. <!-- claim: prints-two shown: show -->
"""
PAGE_ES = PAGE_EN.replace("The default delta is 1.0.", "El delta por defecto es 1.0.").replace(
    "It prints two.", "Imprime dos.")
CHECK = '''\
import pytest
import fakekeras


@pytest.mark.claim("default-delta")
def test_default_delta():
    assert fakekeras.DEFAULT_DELTA == 1.0
'''


def fixture_project(root: Path, page_en=PAGE_EN, page_es=PAGE_ES, check=CHECK) -> Path:
    files = {
        "mkdocs.yml": CONFIG,
        "requirements.txt": "keras==3.15.1\n",
        "docs/en/building-blocks/losses.md": page_en,
        "docs/es/building-blocks/losses.md": page_es,
        "snippets/building_blocks/losses.py": "# --8<-- [start:show]\nprint(2)\n# --8<-- [end:show]\n",
        "tests/claims/__init__.py": "",
        "tests/claims/building_blocks/__init__.py": "",
        "tests/claims/building_blocks/test_losses.py": check,
        "lib/fakekeras.py": "DEFAULT_DELTA = 1.0\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def problems_of(root: Path) -> str:
    return "\n".join(claims.problems(site_config.load(root)))


def test_a_consistent_fixture_has_no_problems(tmp_path):
    assert problems_of(fixture_project(tmp_path)) == ""


def test_a_claim_without_a_check_is_named(tmp_path):
    root = fixture_project(tmp_path, check=CHECK.replace('"default-delta"', '"other-id"'))
    found = problems_of(root)
    assert "docs/en/building-blocks/losses.md:3: claim 'default-delta' has no check" in found
    assert "docs/es/building-blocks/losses.md:3: claim 'default-delta' has no check" in found
    assert "tests/claims/building_blocks/test_losses.py:5: claim check 'other-id' is not stated on any page" in found


def test_a_claim_in_one_language_only_is_named(tmp_path):
    root = fixture_project(tmp_path, page_es=PAGE_ES.replace(" <!-- claim: default-delta -->", ""))
    assert ("docs/en/building-blocks/losses.md:3: claim 'default-delta' appears 1 time(s) in "
            "docs/en/building-blocks/losses.md and 0 in docs/es/building-blocks/losses.md") in problems_of(root)


def test_a_shown_claim_needs_a_block_with_output(tmp_path):
    page = PAGE_EN.replace("<!--pytest-codeblocks:expected-output-->\n```text\n2\n```\n", "")
    root = fixture_project(tmp_path, page_en=page, page_es=page)
    assert "docs/en/building-blocks/losses.md:10: claim 'prints-two' is shown by section 'show', but no block" in problems_of(root)
    page = PAGE_EN.replace("shown: show", "shown: missing")
    root = fixture_project(tmp_path, page_en=page, page_es=page)
    assert "claim 'prints-two' is shown by section 'missing', but this page includes no such section" in problems_of(root)


def test_a_malformed_marker_is_named(tmp_path):
    page = PAGE_EN.replace("<!-- claim: default-delta -->", "<!-- claim: Default Delta -->")
    root = fixture_project(tmp_path, page_en=page, page_es=page)
    assert "docs/en/building-blocks/losses.md:3: a claim marker is malformed" in problems_of(root)


def test_a_source_link_at_another_tag_is_named(tmp_path):
    link = "[source](https://github.com/keras-team/keras/blob/v3.14.0/keras/src/losses/loss.py#L10)"
    root = fixture_project(tmp_path, page_en=PAGE_EN + link + "\n", page_es=PAGE_ES + link + "\n")
    found = claims.source_link_problems(site_config.load(root))
    assert found and found[0].startswith("docs/en/building-blocks/losses.md:15: links the Keras source at v3.14.0")


def run_claim_checks(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root / "lib"), str(site_config.ROOT)]))
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.harness.claim_checks", "-p", "no:cacheprovider",
         "-q", "--rootdir", str(root), "-c", os.devnull, str(root / "tests" / "claims")],
        cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_an_upgrade_that_changes_a_behaviour_fails_naming_page_and_claim(tmp_path):
    root = fixture_project(tmp_path)
    before = run_claim_checks(root)
    assert before.returncode == 0, before.stdout + before.stderr
    (root / "lib" / "fakekeras.py").write_text("DEFAULT_DELTA = 0.5  # the new release\n")
    after = run_claim_checks(root)
    assert after.returncode == 1, after.stdout + after.stderr
    assert ("claim 'default-delta' no longer holds on the installed versions; it is stated at "
            "docs/en/building-blocks/losses.md:3, docs/es/building-blocks/losses.md:3") in after.stdout, after.stdout
