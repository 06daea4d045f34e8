"""tests/harness/reuse.py: a pass is reused only while every input it read is unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import reads, reuse


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


def test_a_listed_folder_is_an_input_through_its_names(inputs):
    locate = locate_in(inputs)
    reuse.passed("claims", "check", ["./"], locate)
    assert reuse.still_passes("claims", "check", locate)
    (inputs / "page.html").write_text("<p>changed, but not the names</p>")
    assert reuse.still_passes("claims", "check", locate)
    (inputs / "new.py").write_text("")
    assert not reuse.still_passes("claims", "check", locate)


# --- what a check read (tests/harness/reads.py) ------------------------------------------------

def test_recording_sees_reads_listings_lookups_and_script_arguments(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "page.md").write_text("# Page")
    (root / "script.py").write_text("")
    (root / ".cache").mkdir()
    (root / ".cache" / "x").write_text("")
    (tmp_path / "outside.txt").write_text("")
    monkeypatch.chdir(root)
    with reads.recording(root) as read:
        Path("docs/page.md").read_text()              # relative to the working folder
        list((root / "docs").glob("*.md"))            # a listing
        Path("absent.txt").is_file()                  # asked, not opened: not seen
        try:
            open(root / "docs" / "missing.md")
        except FileNotFoundError:
            pass                                      # looked for: its folder's names say it is missing
        subprocess.run([sys.executable, str(root / "script.py")], check=True)
        (root / "written.txt").write_text("out")      # written, not read
        (root / ".cache" / "x").read_text()           # the project's caches are not its content
        (tmp_path / "outside.txt").read_text()        # outside the root
    assert read == {"docs/page.md", "docs/", "script.py"}
    with reads.recording(root) as again:
        try:
            open(root / "nowhere" / "deeper.md")
        except FileNotFoundError:
            pass
    assert again == {"./"}, "a missing folder: the root's names say whether it appears"
    (root / "docs" / "page.md").read_text()
    assert read == {"docs/page.md", "docs/", "script.py"}, "nothing is recorded after the block"


# --- claim checks, and tests marked reuse_last_pass, reuse their last pass ---------------------

CALLED = '''
import os
from pathlib import Path

import pytest

def ran(name):  # outside the project: written, not read
    with open(os.environ["CALLS"], "a") as calls:
        calls.write(name + "\\n")
'''
CLAIM_MODULE = CALLED + '''
def test_reads_a_file():
    ran("reads")
    assert Path("data.txt").read_text() == "1"

def test_reads_nothing():
    ran("nothing")
'''
OTHER_MODULE = CALLED + '''
@pytest.mark.reuse_last_pass
def test_marked():
    ran("marked")

def test_not_marked():
    ran("not marked")
'''


def test_a_claim_check_reruns_only_when_something_it_read_changed(pytester, monkeypatch, tmp_path):
    monkeypatch.setattr(reuse.site_config, "ROOT", pytester.path.resolve())
    monkeypatch.setenv(reuse.CACHE_ENV, str(tmp_path / "results"))
    reuse._values.cache_clear()
    pytester.makefile(".txt", data="1")
    pytester.mkpydir("tests").joinpath("claims").mkdir()
    (pytester.path / "tests" / "claims" / "test_page.py").write_text(CLAIM_MODULE)
    (pytester.path / "test_other.py").write_text(OTHER_MODULE)

    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("CALLS", str(calls))

    def run(*expected) -> tuple[int, list[str]]:
        """(how many checks the summary says were reused, the checks that were called)"""
        calls.write_text("")
        result = pytester.runpytest_inprocess("-p", "tests.harness.reuse", "-p", "no:cacheprovider")
        result.assert_outcomes(**dict(expected))
        reused = [line for line in result.outlines if "reused their last pass" in line]
        return (int(reused[0].split()[0]) if reused else 0), sorted(calls.read_text().splitlines())

    checks, marked = ["nothing", "reads"], ["marked", "not marked"]
    try:
        assert run(("passed", 4)) == (0, sorted(checks + marked))
        assert run(("passed", 4)) == (3, ["not marked"])        # an unmarked test always runs
        (pytester.path / "data.txt").write_text("2")            # what the first check read: it runs, and fails
        assert run(("passed", 3), ("failed", 1)) == (2, ["not marked", "reads"])
        assert run(("passed", 3), ("failed", 1)) == (2, ["not marked", "reads"])  # a failure is never recorded
        (pytester.path / "data.txt").write_text("1")
        assert run(("passed", 4)) == (3, ["not marked"])        # as it was when it passed: its pass stands
        (pytester.path / "tests" / "claims" / "test_page.py").write_text(CLAIM_MODULE + "\n# edited\n")
        assert run(("passed", 4)) == (1, sorted(checks + ["not marked"]))  # its module changed: both its tests run
        monkeypatch.delenv(reuse.CACHE_ENV)                     # CI and --cold
        assert run(("passed", 4)) == (0, sorted(checks + marked))
    finally:
        reuse._values.cache_clear()


def test_a_test_that_reads_the_built_site_cannot_be_marked(pytester):
    pytester.makepyfile(test_built="""
        import pytest

        @pytest.fixture
        def site():
            return "outside the repository"

        @pytest.mark.reuse_last_pass
        def test_reads_the_site(site):
            pass
    """)
    result = pytester.runpytest_inprocess("-p", "tests.harness.reuse", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_reads_the_site: it uses site, whose files are outside the repository*"])
