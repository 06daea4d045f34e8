"""The "Tested with" line at the end of every page, in the page's language.

A page with Python blocks names the Keras and TensorFlow versions and the date of the run
that executed its blocks, read from that run's record in the notebook execution cache
(tools/notebooks.py tested). A page without code, or whose blocks have not run in this
checkout, names the versions requirements.txt pins. The publishing workflow sets
KERAS_HOOKS_STAMP_EXECUTE=1, so a published page with code always names a real run.
Texts: extra.stamp in mkdocs.yml, overridden per language.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import notebooks, site_config  # noqa: E402

CLASS = "kh-tested"


def stamp_text(source: Path | None, site: site_config.SiteConfig, texts: dict) -> str:
    tested = None
    if source and source.suffix == ".md" and source.exists() and "```python" in source.read_text(encoding="utf-8"):
        tested = notebooks.page_tested(source, site)
    if tested and tested.get("keras") and tested.get("tensorflow") and tested.get("date"):
        return texts["tested"].format(**tested)
    return texts["pinned"].format(**notebooks.pinned(site.root))


def on_page_content(html_content, page, config, files):
    texts = config.extra.get("stamp")
    if not texts:
        return html_content
    site = site_config.load(Path(config.config_file_path).parent)
    # The page's Markdown source, also for a lab page, which hooks/notebooks.py renders
    # from its executed notebook (abs_src_path then names that notebook).
    source = None
    if page.file.abs_src_path:
        source = Path(page.file.abs_src_path)
        if source.suffix == ".ipynb" and page.file.src_uri.endswith(".md"):
            source = site.docs_dir / page.file.src_uri
    text = stamp_text(source, site, texts)
    return html_content + f'\n<p class="{CLASS}"><small>{html.escape(text)}</small></p>\n'


# The version menu (extra.version, provider mike) only where `mike deploy` builds the site:
# elsewhere (mkdocs serve, the tests, pull request previews) there is no versions.json, and
# Material's request for it would end in a 404 and a console error on every page.
def _drop_version_menu(config) -> None:
    if not os.environ.get("MIKE_DOCS_VERSION"):
        config.extra.pop("version", None)


def on_page_context(context, page, config, nav):
    _drop_version_menu(config)
    return context


def on_pre_template(template, template_name, config):
    _drop_version_menu(config)
    return template
