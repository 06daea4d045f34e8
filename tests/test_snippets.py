"""Snippet modules: each runs alone as a script (what a reader copies or downloads works),
each module and section is shown on some page, and each figure is the one its code draws."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tests.harness import reuse, snippet_usage
from tools import site_config as config

SITE = config.site()
MODULES = snippet_usage.modules(SITE)
FIGURES = SITE.docs_dir / "assets" / "figures"
FIGURE_SUFFIXES = {".svg", ".png"}


# A module written for one backend chooses it itself, before importing Keras; it runs with
# that backend's Python (tools/keras_envs.py; the environment is made on first use).
CHOSEN_BACKEND = re.compile(r"""^os\.environ\[["']KERAS_BACKEND["']\]\s*=\s*["'](?P<name>\w+)["']""", re.M)


def _python_for(module: Path) -> str:
    chosen = CHOSEN_BACKEND.search(module.read_text(encoding="utf-8"))
    if chosen is None or chosen.group("name") == "tensorflow":
        return sys.executable
    from tools import keras_envs
    return str(keras_envs.backend_env(chosen.group("name"), "tests"))


def _figures_drawn_by(module: Path) -> list[str]:
    return re.findall(r"""savefig\(\s*["']([^"']+)["']""", module.read_text(encoding="utf-8"))


def _inputs(module: Path) -> list[str]:
    """What a module's run depends on: itself (modules import no other snippet), the pinned
    requirements, this test, and the published figures it is compared with."""
    return [module.relative_to(SITE.root).as_posix(), "requirements.txt", "tests/test_snippets.py",
            *(f"docs/assets/figures/{name}" for name in _figures_drawn_by(module))]


@pytest.mark.parametrize("module", MODULES, ids=[m.relative_to(SITE.root).as_posix() for m in MODULES])
def test_module_runs_as_a_script(module, tmp_path, request):
    shown = module.relative_to(SITE.root).as_posix()
    python = {"python": sys.version}
    if reuse.still_passes("scripts", shown, reuse.in_repository, python):
        reuse.mark_reused(request)
        return
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", MPLBACKEND="Agg", PYTHONHASHSEED="0")
    start = time.perf_counter()
    result = subprocess.run([_python_for(module), str(module)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, (
        f"{shown} exited with {result.returncode} after {seconds:.1f} s\n{result.stderr[-3000:]}")
    for produced in sorted(tmp_path.iterdir()):
        if produced.suffix not in FIGURE_SUFFIXES:
            continue
        published = FIGURES / produced.name
        assert published.exists(), (
            f"{shown} draws {produced.name}, which is not in docs/assets/figures/; copy it there")
        assert published.read_bytes() == produced.read_bytes(), (
            f"docs/assets/figures/{produced.name} is not what {shown} draws now; rerun the module "
            "in an empty directory and copy the file")
    reuse.passed("scripts", shown, _inputs(module), reuse.in_repository, python)


def test_every_module_and_section_is_shown():
    problems = snippet_usage.unused(SITE)
    assert not problems, "\n".join(problems)


def test_every_figure_is_drawn_by_a_module():
    saved = {name for module in MODULES for name in _figures_drawn_by(module)}
    orphans = sorted(p.name for p in FIGURES.iterdir() if p.suffix in FIGURE_SUFFIXES and p.name not in saved)
    assert not orphans, f"figures no snippet module draws: {orphans}"


def test_figures_in_other_languages_are_named_after_the_english_one():
    # name.svg has the English labels; name.<lang>.svg the same figure with <lang> labels,
    # which the <lang> pages show instead (tests/harness/parity.py).
    figures = {p.name for p in FIGURES.iterdir() if p.suffix in FIGURE_SUFFIXES}
    problems = []
    for name in sorted(figures):
        stem, _, suffix = name.rpartition(".")
        base, dot, language = stem.rpartition(".")
        if not dot:
            continue
        if language not in SITE.languages[1:]:
            problems.append(f"docs/assets/figures/{name}: '.{language}' is not a translated language "
                            f"of the site ({', '.join(SITE.languages[1:])})")
        elif f"{base}.{suffix}" not in figures:
            problems.append(f"docs/assets/figures/{name}: no English figure {base}.{suffix}")
    assert not problems, "\n".join(problems)
