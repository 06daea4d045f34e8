"""A new language costs a folder, a few configuration lines and a glossary: a throwaway
French edition with two pages builds, appears in the language menu and on the status page,
and its untranslated pages say they are shown in English."""

from __future__ import annotations

import shutil

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load

from tests.conftest import build_site
from tools import site_config as config
from tools import translations

FRENCH = {
    "locale": "fr",
    "name": "Français",
    "build": True,
    "extra": {
        "checks": {"hunspell": "fr_FR"},
        "translation": {
            "english_link": "Lire la page en anglais.",
            "outdated": {"title": "Traduction périmée", "message": "La page anglaise a changé."},
            "missing": {"title": "Pas encore traduite", "message": "Vous lisez la version anglaise."},
            "states": {"up-to-date": "à jour", "outdated": "périmée", "missing": "manquante",
                       "untracked": "sans version", "unknown-version": "version introuvable"},
            "table": {"page": "Page", "state": "État", "reviewed": "Relue",
                      "summary": "{total} pages : {current} à jour, {reviewed} relues.",
                      "changes": "Changements depuis la traduction de {page}"},
        },
    },
}


@pytest.mark.reuse_last_pass  # it builds a copy of what it reads from the repository
def test_a_third_language_needs_only_a_folder_configuration_and_glossary(tmp_path):
    root = tmp_path / "project"
    for name in ("docs", "snippets", "hooks", "overrides", "tools"):
        shutil.copytree(config.ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    # MkDocs' own loader, so `!ENV` settings (site and repository URLs) resolve as in a build.
    with open(config.ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        settings = yaml_load(handle)
    i18n = next(p["i18n"] for p in settings["plugins"] if isinstance(p, dict) and "i18n" in p)
    i18n["languages"].append(FRENCH)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")

    (root / "docs/fr").mkdir()
    (root / "docs/fr/index.md").write_text(
        "# Keras Hooks\n\nChaque point d'extension de Keras 3.\n\n"
        "## Les points d'extension { #the-hooks }\n\nBientôt traduits.\n", encoding="utf-8")
    (root / "docs/fr/reference").mkdir()
    (root / "docs/fr/reference/glossary.md").write_text(
        "# Glossaire\n\n| English | Français | À éviter | Sens |\n|---|---|---|---|\n"
        "| loss | perte | coût | Ce que l'optimiseur minimise. |\n", encoding="utf-8")
    site = config.load(root)
    for page in ("index.md", "reference/glossary.md"):
        translations.mark(site, root / "docs/fr" / page)

    result = build_site(root, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "site"

    home = BeautifulSoup((out / "fr/index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["lang"] == "fr"
    english_home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert english_home.select_one('a.md-select__link[hreflang="fr"]')["href"].endswith("fr/")

    untranslated = (out / "fr/concepts/losses-vs-metrics/index.html").read_text(encoding="utf-8")
    assert "Pas encore traduite" in untranslated and "Lire la page en anglais." in untranslated

    status = BeautifulSoup((out / "reference/translation-status/index.html").read_text(encoding="utf-8"), "html.parser")
    french = status.find(id="fr")
    assert french is not None and "Français" in french.get_text()
    rows = french.find_next("table").select("tbody tr")
    states = {row.select("td")[0].get_text(strip=True): row.select("td")[1].get_text(strip=True) for row in rows}
    assert states["Keras Hooks"] == "up to date"
    assert states["Losses vs metrics"] == "missing"
