"""A "Runs on: TensorFlow · JAX · PyTorch" line under each `##` heading whose section has
code, in the page's language, from the last backend runs (data/compatibility.yml, written by
`python3 dev.py compat --backend jax torch`; decided by tools/backend_matrix.py).

A hook of its own, not part of hooks/compatibility.py: that one fills one page, this one
touches every page with code. TensorFlow is always listed (the test suite runs every block
on it); a backend is listed when no block of the section raises there, with a marked
asterisk when a block prints other numbers. A page without backend data gets no labels; a
section the data does not cover (the page changed since the run) says so in its label and
in the build log, and tests/test_compatibility.py fails on such stale data.
A section declared not portable (data/not-portable.yml) says why after the list: the
TensorFlow-only API it teaches, or the reason it fails on a backend. Texts:
extra.backend_labels, and extra.compatibility for the backends' names and the wording of
those reasons, per language.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import sys
from pathlib import Path

import markdown as markdown_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import backend_matrix, compat, site_config  # noqa: E402

log = logging.getLogger("mkdocs.hooks.backend_labels")
CLASS = "kh-runs-on"
COMPATIBILITY_PAGE = "reference/compatibility.md"


def label(verdicts: dict, texts: dict, vocabulary: dict, link: str, note: str = "") -> str:
    """The label's Markdown: a paragraph with the class CLASS (attr_list); `note`: why the
    section is not portable (backend_matrix.note), said after the list. `vocabulary`:
    extra.compatibility of the language (the backends' names)."""
    names = vocabulary["backends"]
    shown, untested = [texts["tensorflow"]], []
    for backend, verdict in verdicts.items():
        if verdict.missing:
            untested.append(names[backend])
        elif verdict.runs:
            # &#42;: a bare "*" would pair with the next label's into emphasis.
            mark = (f'<abbr class="kh-other-output" title="{html.escape(texts["other_output"])}">&#42;</abbr>'
                    if verdict.other_output else "")
            shown.append(names[backend] + mark)
    text = f"[{texts['runs_on']}]({link}): " + " · ".join(shown)
    if untested:
        text += " " + texts["untested"].format(backends=", ".join(untested))
    return text + note + "\n{: ." + CLASS + " }"


def _verdicts(english: str, page: str, data: dict) -> dict:
    """Anchor -> {backend: Verdict} for the sections that get a label: under a heading, run
    somewhere (not only not-runnable blocks), with backend data for the page."""
    found = {s.anchor: v for s, v in backend_matrix.page_verdicts(data, page, english)
             if s.anchor and any(x.missing or x.ran for x in v.values())}
    for anchor, verdicts in found.items():
        missing = [b for b, v in verdicts.items() if v.missing]
        if missing:
            log.info("%s, section #%s: no %s result since the page changed; run python3 dev.py compat "
                     "--backend %s", page, anchor, "/".join(missing), " ".join(missing))
    return found


def _section_label(verdicts: dict, texts: dict, vocabulary: dict, link: str, declared: dict | None,
                   page: str, anchor: str) -> str:
    """The label of one section, with what data/not-portable.yml says of it. A section that
    teaches a TensorFlow-only API lists TensorFlow alone: its blocks may also run with
    another backend set, when TensorFlow is installed beside it, but they do not use it."""
    declared = declared or {}
    shown = {} if backend_matrix.declared_api(declared, page, anchor) else verdicts
    return label(shown, texts, vocabulary, link, backend_matrix.note(declared, page, anchor, vocabulary))


def add_labels(markdown: str, english: str, page: str, data: dict, texts: dict, vocabulary: dict, link: str,
               declared: dict | None = None) -> str:
    """`markdown` (any language) with a label under each heading whose section has code;
    the results are the English page's (`english`), matched by heading anchor, which
    translations keep. `declared`: compat.not_portable()."""
    verdicts = _verdicts(english, page, data)
    lines = markdown.split("\n")
    for section in reversed(backend_matrix.sections(markdown)):
        if section.anchor in verdicts:
            lines[section.line - 1:section.line] = [
                lines[section.line - 1], "",
                _section_label(verdicts[section.anchor], texts, vocabulary, link, declared, page, section.anchor), ""]
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    texts = config.extra.get("backend_labels")
    if not texts or "```python" not in markdown:
        return markdown
    site = site_config.load(Path(config.config_file_path).parent)
    here = getattr(page.file, "norm_src_uri", page.file.src_uri)
    english = site.docs_dir / site.default_language / here
    if not english.exists():
        return markdown
    data = compat.load_current(site.root / compat.DATA.relative_to(compat.ROOT), site)
    link = posixpath.relpath(COMPATIBILITY_PAGE, posixpath.dirname(here) or ".") + "#sections"
    return add_labels(markdown, english.read_text(encoding="utf-8"), here, data, texts,
                      config.extra["compatibility"], link, compat.not_portable(site))


def add_labels_html(content: str, english: str, page: str, data: dict, texts: dict, vocabulary: dict, link: str,
                    declared: dict | None = None) -> str:
    """The same labels in a page's HTML, after each <h2 id="anchor">: for a lab page, which
    mkdocs-jupyter renders from its notebook (hooks/notebooks.py), so its Markdown never
    reaches on_page_markdown. `link` is a URL here."""
    for anchor, verdicts in _verdicts(english, page, data).items():
        # The anchor is the h2's id, or (a translated heading in a notebook) an <a id> in it.
        heading = re.search(rf'<h2\b(?:(?!</h2>).)*?\bid="{re.escape(anchor)}"(?:(?!</h2>).)*?</h2>', content, re.S)
        if heading:
            rendered = markdown_module.markdown(
                _section_label(verdicts, texts, vocabulary, link, declared, page, anchor), extensions=["attr_list"])
            content = content[:heading.end()] + "\n" + rendered + content[heading.end():]
    return content


def on_page_content(html_content, page, config, files):
    texts = config.extra.get("backend_labels")
    if not texts or not str(page.file.abs_src_path or "").endswith(".ipynb") or CLASS in html_content:
        return html_content
    site = site_config.load(Path(config.config_file_path).parent)
    here = getattr(page.file, "norm_src_uri", page.file.src_uri)
    english = site.docs_dir / site.default_language / here
    if not here.endswith(".md") or not english.exists():
        return html_content  # a notebook written by hand: no page blocks were run
    data = compat.load_current(site.root / compat.DATA.relative_to(compat.ROOT), site)
    target = site.page_url(config.theme["language"], COMPATIBILITY_PAGE)
    link = posixpath.relpath("/" + target, "/" + page.url) + "/#sections"
    return add_labels_html(html_content, english.read_text(encoding="utf-8"), here, data, texts,
                           config.extra["compatibility"], link, compat.not_portable(site))
