"""tools/site_config.py reads mkdocs.yml once per content and environment: a hook asks on
every page, and an edit while `serve` runs, or another `!ENV` value, is read again."""

from __future__ import annotations

import shutil

from tools import site_config


def project(tmp_path):
    shutil.copy(site_config.ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_an_edited_file_is_read_again(tmp_path):
    root = project(tmp_path)
    assert site_config.load(root).raw["site_name"] == "Keras Hooks"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("site_name: Keras Hooks", "site_name: Edited", 1), encoding="utf-8")
    assert site_config.load(root).raw["site_name"] == "Edited"


def test_the_environment_is_part_of_what_was_read(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.setenv("KERAS_HOOKS_SITE_URL", "https://one.example/")
    assert site_config.load(root).raw["site_url"] == "https://one.example/"
    monkeypatch.setenv("KERAS_HOOKS_SITE_URL", "https://two.example/")
    assert site_config.load(root).raw["site_url"] == "https://two.example/"


def test_each_caller_gets_its_own_copy(tmp_path):
    root = project(tmp_path)
    first = site_config.load(root)
    first.raw["extra"]["changed by a caller"] = True
    first.raw["plugins"].clear()
    again = site_config.load(root)
    assert "changed by a caller" not in again.raw["extra"] and again.raw["plugins"]
