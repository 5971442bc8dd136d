import pytest

import fake_results as fr
from figures.deploy import ttr


def test_not_measured_without_both_sides():
    assert ttr([r for r in fr.ttr_runs() if r["kind"] == "site"]) is None
    assert ttr([]) is None


def test_ratio_of_the_medians_and_per_run_pairs():
    figs = ttr(fr.ttr_runs(site_ready=(32.0, 33.0, 34.0), base_total=(27.0, 28.0, 26.0)))
    m = figs["medians"]
    assert (m["site_ready"], m["base_ready"]) == (33.0, 27.0)
    assert m["ratio"] == pytest.approx(33.0 / 27.0)
    assert m["pairs"] == pytest.approx([32 / 27, 33 / 28, 34 / 26])
    assert m["site_spread"] == (32.0, 34.0) and m["base_spread"] == (26.0, 28.0)
    assert m["site_verify"] == pytest.approx(1.2)
    assert figs["site_index"] == 2 and figs["base_index"] == 1


def test_a_missed_goal_says_by_how_much_and_why():
    figs = ttr(fr.ttr_runs(site_ready=(32.0, 33.0, 34.0), base_total=(27.0, 28.0, 26.0)))
    m = figs["medians"]
    assert m["verdict"]["status"] == "missed"
    assert m["allowed"] == pytest.approx(1.05 * 27.0)
    assert m["beyond"] == pytest.approx(33.0 - 1.05 * 27.0)
    note = figs["note"]
    assert [name for name, _d in note["reads"]] == ["Read"] and [name for name, _d in note["applies"]] == ["Apply"]
    assert note["saving"] == 0  # two API tasks already: nothing left to merge
    assert note["rest"]["count"] == 1  # the assert task before the wait
    assert m["verify_verdict"]["status"] == "met"


def test_a_met_goal_has_no_note():
    figs = ttr(fr.ttr_runs(site_ready=(28.0, 28.0, 28.0), base_total=(27.0, 27.0, 27.0)))
    assert figs["medians"]["verdict"]["status"] == "met"
    assert figs["note"] is None


def test_where_the_time_goes_splits_before_and_after_the_first_pod():
    figs = ttr(fr.ttr_runs())
    site, base = figs["where"]["site"], figs["where"]["base"]
    assert site["first_pod"] == pytest.approx(2.7, abs=1e-5)  # after the API tasks
    assert base["first_pod"] == pytest.approx(0.3, abs=1e-5)
    assert site["cluster"] == pytest.approx(site["last_ready"] - site["first_pod"])
    assert site["ready"] == 33.0 and base["ready"] == 27.0
    assert [h["pod"] for h in figs["site_pods"]] == ["mysql-0", "mysql-1", "mysql-2"]
    assert figs["site_pods"][0]["noticed"] == pytest.approx(figs["site_pods"][0]["ready"] + 0.01, abs=1e-5)


def test_tasks_before_the_wait():
    pre = ttr(fr.ttr_runs())["before_wait"]
    assert pre["count"] == 2 and pre["module_time"] == pytest.approx(1.5)
    assert pre["before_wait"] == pytest.approx(2.6) and pre["overhead"] == pytest.approx(1.1)
    assert pre["loaded"] == pytest.approx(0.4)


def test_a_second_wait_is_not_an_api_task():
    runs = fr.ttr_runs()
    for run in runs:
        if run["kind"] == "site":  # a roll's wait before verify.yml's, as site.yml may run
            wait = [t for t in run["tasks"] if t["action"].endswith("statefulset_wait")][0]
            roll = fr.task("Roll wait", "stateful.mysql.statefulset_wait", wait["start"], wait["start"] + 20.0)
            run["tasks"].insert(run["tasks"].index(wait), roll)
            wait["start"] = roll["end"]
    pre = ttr(runs)["before_wait"]
    assert pre["count"] == 2 and pre["module_time"] == pytest.approx(1.5)
