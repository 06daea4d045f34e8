"""Notebooks at build time.

- Every page with Python blocks gets its notebook (made by tools/notebooks.py from the page
  as readers see it) published next to it, and links to download it and to open it in
  Colab. Colab opens notebooks from GitHub, so the link points at the published copy on
  the branch that holds the built site (extra.notebooks.branch) of repo_url. After its
  header, a published notebook has two more cells (tools/notebooks.py version_check_cells):
  the versions its code was tested with, and a code cell comparing them with the runtime's.
- A page whose front matter says `notebook: lab` is rendered by mkdocs-jupyter from its
  executed notebook, so readers see a real notebook with real outputs; the HTML is then
  slimmed to the site's own elements (tools/notebook_html.py).
- mkdocs-jupyter next to mkdocs-static-i18n: i18n rebuilds every File object after
  mkdocs-jupyter has wrapped the notebooks, so .ipynb pages end up copied as raw files
  (upstream issue ultrabug/mkdocs-static-i18n#198). Here notebooks are wrapped after i18n,
  keeping the destination i18n gave them. `_as_notebook_page` is the whole workaround;
  drop it (and let mkdocs-jupyter wrap files itself) once upstream fixes the issue.
"""

from __future__ import annotations

import dataclasses
import html
import os
import sys
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import mkdocs.plugins
import nbformat
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter.plugin import NotebookFile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import notebook_html, notebooks, site_config, translations  # noqa: E402

_links: dict[str, dict] = {}  # page src_uri -> {"download": url, "colab": url}


def _front_matter(path: Path) -> dict:
    return translations.front_matter(path.read_text(encoding="utf-8"))


def _as_notebook_page(file: File, notebook_path: Path, config, dest: str | None = None) -> NotebookFile:
    """A page rendered by mkdocs-jupyter from `notebook_path`, at the URL i18n chose."""
    page = NotebookFile(file, **config)
    page.dest_path = dest or file.dest_path
    page.abs_dest_path = str(Path(config.site_dir) / page.dest_path)
    page.url = page.dest_path.removesuffix("index.html") if config.use_directory_urls else page.dest_path
    page.abs_src_path = str(notebook_path)
    return page


def _page_dest(file: File, lang: str, default: str, config) -> str:
    """Where i18n would put docs/<lang>/x.ipynb if it treated it as a page: x/index.html,
    under <lang>/ for languages other than the default."""
    relative = PurePosixPath(file.norm_src_uri).with_suffix("")
    prefix = PurePosixPath("" if lang == default else lang)
    if relative.name == "index":
        relative = relative.parent
    return str(prefix / relative / "index.html") if config.use_directory_urls else str(prefix / relative) + ".html"


def _notebook_dest(file: File) -> str:
    """concepts/x/index.html -> concepts/x/x.ipynb (es/... likewise)."""
    folder = PurePosixPath(file.dest_path).parent
    return str(folder / f"{folder.name or 'index'}.ipynb")


def _colab(config, dest: str) -> str:
    owner_repo = urlsplit(config.repo_url).path.strip("/")
    branch = config.extra["notebooks"]["branch"]
    # `mike deploy` (the publishing workflow) builds each version into its own folder of
    # the branch and says which in MIKE_DOCS_VERSION.
    version = os.environ.get("MIKE_DOCS_VERSION", "").strip("/")
    path = f"{version}/{dest}" if version else dest
    return f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{path}"


def _site_url(config) -> str:
    """site_url as this build publishes it (mike appends the version, without a slash)."""
    return (config.site_url or "/").rstrip("/") + "/"


@mkdocs.plugins.event_priority(-200)  # after mkdocs-static-i18n has rebuilt the files
def on_files(files, config):
    site = site_config.load(Path(config.config_file_path).parent)
    # Notebook links point at the site as this build publishes it.
    site = dataclasses.replace(site, raw={**site.raw, "site_url": _site_url(config)})
    lang = config.theme["language"]
    texts = config.extra["notebooks"]
    render_dir = notebooks.cache_dir(site.root) / "render" / lang
    _links.clear()
    result = []
    for file in list(files):
        source = Path(file.abs_src_path) if file.abs_src_path else None
        own_page = (file.is_documentation_page() and source and source.suffix == ".md"
                    and getattr(file, "locale", lang) == lang)
        if source and source.suffix == ".ipynb" and getattr(file, "locale", None) == lang:
            # A notebook written by hand under docs/<lang>/: a page of its language.
            result.append(_as_notebook_page(file, source, config, _page_dest(file, lang, site.default_language, config)))
            continue
        if not own_page or "```python" not in source.read_text(encoding="utf-8"):
            result.append(file)
            continue
        page_url = _site_url(config) + file.url
        header = f"*{texts['generated'].format(url=page_url)}*"
        notebook = notebooks.page_to_notebook(source, site)
        # First: the header with the tested versions, and a cell that checks the runtime's.
        tested = notebooks.page_tested(source, site) or notebooks.pinned(site.root)
        notebook.cells[0:0] = notebooks.version_check_cells(tested, config.extra["stamp"], header)
        dest = _notebook_dest(file)
        result.append(File.generated(config, dest, content=nbformat.writes(notebook)))
        _links[file.src_uri] = {"download": PurePosixPath(dest).name, "colab": _colab(config, dest)}
        if _front_matter(source).get("notebook") == "lab":
            on_site = notebooks.page_to_notebook(source, site, absolute_links=False)
            shown = notebooks.executed(on_site, site.root)
            # mkdocs-jupyter renders the notebook itself: the links go in as its first cell.
            shown.cells.insert(0, nbformat.v4.new_markdown_cell(_links_html(_links[file.src_uri], texts)))
            rendered = render_dir / (file.src_uri[:-3] + ".ipynb")
            rendered.parent.mkdir(parents=True, exist_ok=True)
            rendered.write_text(nbformat.writes(shown), encoding="utf-8")
            result.append(_as_notebook_page(file, rendered, config))
        else:
            result.append(file)
    # Replace in place: i18n's file list subclass also resolves links across languages.
    for file in list(files):
        files.remove(file)
    for file in result:
        files.append(file)
    return files


def _links_html(links: dict, texts: dict) -> str:
    return (
        '<p class="kh-notebook-links">'
        f'<a class="md-button" href="{html.escape(links["download"])}" download>{html.escape(texts["download"])}</a> '
        f'<a class="md-button" href="{html.escape(links["colab"])}">{html.escape(texts["colab"])}</a>'
        "</p>"
    )


def on_page_markdown(markdown, page, config, files):
    links = _links.get(page.file.src_uri)
    if not links:
        return markdown
    return _links_html(links, config.extra["notebooks"]) + "\n\n" + markdown


def on_page_content(html_content, page, config, files):
    if isinstance(page.file, NotebookFile):
        html_content = notebook_html.slim(html_content, config.extra["notebooks"]["image_alt"])
        page.toc = get_toc(notebook_html.toc_tokens(html_content))
    return html_content
