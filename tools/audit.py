"""`python3 dev.py audit`: Lighthouse on the built site, the way a phone would load it.

Builds the site (mkdocs build --strict), serves it on 127.0.0.1 as GitHub Pages would (root
404.html, gzip), and runs npm's Lighthouse (pinned in tools/lighthouse/package.json; `npm ci`
there when node_modules is missing) with the system's Chromium, default mobile settings, on
the home page and the heaviest page of each language. Writes reports/lighthouse.md (scores,
transferred bytes, what keeps a score under 100) and the raw JSON next to it.

Goal: performance >= 95, accessibility, best practices and SEO 100. Not part of the test
suite: a run takes minutes. Options: --site DIR (audit an already built site), --pages
PATH... (audit these URL paths instead of the automatic choice).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from tests.harness import browser
from tests.harness.serve import serve
from tools import site_config as config

ROOT = config.ROOT
LIGHTHOUSE_DIR = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "reports"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index"]


def say(message: str) -> None:
    print(f"[audit] {message}", flush=True)


def build(site_dir: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    say(f"building the site into {site_dir}")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("[audit] the site did not build (see above)")


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("[audit] Lighthouse needs Node.js and npm (Debian: apt-get install nodejs npm)")
    say("installing Lighthouse from tools/lighthouse/package-lock.json (npm ci)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True)


def page_weight(site: Path, html_file: Path) -> int:
    """Bytes of a page and of the files its HTML makes the browser fetch (a ranking; Lighthouse
    then measures what is really transferred)."""
    total = html_file.stat().st_size
    here = "/" + html_file.relative_to(site).as_posix()
    html = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    seen = set()
    for tag, attribute in (("img", "src"), ("script", "src"), ("link", "href"), ("source", "src")):
        for element in html.find_all(tag, attrs={attribute: True}):
            if tag == "link" and not {"stylesheet", "icon", "preload"} & set(element.get("rel", [])):
                continue
            url = urlsplit(urljoin(here, element[attribute]))
            if url.scheme or url.netloc or url.path in seen:
                continue
            seen.add(url.path)
            target = site / url.path.lstrip("/")
            if target.is_file():
                total += target.stat().st_size
    return total


def choose_pages(site: Path) -> list[tuple[str, str]]:
    """[(label, URL path)]: each language's home page and its heaviest page."""
    chosen = []
    languages = config.site().languages
    default = config.site().default_language
    for lang in languages:
        home = "/" if lang == default else f"/{lang}/"
        others = [f"/{l}/" for l in languages if l != lang and l != default]
        pages = [f for f in site.rglob("index.html")
                 if ("/" + f.relative_to(site).as_posix()).startswith(home)
                 and not any(("/" + f.relative_to(site).as_posix()).startswith(o) for o in others)]
        heaviest = max(pages, key=lambda f: page_weight(site, f))
        path = "/" + heaviest.relative_to(site).as_posix().removesuffix("index.html")
        chosen.append((f"{lang} home", home))
        if path != home:
            chosen.append((f"{lang} heaviest", path))
    return chosen


def lighthouse(url: str, output: Path, chrome: str) -> dict:
    flags = " ".join(browser.FLAGS + [f"--user-data-dir={tempfile.mkdtemp(prefix='lighthouse-')}"])
    env = dict(os.environ, CHROME_PATH=chrome)
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not output.exists():
        raise SystemExit(f"[audit] lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    return json.loads(output.read_text(encoding="utf-8"))


def summary(label: str, path: str, data: dict) -> dict:
    categories = data["categories"]
    audits = data["audits"]
    scores = {c: round(100 * (categories[c]["score"] or 0)) for c in CATEGORIES}
    failing = {}
    for c in CATEGORIES:
        for ref in categories[c]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.setdefault(c, []).append(f"{audit['title']} ({audit.get('displayValue', '')})".replace(" ()", ""))
    return {"label": label, "path": path, "scores": scores,
            "bytes": int(audits["total-byte-weight"]["numericValue"]),
            "metrics": {m: audits[m].get("displayValue", "") for m in METRICS if m in audits},
            "failing": failing, "version": data.get("lighthouseVersion", "?")}


def write_report(rows: list[dict], path: Path, chrome: str) -> None:
    lines = ["# Lighthouse", "",
             f"Lighthouse {rows[0]['version'] if rows else '?'}, mobile (default settings, simulated "
             f"throttling), {chrome}, site served by tests/harness/serve.py with gzip. "
             "Written by `python3 dev.py audit` (tools/audit.py).", "",
             "Goals: " + ", ".join(f"{c} >= {g}" for c, g in GOALS.items()), "",
             "| page | path | performance | accessibility | best practices | SEO | transferred |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        s = row["scores"]
        marks = {c: f"{s[c]}" + ("" if s[c] >= GOALS[c] else " ✗") for c in CATEGORIES}
        lines.append(f"| {row['label']} | `{row['path']}` | {marks['performance']} | {marks['accessibility']} | "
                     f"{marks['best-practices']} | {marks['seo']} | {row['bytes'] / 1024:.0f} KiB |")
    for row in rows:
        lines += ["", f"## {row['label']} (`{row['path']}`)", "",
                  "Metrics: " + ", ".join(f"{k} {v}" for k, v in row["metrics"].items())]
        for category, titles in row["failing"].items():
            lines.append(f"- {category}: " + "; ".join(titles))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--pages", nargs="*", help="URL paths to audit (default: home and heaviest page per language)")
    args = parser.parse_args(argv)

    chrome, where = browser.chromium()
    if chrome is None:
        raise SystemExit(f"[audit] no Chromium at {where}: install Debian's chromium or set CHROMIUM")
    ensure_lighthouse()
    REPORTS.mkdir(exist_ok=True)
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="audit-site-"))
        build(site)
    pages = [(p, p) for p in args.pages] if args.pages else choose_pages(site)
    rows = []
    with serve(site, gzip=True) as base:
        for label, path in pages:
            name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
            say(f"lighthouse {label}: {path}")
            data = lighthouse(base.rstrip("/") + path, REPORTS / f"lighthouse-{name}.json", chrome)
            rows.append(summary(label, path, data))
            say(f"  {rows[-1]['scores']} {rows[-1]['bytes'] / 1024:.0f} KiB")
    report = REPORTS / "lighthouse.md"
    write_report(rows, report, chrome)
    say(f"report: {report}")
    missed = [f"{r['label']} {c} {r['scores'][c]}" for r in rows for c in CATEGORIES if r["scores"][c] < GOALS[c]]
    if missed:
        say("under the goals: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
