"""Benchmark 6's figures: medians per mode and the cost of the semi-sync wait."""

from figures.commit import commit
from wording.commit import commit_section
from wording.markdown import Doc


def run(index, semi_sync, micros, commits=1000):
    return {"index": index, "semi_sync": semi_sync, "commits": commits, "micros": micros, "load1": 0.5}


def test_not_measured():
    assert commit([]) is None
    assert commit([run(1, True, 3000000)]) is None


def test_medians_and_cost():
    figs = commit([run(1, True, 3000000), run(1, False, 1000000), run(2, False, 1200000), run(2, True, 2800000),
                   run(3, True, 3400000), run(3, False, 1100000)])
    assert figs["semi_ms"] == 3.0 and figs["async_ms"] == 1.1
    assert round(figs["cost_ms"], 6) == 1.9 and round(figs["ratio"], 3) == 2.727
    assert figs["runs"] == 3 and figs["commits"] == 1000
    assert [r["ms"] for r in figs["rows"]][:2] == [3.0, 1.0]


def test_the_section_says_when_no_cost_was_measurable():
    for semi, expected in ((3000000, "costs **1.00 ms** per commit (1.50x)"), (1000000, "no cost was measurable")):
        doc = Doc()
        commit_section(doc, {"server": "mysql-9.7", "figures": commit([run(1, True, semi), run(1, False, 2000000)])})
        assert expected in "\n".join(doc.lines)
