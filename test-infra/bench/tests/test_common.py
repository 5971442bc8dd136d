import pytest

import fake_results as fr
from figures.common import (med, median_run, module_tasks, pod_history, ratio, rel, site_split, spread,
                            task_profile)


def test_med_ignores_unknown_values():
    assert med([3.0, None, 1.0, 2.0]) == 2.0
    assert med([None]) is None


def test_rel_and_ratio_of_unknowns():
    assert rel(None, 1.0) is None and rel(3.0, 1.0) == 2.0
    assert ratio(2.0, 0) is None and ratio(None, 1.0) is None and ratio(3.0, 2.0) == 1.5


def test_spread():
    assert spread([2.0, None, 1.0]) == (1.0, 2.0)
    assert spread([]) == (None, None)


def test_median_run_takes_the_lower_middle():
    runs = [{"index": i, "v": v} for i, v in enumerate([4.0, 1.0, 3.0, 2.0], 1)]
    assert median_run(runs, lambda x: x["v"])["index"] == 4  # values 1, 2, 3, 4: the lower middle is 2
    assert median_run([], lambda x: x) is None


def test_site_split_is_ready_then_verification():
    run = {"t0": 100.0, "wait_end": 130.0, "t_end": 131.5}
    assert site_split(run) == (30.0, 1.5)
    assert site_split({"t0": 100.0, "t_end": 110.0}) == (None, None)


def test_module_tasks_skip_non_modules_skipped_and_late_tasks():
    run = fr.site_run(1, fr.T0, 30.0)
    run["tasks"].append(fr.task("Skipped", "kubernetes.core.k8s", fr.T0 + 2, fr.T0 + 2.1, status="skipped"))
    names = [t["name"] for t in module_tasks(run)]
    assert names == ["Read", "Apply", "Wait", "Verify"]
    assert [t["name"] for t in module_tasks(run, before=run["wait_start"])] == ["Read", "Apply"]


def test_task_profile_is_relative_to_the_start():
    run = fr.site_run(1, fr.T0, 30.0)
    rows = task_profile(run, min_s=0.5)
    assert [r["name"] for r in rows] == ["Read", "Apply", "Wait", "Verify"]
    assert rows[0]["start"] == pytest.approx(1.0) and rows[0]["duration"] == pytest.approx(0.7)


def test_pod_history_from_the_command_start():
    run = {"t0": fr.T0, "watch_added": {"mysql-0": fr.T0 + 2.5}, "watch_ready": {"mysql-0": {"t": fr.T0 + 9.25}},
           "pods": {"mysql-0": fr.pod_info(fr.T0 + 2.5, fr.T0 + 4, {"init-config": (fr.T0 + 4, fr.T0 + 5)},
                                           fr.T0 + 7)}}
    h = pod_history(run, "mysql-0", {"mysql-0": fr.T0 + 9.5})
    assert h["created"] == 2.5 and h["scheduled"] == 4.0 and h["started"] == 7.0
    assert h["init"] == [("init-config", 4.0, 5.0)]
    assert h["ready"] == pytest.approx(9.25) and h["noticed"] == pytest.approx(9.5)
    assert pod_history(run, "mysql-1") is None
