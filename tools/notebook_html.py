"""Slim mkdocs-jupyter's HTML down to what a notebook page needs on this site.

mkdocs-jupyter embeds JupyterLab's whole stylesheet (over 500 KB) and a script that loads
Mermaid from a CDN into every notebook page. Its cells are rebuilt here as the site's own
elements: Markdown cells as they are, code as Material code blocks (copy button and syntax
colours included), outputs as plain output blocks and images.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup

ANNOTATION = re.compile(r"#\s*\((\d+)\)!")  # Material's marker; a notebook shows the plain comment

GENERIC_ALT = "No description has been provided for this image"


def slim(content: str, image_alt: str) -> str:
    soup = BeautifulSoup(content, "html.parser")
    parts: list[str] = []
    for cell in soup.select('div.jp-Cell[id^="cell-id"]'):
        classes = cell.get("class", [])
        if "jp-MarkdownCell" in classes:
            rendered = cell.select_one(".jp-RenderedMarkdown")
            if rendered:
                for anchor in rendered.select("a.anchor-link"):
                    anchor["class"] = "headerlink"  # Material shows it on hover only
                parts.append(rendered.decode_contents())
        elif "jp-CodeCell" in classes:
            parts.append(_code(cell))
            parts += _outputs(cell.select(".jp-OutputArea-output"), image_alt)
    return "\n".join(p for p in parts if p)


def _outputs(outputs, image_alt: str) -> list[str]:
    """Consecutive text outputs (several prints) become one block, as in a terminal."""
    parts, text = [], ""
    for output in outputs:
        pre = output.find("pre")
        if pre is not None and output.find("img") is None:
            text += pre.get_text()
            continue
        if text:
            parts.append(_text_block(text))
            text = ""
        parts.append(_output(output, image_alt))
    if text:
        parts.append(_text_block(text))
    return parts


def _text_block(text: str) -> str:
    return f'<div class="kh-output"><pre><code>{html.escape(text)}</code></pre></div>'


def _code(cell) -> str:
    highlighted = cell.select_one(".highlight-ipynb pre")
    if highlighted is None:
        return ""
    code = ANNOTATION.sub(r"# (\1)", highlighted.decode_contents().replace("<span></span>", "", 1))
    return f'<div class="language-python highlight"><pre><span></span><code>{code}</code></pre></div>'


def _output(output, image_alt: str) -> str:
    image = output.find("img")
    if image is not None:
        if not image.get("alt") or image["alt"] == GENERIC_ALT:
            image["alt"] = image_alt
        return f'<div class="kh-output">{image}</div>'
    if output.get("data-mime-type") == "text/html":
        return f'<div class="kh-output">{output.decode_contents()}</div>'
    return ""


def toc_tokens(content: str) -> list[dict]:
    """Table-of-contents tokens (as Python-Markdown's toc extension makes them) from the
    headings of the slimmed page, so every entry points at an id that exists. mkdocs-jupyter
    builds its own from a Markdown copy, whose ids differ for headings with code in them."""
    soup = BeautifulSoup(content, "html.parser")
    root: list[dict] = []
    stack: list[tuple[int, list]] = [(0, root)]
    for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        if not heading.get("id"):
            continue
        level = int(heading.name[1])
        for link in heading.select("a.headerlink"):
            link.extract()
        token = {"level": level, "id": heading["id"], "name": heading.get_text().strip(),
                 "html": heading.decode_contents(), "data-toc-label": "", "children": []}
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append(token)
        stack.append((level, token["children"]))
    return root
