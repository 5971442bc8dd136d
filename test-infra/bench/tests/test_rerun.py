import pytest

import fake_results as fr
from figures.rerun import import_costs, rerun

IMPORTS = [{"code": "pass", "median_s": 0.01, "runs": [0.01] * 5},
           {"code": "import kubernetes.dynamic", "median_s": 0.22, "runs": [0.2] * 5},
           {"code": "from kubernetes.client import CoreV1Api", "median_s": 0.78, "runs": [0.7] * 5}]


def test_not_measured_without_a_rerun():
    assert rerun([], IMPORTS) is None


def test_fraction_of_the_first_run_and_a_met_goal():
    figs = rerun(fr.rerun_runs(totals=(3.0, 3.3, 3.1), first=(33.0, 33.0, 34.0)), IMPORTS)
    assert figs["fraction"] == pytest.approx(3.1 / 34.0)  # the median of 3/33, 3.3/33, 3.1/34
    assert figs["verdict"]["status"] == "met"
    assert figs["allowed"] == pytest.approx(3.3) and figs["note"] is None


def test_a_slow_rerun_gets_a_note_with_an_estimate():
    figs = rerun(fr.rerun_runs(), IMPORTS)
    assert figs["verdict"]["status"] == "missed"
    note = figs["note"]
    assert note["over"] and note["api_tasks"] == 2 and note["saving"] == 0
    assert note["estimate"] == pytest.approx(figs["profile"]["total"])
    assert note["allowed"] == pytest.approx(0.1 * 34.2)


def test_a_fast_rerun_that_changed_something_misses_and_says_so():
    figs = rerun(fr.rerun_runs(totals=(3.0, 3.0, 3.0), changed=(0, 2, 0)), IMPORTS)
    assert figs["verdict"]["status"] == "missed" and figs["verdict"]["changed"] == [(2, 2)]
    assert figs["note"]["over"] is False and figs["note"]["changed"] == [(2, 2)]


def test_profile_of_the_median_rerun():
    p = rerun(fr.rerun_runs(), IMPORTS)["profile"]
    assert p["index"] == 3 and p["modules"] == 4  # Read, Apply, Wait, Verify
    assert p["wait_elapsed"] == 0.02 and p["check_elapsed"] == 0.4
    assert [r["name"] for r in p["startup"]] == ["Wait", "Verify"]
    assert p["startup"][1]["startup"] == pytest.approx(p["check_task"] - 0.4)
    assert p["rest"] == pytest.approx(p["total"] - p["module_time"] - p["loaded"] - p["tail"])


def test_import_costs():
    costs = import_costs(IMPORTS)
    assert costs["delta"] == pytest.approx(0.56) and costs["repeat"] == 5
    assert import_costs(IMPORTS[:2]) is None
