"""tools/bench.py: the shards of --shard partition the suite, balanced, and keep the tests
of one group (tests/harness/scheduling.py) together; the report names each kind of test."""

from __future__ import annotations

import textwrap

import pytest

from tools import bench

# pytester runs these small suites in this process, where tools.bench is already loaded.
pytestmark = pytest.mark.filterwarnings("ignore:Module already imported:pytest.PytestAssertRewriteWarning")


def test_split_partitions_and_balances():
    groups = {"a": 10.0, "b": 7.0, "c": 5.0, "d": 3.0, "e": 2.0, "f": 1.0}
    shards = bench.split(groups, 2)
    assert sorted(name for shard in shards for name in shard) == sorted(groups)
    loads = [sum(groups[name] for name in shard) for shard in shards]
    assert loads == [14.0, 14.0], shards


def test_kinds():
    assert bench.kind_of("docs/es/concepts/x.md::line 4") == "page blocks"
    assert bench.kind_of("tests/test_snippets.py::test_module_runs_as_a_script[snippets/a/b.py]") == "snippet scripts"
    assert bench.kind_of("tests/test_browser.py::test_colour_scheme_toggle[en]") == "browser tests"
    assert bench.kind_of("tests/claims/training/test_fit.py::test_x") == "claim checks"
    assert bench.kind_of("tests/test_parity.py::test_y") == "other tests"


def test_shards_of_a_suite_partition_it_and_keep_groups_together(pytester):
    pytester.makeconftest('pytest_plugins = ["tools.bench"]')
    pytester.makepyfile(test_sample=textwrap.dedent("""
        import pytest

        @pytest.mark.parametrize("n", range(7))
        def test_alone(n):
            pass

        @pytest.mark.parametrize("lang", ["docs/en/page", "docs/es/page"])
        def test_page(lang):  # one group: the ids name the two languages of one page
            pass
    """))
    seen = []
    for index in (1, 2):
        result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q", f"--shard={index}/2")
        ids = [line for line in result.outlines if "::" in line]
        assert ids, result.outlines
        seen.append(ids)
        pages = [i for i in ids if "test_page" in i]
        assert len(pages) in (0, 2), f"the two languages of a page were split: {ids}"
    assert sorted(seen[0] + seen[1]) == sorted(set(seen[0]) | set(seen[1]))  # disjoint
    assert len(seen[0]) + len(seen[1]) == 9
    assert abs(len(seen[0]) - len(seen[1])) <= 1


def test_a_bad_shard_is_a_usage_error(pytester):
    pytester.makeconftest('pytest_plugins = ["tools.bench"]')
    pytester.makepyfile(test_sample="def test_a():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--shard=3/2")
    assert result.ret == 4  # pytest's usage error
    result.stderr.fnmatch_lines(["*--shard 3/2: expected K/N with 1 <= K <= N*"])
