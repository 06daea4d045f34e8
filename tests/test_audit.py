"""tools/audit.py: which runs it sets aside as not comparable, and the report's table (each
page's scores, bytes, the CPU benchmark of the run shown, the runs set aside and why, and the
scores under the goals marked)."""

from __future__ import annotations

from tools import audit


def _lighthouse(performance: float, benchmark: float, paint: int = 250, load: int = 400) -> dict:
    """The parts of a Lighthouse JSON result the audit reads (paint and load: the observed first
    paint and load event, in ms)."""
    scores = dict.fromkeys(audit.CATEGORIES, 1.0) | {"performance": performance}
    return {"lighthouseVersion": "12.8.2", "environment": {"benchmarkIndex": benchmark},
            "categories": {c: {"score": s, "auditRefs": []} for c, s in scores.items()},
            "audits": {"metrics": {"details": {"items": [{"observedFirstContentfulPaint": paint,
                                                         "observedLoad": load}]}},
                       "total-byte-weight": {"numericValue": 2048},
                       "network-requests": {"details": {"items": [{"resourceSize": 4096, "transferSize": 1024}]}},
                       "total-blocking-time": {"displayValue": "410 ms"}}}


def test_the_table_shows_the_cpu_benchmark_and_marks_a_low_score(tmp_path):
    rows = [audit.summary("en", "/fast/", _lighthouse(0.99, 2861.5)) | {"runs": [99], "set_aside": {}},
            audit.summary("en", "/slow/", _lighthouse(0.90, 2164.2))
            | {"runs": [90], "set_aside": {"slowed": 3, "held": 1}, "unsettled": True}]
    report = tmp_path / "lighthouse.md"
    audit.write_report(rows, [], report, "chromium", 2, "")
    table = [line for line in report.read_text(encoding="utf-8").splitlines() if line.startswith("| `/")]
    assert table == ["| `/fast/` | 99 | 100 | 100 | 100 | 4 KiB | 1 KiB | 410 ms |  | 99 | 0 | 2862 |",
                     "| `/slow/` | 90 ✗ | 100 | 100 | 100 | 4 KiB | 1 KiB | 410 ms |  | 90 | 1 held, 3 slowed ⚠ | 2164 |"]


def test_runs_that_measure_the_machine_are_set_aside():
    idle = [2862.0, 2788.0, 2971.0, 2900.0]
    assert audit.set_aside_for(_lighthouse(0.99, 2840.0), idle) is None
    assert audit.set_aside_for(_lighthouse(0.78, 1980.0), idle) == "slowed"
    assert audit.set_aside_for(_lighthouse(0.91, 2478.0), idle) == "slowed"
    # Too few runs yet for a median: nothing to compare with.
    assert audit.set_aside_for(_lighthouse(0.78, 1980.0), idle[:2]) is None
    # Loaded before its first paint: the compositor held the page's frames back.
    assert audit.set_aside_for(_lighthouse(0.88, 2862.0, paint=1250, load=400), idle) == "held"


def test_a_page_run_three_times_shows_its_median_run_and_the_first_runs_other_scores():
    """Only the first run measures every category (tools/audit.py says why); the row is the
    median run by performance, with accessibility, best practices and SEO from the first."""
    def run(performance, cpu, only_performance):
        data = _lighthouse(performance, cpu)
        if only_performance:
            data["categories"] = {"performance": data["categories"]["performance"]}
        else:
            data["categories"]["accessibility"]["score"] = 0.97
        return audit.summary("en", "/page/", data)

    runs = [run(0.99, 2800.0, False), run(0.91, 2100.0, True), run(0.96, 2500.0, True)]
    assert runs[1]["scores"] == {"performance": 91}
    row = audit.median_run(runs)
    assert row["scores"] == {"performance": 96, "accessibility": 97, "best-practices": 100, "seo": 100}
    assert row["cpu"] == 2500 and row["runs"] == [91, 96, 99]
