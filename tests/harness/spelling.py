"""Spell checks: Hunspell with a language's dictionary for translated pages (Debian's
hunspell-<lang> packages), codespell for English pages and code. Project words live in
spelling/<lang>.txt; glossary terms are accepted too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import site_config as config

from tools.page_text import prose_lines

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def hunspell_available(dictionary: str) -> str | None:
    """None when Hunspell and the dictionary are installed, else what is missing."""
    if not shutil.which("hunspell"):
        return "the hunspell command (Debian package: hunspell)"
    result = subprocess.run(["hunspell", "-D"], capture_output=True, text=True, input="")
    if not re.search(rf"/{re.escape(dictionary)}$", result.stdout + result.stderr, re.M):
        return f"the Hunspell dictionary {dictionary} (Debian package: hunspell-{dictionary[:2].lower()})"
    return None


def project_words(site: config.SiteConfig, lang: str, extra: list[str]) -> list[str]:
    path = site.root / "spelling" / f"{lang}.txt"
    words = path.read_text(encoding="utf-8").split() if path.exists() else []
    for phrase in extra:
        words += WORD.findall(phrase)
    return words


def misspelled(lines: list[tuple[int, str]], dictionary: str, words: list[str]) -> list[tuple[int, str]]:
    """(line, word) Hunspell does not know, in pipe mode so each word keeps its line."""
    with tempfile.NamedTemporaryFile("w", suffix=".dic", delete=False, encoding="utf-8") as personal:
        personal.write("\n".join(sorted(set(words))) + "\n")
    # '^' makes Hunspell read each line as plain text, whatever its first character.
    stdin = "".join(f"^{text}\n" for _, text in lines)
    result = subprocess.run(["hunspell", "-a", "-d", dictionary, "-p", personal.name, "-i", "utf-8"],
                            input=stdin, capture_output=True, text=True, check=True)
    Path(personal.name).unlink()
    answers = result.stdout.split("\n")[1:]  # first line: version banner
    found, index = [], 0
    for answer in answers:
        if index >= len(lines):
            break
        if not answer:
            index += 1
        elif answer[0] in "&#" and len(answer.split()[1]) > 2:  # 1-2 letters: symbols like x, tf
            found.append((lines[index][0], answer.split()[1]))
    return found


def page_problems(page: Path, shown: str, dictionary: str, words: list[str]) -> list[str]:
    return [f"{shown}:{line}: unknown word '{word}' (fix it, or add it to spelling/ if it is right)"
            for line, word in misspelled(prose_lines(page), dictionary, words)]


def codespell(paths: list[Path], root: Path) -> list[str]:
    """English misspellings in pages and code, as path:line: wrong ==> right."""
    ignore = root / "spelling" / "en-codespell-ignore.txt"
    args = [sys.executable, "-m", "codespell_lib", "--quiet-level", "2", "--skip", "node_modules,package-lock.json,*.svg,*.ipynb"]
    if ignore.exists():
        args += ["--ignore-words", str(ignore)]
    result = subprocess.run(args + [str(p) for p in paths], cwd=root, capture_output=True, text=True)
    return [line.replace(str(root) + "/", "") for line in result.stdout.splitlines() if line.strip()]
