"""tests/harness/reuse.py: a pass is reused only while every input it read is unchanged."""

from __future__ import annotations

import pytest

from tests.harness import reuse


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    monkeypatch.setenv(reuse.CACHE_ENV, str(tmp_path / "results"))
    files = tmp_path / "files"
    files.mkdir()
    (files / "page.html").write_text("<p>one</p>")
    (files / "check.py").write_text("assert True")
    return files


def locate_in(folder):
    return lambda label: folder / label


def test_a_pass_is_reused_while_its_inputs_are_unchanged(inputs):
    locate = locate_in(inputs)
    assert not reuse.still_passes("browser", "page", locate)
    reuse.passed("browser", "page", ["page.html", "check.py"], locate, {"chromium": "1"})
    assert reuse.still_passes("browser", "page", locate, {"chromium": "1"})
    assert not reuse.still_passes("browser", "another page", locate, {"chromium": "1"})


@pytest.mark.parametrize("change", ["edit a file", "edit the check", "remove a file", "another browser"])
def test_any_changed_input_runs_the_check_again(inputs, change):
    locate = locate_in(inputs)
    reuse.passed("browser", "page", ["page.html", "check.py"], locate, {"chromium": "1"})
    browser = "1"
    if change == "edit a file":
        (inputs / "page.html").write_text("<p>two</p>")
    elif change == "edit the check":
        (inputs / "check.py").write_text("assert False")
    elif change == "remove a file":
        (inputs / "page.html").unlink()
    else:
        browser = "2"
    assert not reuse.still_passes("browser", "page", locate, {"chromium": browser})


def test_nothing_is_reused_without_the_cache_folder(inputs, monkeypatch):
    locate = locate_in(inputs)
    reuse.passed("browser", "page", ["page.html"], locate)
    monkeypatch.delenv(reuse.CACHE_ENV)
    assert not reuse.still_passes("browser", "page", locate)
    reuse.passed("browser", "other", ["page.html"], locate)  # and nothing is written
    monkeypatch.setenv(reuse.CACHE_ENV, str(inputs.parent / "results"))
    assert not reuse.still_passes("browser", "other", locate)


def test_a_missing_input_is_never_recorded(inputs):
    locate = locate_in(inputs)
    reuse.passed("scripts", "module", ["page.html", "not-there.py"], locate)
    assert not reuse.still_passes("scripts", "module", locate)


def test_a_backend_run_is_kept_with_its_output_and_redone_when_its_code_changes(tmp_path, monkeypatch):
    from tests.harness import backends

    monkeypatch.setenv(reuse.CACHE_ENV, str(tmp_path / "results"))
    steps = [("open('f', 'w').write('3')", "tensorflow"), ("print(int(open('f').read()) * 2)", "tensorflow")]
    assert backends.run(steps, tmp_path) == [[], ["6"]]
    calls = []
    monkeypatch.setattr(backends.subprocess, "run", lambda *a, **k: calls.append(a) or pytest.fail("ran again"))
    assert backends.run(steps, tmp_path) == [[], ["6"]] and not calls  # kept: no process started
    with pytest.raises(pytest.fail.Exception, match="ran again"):
        backends.run([steps[0], ("print(7)", "tensorflow")], tmp_path)
    monkeypatch.delenv(reuse.CACHE_ENV)  # CI and --cold: always run
    with pytest.raises(pytest.fail.Exception, match="ran again"):
        backends.run(steps, tmp_path)
