"""tools/audit.py's report: the table names each page's scores, bytes and the CPU benchmark
of the run shown, and marks the scores under the goals."""

from __future__ import annotations

from tools import audit


def _lighthouse(performance: float, benchmark: float) -> dict:
    """The parts of a Lighthouse JSON result the report reads."""
    scores = dict.fromkeys(audit.CATEGORIES, 1.0) | {"performance": performance}
    return {"lighthouseVersion": "12.8.2", "environment": {"benchmarkIndex": benchmark},
            "categories": {c: {"score": s, "auditRefs": []} for c, s in scores.items()},
            "audits": {"total-byte-weight": {"numericValue": 2048},
                       "network-requests": {"details": {"items": [{"resourceSize": 4096, "transferSize": 1024}]}},
                       "total-blocking-time": {"displayValue": "410 ms"}}}


def test_the_table_shows_the_cpu_benchmark_and_marks_a_low_score(tmp_path):
    rows = [audit.summary("en", "/fast/", _lighthouse(0.99, 2861.5)) | {"runs": [99], "set_aside": 0},
            audit.summary("en", "/slow/", _lighthouse(0.90, 2164.2)) | {"runs": [90], "set_aside": 2}]
    report = tmp_path / "lighthouse.md"
    audit.write_report(rows, [], report, "chromium", 2, "")
    table = [line for line in report.read_text(encoding="utf-8").splitlines() if line.startswith("| `/")]
    assert table == ["| `/fast/` | 99 | 100 | 100 | 100 | 4 KiB | 1 KiB | 410 ms |  | 99 | 0 | 2862 |",
                     "| `/slow/` | 90 ✗ | 100 | 100 | 100 | 4 KiB | 1 KiB | 410 ms |  | 90 | 2 | 2164 |"]
