"""`python3 dev.py audit`: Lighthouse on the built site, the way a phone would load it.

Builds the site (mkdocs build --strict), serves it on 127.0.0.1 as GitHub Pages would (root
404.html, gzip), and runs npm's Lighthouse (pinned in tools/lighthouse/package.json; `npm ci`
there when node_modules is missing) with the system's Chromium, default mobile settings
(simulated throttling), on EVERY page of every language. Pages left out are listed in the
report with the reason: redirect stubs of old addresses (hooks/redirects.py: a meta refresh
and nothing else) and the 404 pages (served with status 404, which Lighthouse's SEO audit
fails by definition). Writes reports/lighthouse.md (the four scores, the transferred bytes
raw and gzip-compressed as GitHub Pages sends them, the metrics and what keeps a score under
100), rewritten after every page, and each page's raw JSON next to it.

A benchmark, not a test: goals are performance >= 95, accessibility, best practices and SEO
100; pages under them are marked in the table, and the exit status is 0 either way (scores
depend on the machine: a loaded one lowers performance). Options: --site DIR (audit an
already built site), --pages PATH... (only these URL paths), --jobs N (Lighthouse runs at
once; more than 1 distorts performance scores), --runs N (runs per page: the median run by
performance is reported, with every run's score), --attempts N (tries per run, below).

With --runs N, only a page's first run measures all four categories; the others measure
performance alone, and the other three scores come from the first run. Accessibility, best
practices and SEO read the page's HTML and headers, which are the same in every run, and
leaving them out takes a run from about 18 to 13 s here (issue 12: 86 pages, three runs each).
The JSON kept next to the report is the median run's, so when that run measured performance
alone, the page's other three scores are in the table and in the first run only.

A headless Chromium sometimes holds a page's first frames back: its display compositor draws
no frame, so it stops offering the page frames and the first paint waits up to a second for
the next one, though the page was ready to paint (GoogleChrome/lighthouse#17148). Lighthouse's
simulation then counts that second's work as blocking the first paint, and any page, the
home page included, loses 5 to 15 points at random, for a wait that is the headless
browser's, not the page's. The mark of such a run is a page that had finished loading
(observed load event at about 0.4 s here) before its first paint (about 1.25 s); otherwise
it paints first (0.15-0.3 s). Traces with the compositor's category
(`--additional-trace-categories=viz`) showed its decision, "ThrottleUndrawnFrames", about 60
times before the paint in each such run and never in the others, but recording it slows the
run, so the audit reads the mark instead.

A machine busy with other work slows every page alike: in one audit seven pages that score
96-100 on an idle machine scored 78-91 while Lighthouse's own CPU benchmark of the run
(environment.benchmarkIndex) read 1980-2480 instead of the usual 2790-2970. Such a run
measures the machine, not the page, so a run whose benchmark is under SLOWED times the median
of the audit's runs so far is set aside too, and the page is run again after a pause. The
median follows the machine: if it stays slower, the runs after it are compared with a slower
median, and the CPU column of the report shows what each score was measured on.

A run set aside for either reason is run again, up to ATTEMPTS times per run (--attempts; the
last one is then reported, marked); the report says how many runs were set aside, and why.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.harness import browser
from tests.harness.serve import serve
from tools import site_config as config

ROOT = config.ROOT
LIGHTHOUSE_DIR = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "reports"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Runs of a page tried before one that is not set aside is given up on (the last one is then
# reported, marked).
ATTEMPTS = 4
# A run whose CPU benchmark is under this share of the audit's median was measured on a slowed
# machine. Idle runs vary by about 6% (2790-2970); the slowed ones were 14-31% under.
SLOWED = 0.9
# Seconds to wait before running a page again after a slowed run, for the other work to pass.
SLOWED_PAUSE = 30
# Why a run is set aside, as the log and the report say it.
REASONS = {"held": "the page had loaded before its first paint (compositor held its frames)",
           "slowed": "the machine was slowed (CPU benchmark under {share:.0%} of the audit's median)"}
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


def choose_pages(site: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """([(label, URL path)] of every page, [(URL path, why it is left out)])."""
    default = config.site().default_language
    others = [l for l in config.site().languages if l != default]
    pages, left_out = [], []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        path = "/" + relative.removesuffix("index.html")
        lang = next((l for l in others if relative.startswith(f"{l}/")), default)
        if file.name == "404.html":
            left_out.append((path, "the 404 page: served with status 404, which Lighthouse's SEO audit fails by definition"))
        elif file.name != "index.html":
            left_out.append((path, "not a page (an HTML fragment or notebook view)"))
        elif 'http-equiv="refresh"' in file.read_text(encoding="utf-8")[:2000]:
            left_out.append((path, "redirect stub of an old address (hooks/redirects.py)"))
        else:
            pages.append((lang, path))
    return pages, left_out


def held_back(data: dict) -> bool:
    """Whether the page had loaded before anything was painted: the mark of a run whose first
    frames the compositor held back (the module's docstring says why that is the mark)."""
    metrics = ((data["audits"].get("metrics", {}).get("details") or {}).get("items") or [{}])[0]
    paint, load = metrics.get("observedFirstContentfulPaint"), metrics.get("observedLoad")
    return paint is not None and load is not None and paint > load


def benchmark(data: dict) -> float | None:
    return data.get("environment", {}).get("benchmarkIndex") or None


def set_aside_for(data: dict, earlier: list[float]) -> str | None:
    """Why a run is not comparable ("held" or "slowed", keys of REASONS), or None when it is.
    `earlier` holds the CPU benchmarks of the audit's runs before it; the median needs three."""
    if held_back(data):
        return "held"
    cpu = benchmark(data)
    if cpu is not None and len(earlier) >= 3 and cpu < SLOWED * statistics.median(earlier):
        return "slowed"
    return None


def lighthouse(url: str, output: Path, chrome: str, categories: list[str] = CATEGORIES) -> dict:
    flags = " ".join(browser.FLAGS + [f"--user-data-dir={tempfile.mkdtemp(prefix='lighthouse-')}"])
    env = dict(os.environ, CHROME_PATH=chrome)
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
               f"--only-categories={','.join(categories)}", f"--chrome-flags={flags}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not output.exists():
        raise SystemExit(f"[audit] lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    return json.loads(output.read_text(encoding="utf-8"))


def summary(label: str, path: str, data: dict) -> dict:
    categories = {c: v for c, v in data["categories"].items() if c in CATEGORIES}
    audits = data["audits"]
    scores = {c: round(100 * (v["score"] or 0)) for c, v in categories.items()}
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items") or []
    failing = {}
    for c in categories:
        for ref in categories[c]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.setdefault(c, []).append(f"{audit['title']} ({audit.get('displayValue', '')})".replace(" ()", ""))
    return {"label": label, "path": path, "scores": scores,
            "bytes": int(audits["total-byte-weight"]["numericValue"]),
            "raw": sum(int(r.get("resourceSize") or 0) for r in requests),
            "gzip": sum(int(r.get("transferSize") or 0) for r in requests),
            "metrics": {m: audits[m].get("displayValue", "") for m in METRICS if m in audits},
            "failing": failing, "version": data.get("lighthouseVersion", "?"),
            # Lighthouse's benchmark of the CPU during the run: a machine slowed by other work
            # shows here first (a quarter under its usual value came with scores of 78-91).
            "cpu": round(benchmark(data) or 0)}


def median_run(runs: list[dict]) -> dict:
    """The row of a page measured `runs` times: the median run by performance, as Lighthouse's
    docs advise for a score that varies from run to run, with the other categories (scores and
    what keeps them under 100) from the first run, the one that measured them all."""
    first = runs[0]
    row = dict(sorted(runs, key=lambda run: run["scores"]["performance"])[len(runs) // 2])
    row["scores"] = first["scores"] | {"performance": row["scores"]["performance"]}
    row["failing"] = {c: titles for c, titles in first["failing"].items() if c != "performance"} | (
        {"performance": row["failing"]["performance"]} if "performance" in row["failing"] else {})
    row["runs"] = sorted(run["scores"]["performance"] for run in runs)
    return row


def kib(n: int) -> str:
    return f"{n / 1024:.0f} KiB"


def index_sizes(site: Path) -> list[str]:
    """One line per language's search index (hooks/search.py): its size raw and gzipped."""
    import gzip
    lines = []
    for index in sorted(site.rglob("search/search_index.json")):
        data = index.read_bytes()
        lines.append(f"- `/{index.relative_to(site).as_posix()}`: {kib(len(data))} raw, "
                     f"{kib(len(gzip.compress(data, 6)))} gzip, {len(json.loads(data)['docs'])} entries")
    return lines


def set_aside_cell(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()) if n) or "0"


def write_report(rows: list[dict], left_out: list[tuple[str, str]], path: Path, chrome: str,
                 total: int, note: str, indexes: list[str] = ()) -> None:
    lines = ["# Lighthouse", "",
             f"Lighthouse {rows[0]['version'] if rows else '?'}, mobile (default settings, simulated "
             f"throttling), {chrome}, site served by tests/harness/serve.py with gzip. "
             "Written by `python3 dev.py audit` (tools/audit.py).", "",
             f"{len(rows)} of {total} pages measured"
             + (f", {len(rows[0]['runs'])} runs each: the median run by performance is shown, "
                "all runs' performance scores in the last column" if rows and len(rows[0].get("runs", [])) > 1 else "")
             + f". {note}".rstrip(), "",
             "Goals: " + ", ".join(f"{c} >= {g}" for c, g in GOALS.items()) + " (✗: under the goal). "
             "Transferred: every request of the page load, raw and as sent (gzip). CPU: Lighthouse's "
             "benchmark of the machine during the run shown (environment.benchmarkIndex); compare "
             "scores only between runs with similar values. Set aside: runs not comparable, run "
             "again (tools/audit.py explains): held, headless Chromium's compositor held the first "
             "frames back (GoogleChrome/lighthouse#17148); slowed, the CPU benchmark was under "
             f"{SLOWED:.0%} of the audit's median so far. ⚠: every attempt of the run shown was set "
             "aside, the last one is shown.", "",
             "| path | performance | accessibility | best practices | SEO | raw | gzip | TBT | LCP | runs | set aside | CPU |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        s = row["scores"]
        marks = {c: f"{s[c]}" + ("" if s[c] >= GOALS[c] else " ✗") for c in CATEGORIES}
        lines.append(f"| `{row['path']}` | {marks['performance']} | {marks['accessibility']} | "
                     f"{marks['best-practices']} | {marks['seo']} | {kib(row['raw'])} | {kib(row['gzip'])} | "
                     f"{row['metrics'].get('total-blocking-time', '')} | {row['metrics'].get('largest-contentful-paint', '')} | "
                     f"{', '.join(map(str, row.get('runs', [])))} | {set_aside_cell(row.get('set_aside', {}))}"
                     f"{' ⚠' if row.get('unsettled') else ''} | {row.get('cpu', '')} |")
    if indexes:
        lines += ["", "## Search indexes", "",
                  "Each page loads only its language's index, and only once the reader reaches the "
                  "search box or opens the page from a search result (overrides/main.html): the "
                  "transferred bytes above leave it out.", ""] + list(indexes)
    if left_out:
        lines += ["", "## Left out", ""] + [f"- `{p}`: {why}" for p, why in left_out]
    failing = [row for row in rows if row["failing"]]
    if failing:
        lines += ["", "## What keeps a score under 100", ""]
        for row in failing:
            lines.append(f"- `{row['path']}`: " + " | ".join(
                f"{category}: " + "; ".join(titles) for category, titles in row["failing"].items()))
    path.write_text("\n".join(lines).replace("\xa0", " ") + "\n", encoding="utf-8")


def machine_note() -> str:
    try:
        load = os.getloadavg()[0]
    except OSError:
        return ""
    cpus = os.cpu_count() or 1
    note = f"Load average at the end: {load:.1f} on {cpus} CPUs."
    if load > cpus:
        note += " The machine was busy: performance scores are lower than on an idle one."
    return note


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--pages", nargs="*", help="URL paths to audit (default: every page)")
    parser.add_argument("--jobs", type=int, default=1, help="Lighthouse runs at once (default 1)")
    parser.add_argument("--runs", type=int, default=1,
                        help="runs per page; the table shows the median run by performance (default 1)")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS,
                        help=f"tries per run before a run set aside is kept, marked (default {ATTEMPTS})")
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
    pages, left_out = choose_pages(site)
    total = len(pages)
    if args.pages:
        pages = [(label, path) for label, path in pages if path in args.pages]
        unknown = set(args.pages) - {path for _, path in pages}
        if unknown:
            raise SystemExit(f"[audit] not pages of the built site: {', '.join(sorted(unknown))}")
    report = REPORTS / "lighthouse.md"
    rows: list[dict] = []
    order = {path: i for i, (_, path) in enumerate(pages)}
    benchmarks: list[float] = []  # every run's CPU benchmark, in the order measured
    attempts = max(1, args.attempts)

    def one(base: str, label: str, path: str) -> dict:
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        output, runs, set_aside = REPORTS / f"lighthouse-{name}.json", [], Counter()
        for number in range(args.runs):
            categories = CATEGORIES if number == 0 else ["performance"]  # the module's docstring says why
            for attempt in range(attempts):
                try:
                    data = lighthouse(base.rstrip("/") + path, output, chrome, categories)
                except SystemExit as error:  # one failed run must not lose the others
                    say(str(error))
                    left_out.append((path, "Lighthouse failed on it (see the output of the run)"))
                    return None
                reason, cpu = set_aside_for(data, benchmarks), benchmark(data)
                if cpu is not None:
                    benchmarks.append(cpu)
                if reason is None or attempt == attempts - 1:
                    break
                set_aside[reason] += 1
                say(f"{path}: run set aside, {REASONS[reason].format(share=SLOWED)}")
                if reason == "slowed":
                    time.sleep(SLOWED_PAUSE)
            runs.append(summary(label, path, data) | {"unsettled": reason is not None, "json": output.read_bytes()})
        row = median_run(runs)
        output.write_bytes(row.pop("json"))  # the median run's JSON is the one kept
        row["set_aside"] = dict(set_aside)
        return row

    indexes = index_sizes(site)  # once: it compresses every index, and the report is rewritten per page
    with serve(site, gzip=True) as base, ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        say(f"{len(pages)} pages, {len(left_out)} left out")
        for row in pool.map(lambda page: one(base, *page), pages):
            if row is None:
                continue
            rows.append(row)
            rows.sort(key=lambda r: order[r["path"]])
            say(f"{row['path']}: {row['scores']} {kib(row['raw'])} raw, {kib(row['gzip'])} gzip")
            write_report(rows, left_out, report, chrome, total, "", indexes)
    write_report(rows, left_out, report, chrome, total, machine_note(), indexes)
    say(f"report: {report}")
    missed = [f"{r['path']} {c} {r['scores'][c]}" for r in rows for c in CATEGORIES if r["scores"][c] < GOALS[c]]
    if missed:
        say("under the goals (a benchmark: not a failure): " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
