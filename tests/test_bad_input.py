"""The checks themselves, shown failing on throwaway fixture projects (never the real docs):
each kind of bad input must produce an error that names the file and the line."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from tests.harness import blocks, execute, parity, snippet_usage
from tools import expand, notebooks
from tools import site_config as config
from tests.harness.collect import page_blocks

MODULE = '''\
# --8<-- [start:imports]
import math
# --8<-- [end:imports]

# --8<-- [start:area]
print(round(math.pi * 2.0**2, 2))
# --8<-- [end:area]
'''

PAGE = '''\
# Circles

```python
--8<-- "snippets/demo/circle.py:imports"
```

## The area

```python
--8<-- "snippets/demo/circle.py:area"
```

<!--pytest-codeblocks:expected-output-->
```text
12.57
```
'''

PAGE_ES = PAGE.replace("# Circles", "# Círculos").replace("## The area", "## El área { #the-area }")


@pytest.fixture
def project(tmp_path) -> config.SiteConfig:
    """A minimal copy of the project: the real mkdocs.yml, one snippet, one page pair."""
    shutil.copy(config.ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    write(tmp_path / "snippets/demo/circle.py", MODULE)
    write(tmp_path / "docs/en/circle.md", PAGE)
    write(tmp_path / "docs/es/circle.md", PAGE_ES)
    return config.load(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_fixture_itself_is_clean(project):
    en, es = project.docs_dir / "en/circle.md", project.docs_dir / "es/circle.md"
    found = page_blocks(en, project)
    assert [b.line for b in found] == [3, 9]
    assert all(execute.problem(b, r) is None for b, r in zip(found, execute.run_page(found)))
    assert parity.compare(en, es, project) == []
    assert parity.missing_pages(project) == []
    assert snippet_usage.unused(project) == []


def test_missing_snippet_file(project):
    page = write(project.docs_dir / "en/circle.md", PAGE.replace("circle.py:area", "square.py:area"))
    with pytest.raises(expand.ExpansionError, match=r"docs/en/circle\.md:10: .*snippets/demo/square\.py"):
        page_blocks(page, project)


def test_missing_section(project):
    page = write(project.docs_dir / "en/circle.md", PAGE.replace("circle.py:area", "circle.py:volume"))
    with pytest.raises(expand.ExpansionError, match=r"docs/en/circle\.md:10: .*'volume'"):
        page_blocks(page, project)


@pytest.mark.parametrize("fence", ["```py", '```python title="area.py"', "```pycon",
                                   "```{.python}", "~~~python", "```python3"])
def test_python_fence_that_would_not_run(project, fence):
    text = PAGE + f"\n{fence}\nprint('never run')\n{fence[:3]}\n"
    page = write(project.docs_dir / "en/circle.md", text)
    with pytest.raises(blocks.PageError, match=r"docs/en/circle\.md:18: Python fence .* is not executed"):
        page_blocks(page, project)


def test_fence_without_language(project):
    page = write(project.docs_dir / "en/circle.md", PAGE + "\n```\nprint('which language?')\n```\n")
    with pytest.raises(blocks.PageError, match=r"docs/en/circle\.md:18: fence without a language"):
        page_blocks(page, project)


def test_skip_needs_a_written_reason(project):
    text = PAGE + '\n<!--pytest.mark.skip-->\n```python\nimport gpu_only\n```\n'
    page = write(project.docs_dir / "en/circle.md", text)
    with pytest.raises(blocks.PageError, match=r"docs/en/circle\.md:19: only .* written reason"):
        page_blocks(page, project)


def test_skip_must_be_visible_to_the_reader(project):
    text = PAGE + '\n<!--pytest.mark.skip(reason="needs a GPU")-->\n```python\nimport gpu_only\n```\n'
    page = write(project.docs_dir / "en/circle.md", text)
    with pytest.raises(blocks.PageError, match=r"docs/en/circle\.md:19: a skipped block must say so"):
        page_blocks(page, project)


def test_visible_skip_with_reason_is_accepted(project):
    code = "# Not runnable: needs a GPU\nimport gpu_only\n"
    text = PAGE + f'\n<!--pytest.mark.skip(reason="needs a GPU")-->\n```python\n{code}```\n'
    page = write(project.docs_dir / "en/circle.md", text)
    assert page_blocks(page, project)[-1].skip_reason == "needs a GPU"


def test_output_that_does_not_match(project):
    page = write(project.docs_dir / "en/circle.md", PAGE.replace("12.57", "12.56"))
    found = page_blocks(page, project)
    message = execute.problem(found[1], execute.run_page(found)[1])
    assert message.startswith("docs/en/circle.md:9: output differs from the page")
    assert "12.56" in message and "12.57" in message


def test_output_the_page_does_not_show(project):
    text = PAGE.split("<!--pytest-codeblocks")[0]
    page = write(project.docs_dir / "en/circle.md", text)
    found = page_blocks(page, project)
    message = execute.problem(found[1], execute.run_page(found)[1])
    assert message.startswith("docs/en/circle.md:9: the block prints output the page does not show")


def test_an_ellipsis_alone_is_not_an_expected_output(project):
    page = write(project.docs_dir / "en/circle.md", PAGE.replace("12.57", "..."))
    with pytest.raises(blocks.PageError, match=r"docs/en/circle\.md:9: expected output is only"):
        page_blocks(page, project)


def test_unexpected_error_stops_the_page(project):
    write(project.root / "snippets/demo/circle.py", MODULE.replace("import math", "import math\nmath.tau(1)"))
    found = page_blocks(project.docs_dir / "en/circle.md", project)
    results = execute.run_page(found)
    message = execute.problem(found[0], results[0])
    assert message.startswith("docs/en/circle.md:3: the block raised an error the page does not show")
    assert "TypeError" in message
    assert results[1].not_run == "block at docs/en/circle.md:3 failed"


def test_expected_error_is_checked_and_the_page_goes_on(project):
    text = PAGE.replace("## The area", "```python\nmath.sqrt(-1)\n```\n\n"
                        "<!--pytest-codeblocks:expected-output-->\n```text\n"
                        "ValueError: math domain error\n```\n\n## The area")
    page = write(project.docs_dir / "en/circle.md", text)
    found = page_blocks(page, project)
    results = execute.run_page(found)
    assert [execute.problem(b, r) for b, r in zip(found, results)] == [None, None, None]
    wrong = write(project.docs_dir / "en/circle.md", text.replace("math domain error", "other"))
    found = page_blocks(wrong, project)
    assert "output differs" in execute.problem(found[1], execute.run_page(found)[1])


def test_identical_pages_run_once_for_both_languages(project):
    en = page_blocks(project.docs_dir / "en/circle.md", project)
    es = page_blocks(project.docs_dir / "es/circle.md", project)
    assert execute.run_page(en) is execute.run_page(es)


def test_autograph_reads_block_source(project):
    code = textwrap.dedent('''\
        import tensorflow as tf

        @tf.function
        def clip(x):
            if tf.reduce_sum(x) > 0:
                return x
            return -x

        print(clip(tf.constant([-2.0])).numpy())
        ''')
    text = f"# AutoGraph\n\n```python\n{code}```\n\n<!--pytest-codeblocks:expected-output-->\n```text\n[2.]\n```\n"
    page = write(project.docs_dir / "en/autograph.md", text)
    found = page_blocks(page, project)
    assert execute.problem(found[0], execute.run_page(found)[0]) is None


def test_spanish_code_that_differs(project):
    es = write(project.docs_dir / "es/circle.md", PAGE_ES.replace("circle.py:area", "circle.py:imports"))
    problems = parity.compare(project.docs_dir / "en/circle.md", es, project)
    assert problems and problems[0].startswith("docs/es/circle.md:9: code differs from docs/en/circle.md:9")


def test_spanish_output_that_differs(project):
    es = write(project.docs_dir / "es/circle.md", PAGE_ES.replace("12.57", "12,57"))
    problems = parity.compare(project.docs_dir / "en/circle.md", es, project)
    assert problems == ["docs/es/circle.md:9: expected output differs from docs/en/circle.md:9"]


def test_spanish_heading_without_the_english_anchor(project):
    es = write(project.docs_dir / "es/circle.md", PAGE_ES.replace(" { #the-area }", ""))
    problems = parity.compare(project.docs_dir / "en/circle.md", es, project)
    assert problems == ["docs/es/circle.md:7: heading 'El área' must keep the English anchor: add { #the-area }"]


def test_missing_translation(project):
    (project.docs_dir / "es/circle.md").unlink()
    assert parity.missing_pages(project) == [
        "docs/es/circle.md: missing translation of docs/en/circle.md"]


def test_unused_module_and_section(project):
    write(project.root / "snippets/demo/square.py", "# --8<-- [start:side]\nside = 2\n# --8<-- [end:side]\n")
    write(project.root / "snippets/demo/circle.py", MODULE + "# --8<-- [start:extra]\nx = 1\n# --8<-- [end:extra]\n")
    assert snippet_usage.unused(project) == [
        "snippets/demo/circle.py: section 'extra' is not included by any page",
        "snippets/demo/square.py: no page includes this module",
    ]


# --- translation checks ------------------------------------------------------------

def git(root: Path, *args: str) -> str:
    import subprocess
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(root), "PATH": "/usr/bin:/bin"}).stdout


def test_outdated_translation_shows_the_english_diff(project):
    from tools import translations
    git(project.root, "init", "-q")
    translations.mark(project, project.docs_dir / "es/circle.md")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "translated")
    assert translations.page_status(project, "es", "circle.md").state == translations.UP_TO_DATE

    english = project.docs_dir / "en/circle.md"
    english.write_text(PAGE.replace("12.57\n```\n", "12.57\n```\n\nThe radius is 2.\n"), encoding="utf-8")
    status = translations.page_status(project, "es", "circle.md")
    assert status.state == translations.OUTDATED
    assert "+The radius is 2.\n" in status.diff


def test_code_only_english_change_keeps_translation_current(project):
    from tools import translations
    git(project.root, "init", "-q")
    translations.mark(project, project.docs_dir / "es/circle.md")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "translated")
    english = project.docs_dir / "en/circle.md"
    english.write_text(PAGE.replace("12.57", "12.566"), encoding="utf-8")  # an output, not prose
    assert translations.page_status(project, "es", "circle.md").state == translations.UP_TO_DATE


def test_untracked_translation(project):
    from tools import translations
    assert translations.page_status(project, "es", "circle.md").state == translations.UNTRACKED


def test_english_paragraph_on_a_spanish_page(project):
    from tests.harness import prose_language
    text = PAGE_ES + "\nThis paragraph was left in English by the translator, and it is the only one.\n"
    page = write(project.docs_dir / "es/circle.md", text)
    assert prose_language.english_paragraphs(page, "docs/es/circle.md", []) == [
        "docs/es/circle.md:18: this paragraph reads as English (9 of 15 words: this was by the and it...): translate it"]
    spanish = write(project.docs_dir / "es/circle.md", PAGE_ES + "\nEl área de un círculo de radio 2 es 12.57, como muestra el código.\n")
    assert prose_language.english_paragraphs(spanish, "docs/es/circle.md", []) == []


def test_misspelled_spanish_word(project):
    from tests.harness import spelling
    missing = spelling.hunspell_available("es_ES")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the spell check, but {missing} is not installed")
        pytest.skip(f"spell check skipped: {missing} is not installed")
    page = write(project.docs_dir / "es/circle.md", PAGE_ES + "\nEl área de un círclo depende del radio.\n")
    assert spelling.page_problems(page, "docs/es/circle.md", "es_ES", []) == [
        "docs/es/circle.md:18: unknown word 'círclo' (fix it, or add it to spelling/ if it is right)"]


def test_inconsistent_glossary_term(project):
    from tests.harness import glossary
    table = ("# Glosario\n\n| English | Español | Evita | Significado |\n|---|---|---|---|\n"
             "| batch | lote | tanda | Grupo de ejemplos. |\n| epoch | época | — | Una pasada. |\n"
             "| mini-batch | lote | — | Otro nombre. |\n")
    path = write(project.docs_dir / "es/glossary.md", table)
    assert glossary.glossary_problems(path, "docs/es/glossary.md") == [
        "docs/es/glossary.md:7: 'lote' already translates another concept at line 5; one term per concept"]
    page = write(project.docs_dir / "es/circle.md", PAGE_ES + "\nCada tanda tiene dos ejemplos.\n")
    assert glossary.usage_problems(page, glossary.terms(path), "docs/es/circle.md") == [
        "docs/es/circle.md:18: 'tanda': the glossary term for 'batch' is 'lote'"]


def test_glossary_phrases_inflections_and_senses(project):
    from tests.harness import glossary
    table = ("# Glosario\n\n| English | Español | Evita | Significado |\n|---|---|---|---|\n"
             "| accuracy | exactitud | precisión binaria | Aciertos. |\n"
             "| override | sobrescribir | redefin* | Cambiar un método. |\n"
             "| precision | precisión | — | La métrica. |\n"
             "| recall | exhaustividad | precisión | Otra métrica. |\n")
    path = write(project.docs_dir / "es/glossary.md", table)
    # A term to avoid that is another concept's term would flag correct prose.
    assert glossary.glossary_problems(path, "docs/es/glossary.md") == [
        "docs/es/glossary.md:8: 'precisión' (to avoid for 'recall') is the term for 'precision' at line 7; "
        "list phrases specific to 'recall' instead"]
    terms = [t for t in glossary.terms(path) if t.english != "recall"]
    page = write(project.docs_dir / "es/circle.md", PAGE_ES + (
        "\nLa precisión y la exactitud salen de la misma tabla.\n"  # the right terms: not flagged
        "Sube la precisión\nbinaria si redefines `call`.\n"       # a phrase wrapped over two lines
        "No escribas «redefinir».\n"))                               # a word quoted in «» is only mentioned
    assert glossary.usage_problems(page, terms, "docs/es/circle.md") == [
        "docs/es/circle.md:19: 'precisión binaria': the glossary term for 'accuracy' is 'exactitud'",
        "docs/es/circle.md:20: 'redefin*': the glossary term for 'override' is 'sobrescribir'"]
    page = write(project.docs_dir / "es/circle.md", PAGE_ES + (
        "\nEl código de la época del libro entrena cada época de un solo lote.\n"
        "Devuelve un tensor de la misma forma; de otra forma, falla.\n"
        "La cinta libera su registro; el registro de Keras guarda la clase.\n"
        "Escribe «de manera» y no «de otra forma».\n"))  # a word quoted in «» is only mentioned
    assert glossary.sense_problems(page, "es", "docs/es/circle.md") == [
        "docs/es/circle.md:18: 'época del libro' uses 'época' (the glossary term for 'epoch') for 'era' "
        "(write «el código de los libros de Keras 2», «el estilo de Keras 2»)",
        "docs/es/circle.md:19: 'de otra forma' uses 'forma' (the glossary term for 'shape') for 'manner' "
        "(write «de manera…», «así»)",
        "docs/es/circle.md:20: 'cinta libera su registro' uses 'registro' (the glossary term for 'registry') "
        "for the tape's 'record' (write «lo que ha grabado la cinta»)"]


def test_missing_image_in_translation(project):
    figure = "\n![A circle of radius 2.](../assets/figures/circle.svg)\n"
    en = write(project.docs_dir / "en/circle.md", PAGE + figure)
    es = project.docs_dir / "es/circle.md"
    assert parity.compare_structure(en, es, project) == [
        "docs/es/circle.md: missing the image '../assets/figures/circle.svg' of docs/en/circle.md:18"]


def test_translation_showing_the_english_figure_or_another_file(project):
    figure = "\n![A circle of radius 2.](../assets/figures/circle.svg)\n"
    en = write(project.docs_dir / "en/circle.md", PAGE + figure)
    es = write(project.docs_dir / "es/circle.md", PAGE_ES + figure.replace("A circle", "Un círculo"))
    assert parity.compare_structure(en, es, project) == []  # no Spanish figure: the English one
    write(project.docs_dir / "assets/figures/circle.svg", "<svg/>")
    write(project.docs_dir / "assets/figures/circle.es.svg", "<svg/>")
    assert parity.compare_structure(en, es, project) == [
        "docs/es/circle.md:18: image '../assets/figures/circle.svg' has es labels in "
        "'../assets/figures/circle.es.svg'; show that one"]
    write(es, PAGE_ES + "\n![Un círculo.](../assets/figures/circle.es.svg)\n")
    assert parity.compare_structure(en, es, project) == []
    write(es, PAGE_ES + "\n![Un círculo.](../assets/figures/circle.fr.svg)\n")
    assert parity.compare_structure(en, es, project) == [
        "docs/es/circle.md:18: image '../assets/figures/circle.fr.svg' where docs/en/circle.md:18 has "
        "'../assets/figures/circle.svg' (es version: '../assets/figures/circle.es.svg')"]


def test_admonition_and_link_that_differ(project):
    en = write(project.docs_dir / "en/circle.md", PAGE + '\n!!! warning "Radius"\n\n    See [the area](#the-area).\n')
    es = write(project.docs_dir / "es/circle.md", PAGE_ES + '\n!!! note "Radio"\n\n    Mira [el índice](index.md).\n')
    assert parity.compare_structure(en, es, project) == [
        "docs/es/circle.md:18: admonition '!!! note' where docs/en/circle.md:18 has '!!! warning'",
        "docs/es/circle.md:20: link to index.md that docs/en/circle.md does not have",
        "docs/es/circle.md: missing the link to #the-area of docs/en/circle.md:20",
    ]


def test_code_annotation_without_explanation(project):
    write(project.root / "snippets/demo/circle.py", MODULE.replace("print(round(math.pi * 2.0**2, 2))",
                                                                  "print(round(math.pi * 2.0**2, 2))  # (1)!"))
    page = project.docs_dir / "en/circle.md"
    assert parity.annotation_problems(page, project) == [
        "docs/en/circle.md:9: the block has 1 code annotation(s) but the list after it explains 0"]
    write(page, PAGE.replace("```\n\n<!--pytest-codeblocks", "```\n\n1. Area of a circle.\n\n<!--pytest-codeblocks"))
    assert parity.annotation_problems(page, project) == []


def test_link_whose_text_wraps_is_still_compared(project):
    en = write(project.docs_dir / "en/circle.md", PAGE + "\nSee [the area of\nthe circle](#the-area).\n")
    es = write(project.docs_dir / "es/circle.md", PAGE_ES + "\nMira el área del círculo.\n")
    assert parity.compare_structure(en, es, project) == [
        "docs/es/circle.md: missing the link to #the-area of docs/en/circle.md:18"]


def test_a_page_cpu_limit_needs_a_visible_reason():
    assert execute.page_limit({}) == execute.BLOCK_SECONDS_LIMIT
    with pytest.raises(ValueError, match="cpu_seconds_limit needs a cpu_seconds_reason"):
        execute.page_limit({"cpu_seconds_limit": 9})
    assert execute.page_limit({"cpu_seconds_limit": 9, "cpu_seconds_reason": "threads"}) == 9.0


# --- blocks written for one backend (<!--pytest.mark.backend("jax")-->) -----------------------

BACKEND_BLOCKS = '''
<!--pytest.mark.backend("tensorflow")-->
```python
print(round(math.e, 2), keras.backend.backend())
```

<!--pytest-codeblocks:expected-output-->
```text
2.72 tensorflow
```

<!--pytest.mark.backend("jax")-->
```python
import keras
print(keras.backend.backend(), "math" in dir())
```

<!--pytest-codeblocks:expected-output-->
```text
jax False
```
'''


def test_unknown_backend_is_an_error_naming_the_line(project):
    page = write(project.docs_dir / "en/circle.md", PAGE + BACKEND_BLOCKS.replace('backend("jax")', 'backend("mxnet")'))
    with pytest.raises(blocks.PageError, match=r"docs/en/circle\.md:29: unknown backend 'mxnet'"):
        page_blocks(page, project)


def test_a_block_for_another_backend_runs_alone_in_a_kernel_of_that_backend(project):
    write(project.root / "snippets/demo/circle.py", MODULE.replace("import math", "import math\nimport keras"))
    page = write(project.docs_dir / "en/circle.md", PAGE + BACKEND_BLOCKS)
    found = page_blocks(page, project)
    assert [b.backend for b in found] == [None, None, "tensorflow", "jax"]
    # The TensorFlow block joins the page's own kernel (it sees `math`); the JAX one has its own.
    results = execute.run_page(found)
    assert [execute.problem(b, r) for b, r in zip(found, results)] == [None] * 4, [r.output for r in results]
    code = [cell.source for cell in notebooks.page_to_notebook(page, project).cells if cell.cell_type == "code"]
    assert code == [b.code for b in found[:3]]  # a notebook runs on TensorFlow: the JAX block is text


def test_spanish_block_for_another_backend(project):
    en = write(project.docs_dir / "en/circle.md", PAGE + BACKEND_BLOCKS)
    es = write(project.docs_dir / "es/circle.md", PAGE_ES + BACKEND_BLOCKS.replace('<!--pytest.mark.backend("jax")-->\n', ""))
    problems = parity.compare(en, es, project)
    assert any(p.startswith("docs/es/circle.md:28: written for backend any, docs/en/circle.md:29 for jax")
               for p in problems), problems
