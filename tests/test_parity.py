"""Every page exists in every language, with the English page's code, outputs and anchors."""

from __future__ import annotations

import pytest

from tests.harness import parity
from tools import site_config as config

SITE = config.site()
PAIRS = [
    (page, SITE.docs_dir / lang / page.relative_to(SITE.docs_dir / SITE.default_language))
    for lang in SITE.languages[1:]
    for page in SITE.pages(SITE.default_language)
]


def test_every_page_exists_in_every_language():
    problems = parity.missing_pages(SITE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source,translation", PAIRS,
                         ids=[t.relative_to(SITE.root).as_posix() for _, t in PAIRS])
def test_translation_keeps_code_outputs_and_anchors(source, translation):
    if not translation.exists():
        pytest.fail(f"{translation.relative_to(SITE.root)} is missing", pytrace=False)
    problems = parity.compare(source, translation, SITE)
    assert not problems, "\n".join(problems)
