import pytest

from figures.goals import GOALS, rerun_verdict, verdict


@pytest.mark.parametrize("value, status, margin", [(1.02, "met", 0.03), (1.05, "met", 0.0), (1.2, "missed", 0.15)])
def test_verdict_at_most(value, status, margin):
    v = verdict(value, GOALS["ttr"])
    assert v["status"] == status
    assert v["margin"] == pytest.approx(margin)


def test_verdict_missed_percent_is_of_the_limit():
    assert verdict(1.26, GOALS["ttr"])["percent"] == pytest.approx(20.0)


def test_verdict_at_least():
    assert verdict(0.8, GOALS["clone"])["status"] == "met"
    v = verdict(0.35, GOALS["clone"])
    assert (v["status"], v["margin"], v["percent"]) == ("missed", pytest.approx(0.35), pytest.approx(50.0))


def test_verdict_strictly_below():
    assert verdict(0.999, GOALS["wait"])["status"] == "met"
    assert verdict(1.0, GOALS["wait"])["status"] == "missed"


def test_not_measured():
    assert verdict(None, GOALS["ttr"]) == {"status": "not measured", "margin": None, "percent": None}


def test_the_goals_the_report_states():
    assert GOALS["ttr"].limit == 1.05
    assert GOALS["rerun"].limit == 0.10
    assert "changed=0" in GOALS["rerun"].text


def test_rerun_fast_but_changed_is_missed():
    runs = [{"index": 1, "changed_total": 0}, {"index": 2, "changed_total": 3}]
    v = rerun_verdict(0.05, runs)
    assert v["status"] == "missed"
    assert v["changed"] == [(2, 3)]


def test_rerun_fast_and_unchanged_is_met():
    v = rerun_verdict(0.05, [{"index": 1, "changed_total": 0}])
    assert v["status"] == "met" and v["changed"] == []


def test_rerun_slow_keeps_its_margin_when_also_changed():
    v = rerun_verdict(0.2, [{"index": 1, "changed_total": 1}])
    assert v["status"] == "missed" and v["margin"] == pytest.approx(0.1) and v["changed"] == [(1, 1)]
