import pytest

import fake_results as fr
from figures.wait import wait


def test_not_measured_without_a_run():
    assert wait([]) is None


def test_latencies_against_the_watcher():
    figs = wait([fr.wait_entry(1, fr.T0), fr.wait_entry(2, fr.T0 + 1000, module_delay=0.003)])
    assert figs["pods"] == 6
    assert figs["module"] == pytest.approx(0.002, abs=1e-5)  # observed_at has microseconds
    assert figs["k8s_info"] == pytest.approx(2.1)
    assert figs["k8s_info_max"] == pytest.approx(4.1)
    assert figs["verdict"]["status"] == "met"
    assert [p["pod"] for p in figs["per_ordinal"]] == ["mysql-0", "mysql-1", "mysql-2"]
    assert figs["per_ordinal"][2]["k8s_info"] == pytest.approx(4.1)


def test_a_pod_ready_before_the_wait_began_counts_only_for_k8s_info():
    entry = fr.wait_entry(1, fr.T0)
    first = entry["site"]["wait_result"]["pods"][0]["name"]
    entry["watch_ready"][first]["t"] = entry["site"]["wait_start"] - 1.0
    figs = wait([entry])
    assert figs["pods"] == 2
    assert [r["before_wait"] for r in figs["rows"]] == [True, False, False]
    assert len([r for r in figs["rows"] if r["k8s_info"] is not None]) == 3


def test_the_same_latency_in_time_to_ready_runs():
    figs = wait([fr.wait_entry(1, fr.T0)], fr.ttr_runs())
    assert figs["alone"]["count"] == 9
    assert figs["alone"]["median"] == pytest.approx(0.01, abs=1e-5)


def test_a_wait_before_verify_sees_the_pods_first():
    """site.yml may wait twice (a roll's wait, then verify.yml's): latency is the first sighting."""
    entry = fr.wait_entry(1, fr.T0)
    site = entry["site"]
    first = [t for t in site["tasks"] if t["action"].endswith("statefulset_wait")][0]
    late = dict(first, start=first["end"], end=first["end"] + 1.0,
                result={"pods": [dict(p, observed_at=fr.micro(first["end"] + 0.9)) for p in first["result"]["pods"]]})
    site["tasks"].insert(site["tasks"].index(first) + 1, late)
    figs = wait([entry])
    assert figs["pods"] == 3 and figs["module"] == pytest.approx(0.001, abs=1e-5)
