"""Translations: structure, version tracking, spelling, language and terminology.
Each check names the file and line it objects to; test_bad_input.py shows each failing."""

from __future__ import annotations

import os
import warnings

import pytest

from tests.harness import glossary, parity, prose_language, spelling
from tools.expand import display
from tools import site_config as config
from tools import translations

SITE = config.site()
DEFAULT = SITE.default_language
TRANSLATED = SITE.languages[1:]
PAIRS = [
    (SITE.docs_dir / DEFAULT / page.relative_to(SITE.docs_dir / lang), page)
    for lang in TRANSLATED for page in SITE.pages(lang)
]
ALL_PAGES = [page for lang in SITE.languages for page in SITE.pages(lang)]


def ids(pages):
    return [p.relative_to(SITE.root).as_posix() for p in pages]


def language_option(lang: str, key: str):
    """A per-language setting from the language's `extra:` block in mkdocs.yml."""
    for entry in SITE._i18n()["languages"]:
        if entry["locale"] == lang:
            return ((entry.get("extra") or {}).get("checks") or {}).get(key)
    return None


@pytest.mark.parametrize("source,translation", PAIRS, ids=ids([t for _, t in PAIRS]))
def test_admonitions_links_and_images_match_english(source, translation):
    if not source.exists():
        pytest.fail(f"{display(translation, SITE)} has no English page", pytrace=False)
    problems = parity.compare_structure(source, translation, SITE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", ALL_PAGES, ids=ids(ALL_PAGES))
def test_every_code_annotation_is_explained(page):
    problems = parity.annotation_problems(page, SITE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source,translation", PAIRS, ids=ids([t for _, t in PAIRS]))
def test_translation_records_its_english_version(source, translation):
    lang, *rest = translation.relative_to(SITE.docs_dir).parts
    status = translations.page_status(SITE, lang, "/".join(rest))
    assert status.state not in (translations.UNTRACKED, translations.UNKNOWN), (
        f"{status.path}: {status.state}; run `python3 dev.py translations --mark {status.path}` "
        "after translating the current English page")
    if status.state == translations.OUTDATED:
        # Allowed: readers see a notice and the status page lists it. Said here too.
        warnings.warn(f"{status.path} is behind its English page:\n{status.diff}")


def _spelling_dictionary(lang: str) -> str:
    dictionary = language_option(lang, "hunspell")
    assert dictionary, f"mkdocs.yml: language {lang} needs extra.checks.hunspell (e.g. es_ES)"
    missing = spelling.hunspell_available(dictionary)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the spell check, but {missing} is not installed", pytrace=False)
        pytest.skip(f"spell check skipped: {missing} is not installed (.ci/run installs it)")
    return dictionary


TRANSLATED_PAGES = [p for p in ALL_PAGES if p.relative_to(SITE.docs_dir).parts[0] != DEFAULT]


def _lang(page):
    return page.relative_to(SITE.docs_dir).parts[0]


@pytest.mark.parametrize("page", TRANSLATED_PAGES, ids=ids(TRANSLATED_PAGES))
def test_translated_spelling(page):
    lang = _lang(page)
    dictionary = _spelling_dictionary(lang)
    terms = glossary.terms(glossary.glossary_path(SITE, lang))
    words = spelling.project_words(SITE, lang, [w for t in terms for w in (t.english, t.translation, *t.avoid)])
    problems = spelling.page_problems(page, display(page, SITE), dictionary, words)
    assert not problems, "\n".join(problems)


def test_english_spelling():
    paths = [SITE.docs_dir / DEFAULT, SITE.root / "snippets", SITE.root / "README.md",
             SITE.root / "CONTRIBUTING.md", SITE.root / "tests", SITE.root / "tools", SITE.root / "hooks"]
    problems = spelling.codespell([p for p in paths if p.exists()], SITE.root)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", TRANSLATED_PAGES, ids=ids(TRANSLATED_PAGES))
def test_translated_prose_is_not_english(page):
    terms = [t.english for t in glossary.terms(glossary.glossary_path(SITE, _lang(page)))]
    problems = prose_language.english_paragraphs(page, display(page, SITE), terms)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_glossary_has_one_term_per_concept(lang):
    path = glossary.glossary_path(SITE, lang)
    assert glossary.terms(path), f"{display(path, SITE)}: no glossary table found"
    problems = glossary.glossary_problems(path, display(path, SITE))
    assert not problems, "\n".join(problems)


# The glossary itself lists the terms to avoid, so it is not checked for them.
NOT_GLOSSARY = [p for p in TRANSLATED_PAGES if p != glossary.glossary_path(SITE, _lang(p))]


@pytest.mark.parametrize("page", NOT_GLOSSARY, ids=ids(NOT_GLOSSARY))
def test_translated_pages_use_glossary_terms(page):
    path = glossary.glossary_path(SITE, _lang(page))
    problems = glossary.usage_problems(page, glossary.terms(path), display(page, SITE))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", NOT_GLOSSARY, ids=ids(NOT_GLOSSARY))
def test_glossary_terms_keep_one_meaning(page):
    """A glossary term is not used in a second, everyday meaning that a reader would confuse
    with the defined one («época del libro», «de otra forma»); see glossary.SENSE_RULES."""
    problems = glossary.sense_problems(page, _lang(page), display(page, SITE))
    assert not problems, "\n".join(problems)


def test_marking_a_page_not_named_by_its_path_under_docs_says_how_to_name_it():
    page = SITE.pages(TRANSLATED[0])[0].relative_to(SITE.docs_dir / TRANSLATED[0])  # no docs/<lang>/
    with pytest.raises(SystemExit, match=r"not a translated page; name it as docs/<lang>/<page>\.md"):
        translations.mark(SITE, page)
