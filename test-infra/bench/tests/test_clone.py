import pytest

import fake_results as fr
from figures.clone import clone
from figures.clone_log import clone_log
from figures.clone_note import ranked_fixed_steps, size_for_goal


def test_not_measured_without_runs_or_local_copies():
    assert clone({}) is None
    assert clone({"runs": [{}], "local": []}) is None


def test_stream_ratio_is_local_time_over_clone_time():
    figs = clone(fr.clone_bucket("stream", ratio_runs=(15.0, 16.0, 15.2), local_seconds=(3.4, 3.5, 3.3)))
    assert figs["local"]["seconds"] == 3.4  # the primary's median
    assert [r["ratio"] for r in figs["runs"]] == pytest.approx([3.4 / 15.0, 3.4 / 16.0, 3.4 / 15.2])
    assert figs["ratio"] == pytest.approx(3.4 / 15.2)
    assert figs["verdict"]["status"] == "missed"
    assert figs["paths"]["medians"] == {8192: 7.3, 131072: 4.2}
    assert figs["paths"]["of_local"][131072] == pytest.approx(3.4 / 4.2)


def test_plugin_ratio_compares_rates_when_the_bytes_differ():
    bucket = fr.clone_bucket("plugin", ratio_runs=(10.0,), local_seconds=(4.0,))
    bucket["local"][0]["bytes"] = 2_000_000_000  # the whole datadir, binary logs included
    run = bucket["runs"][0]
    run["clone_log"] = run["clone_log"].replace("cloned 1.3G in 5s", "cloned 1000M in 5s")  # what CLONE wrote
    figs = clone(bucket)
    row = figs["runs"][0]
    assert row["bytes"] == 1000 * 2 ** 20 and row["bytes_from"] == "log"
    assert figs["local"]["rate"] == pytest.approx(5e8)
    assert row["local_equiv"] == pytest.approx(1000 * 2 ** 20 / 5e8)
    assert row["ratio"] == pytest.approx(row["local_equiv"] / 10.0)
    assert row["rate"] == pytest.approx(1000 * 2 ** 20 / 1e6 / 10.0)
    assert figs["paths"] is None and figs["local"]["container"] == "mysql"


def test_plugin_bytes_fall_back_to_the_new_datadir_without_a_size_in_the_log():
    bucket = fr.clone_bucket("plugin", ratio_runs=(10.0,))
    run = bucket["runs"][0]
    run["clone_log"] = run["clone_log"].replace("cloned 1.3G in 5s", "cloned in 5s")
    run["datadir_bytes"] = 1_000_000_000
    row = clone(bucket)["runs"][0]
    assert (row["bytes"], row["bytes_from"]) == (1_000_000_000, "datadir")


def test_plugin_timeline_from_the_clone_log():
    figs = clone(fr.clone_bucket("plugin", ratio_runs=(15.0,)))
    steps = dict((s["key"], s) for s in figs["median"]["steps"])
    assert list(steps) == ["start", "sched", "sandbox", "init", "scratch", "copy", "finish", "containers", "ready",
                           "noticed", "check"]
    assert steps["scratch"]["duration"] == 2.0  # clone container started +6 s, CLONE began +8 s
    assert steps["copy"]["duration"] == 5.0 and steps["copy"]["detail"] == "cloned 1.3G in 5s"
    assert steps["finish"]["duration"] == 1.0
    assert figs["median"]["transfer_key"] == "copy" and figs["median"]["transfer"] == 5.0


def test_one_init_container_starts_the_clone_step_when_init_datadir_logged_last():
    figs = clone(fr.clone_bucket("plugin", ratio_runs=(15.0,), one_init=True))
    steps = dict((s["key"], s) for s in figs["median"]["steps"])
    assert figs["median"]["init_containers"] == 1
    assert steps["init"]["duration"] == 1.0  # init started +4 s, init-datadir logged +5 s
    assert steps["scratch"]["duration"] == 3.0  # until CLONE began at +8 s
    assert steps["copy"]["duration"] == 5.0


def test_stream_timeline_from_the_clone_log():
    figs = clone(fr.clone_bucket("stream", ratio_runs=(15.0,)))
    steps = dict((s["key"], s) for s in figs["median"]["steps"])
    assert "connect" in steps and "scratch" not in steps
    assert steps["stream"]["duration"] == 5.0 and steps["stream"]["detail"].startswith("received 1.2G")
    assert figs["median"]["around"] == pytest.approx(10.0)


def test_clone_log_moments():
    log = fr.clone_log_plugin(fr.T0) + "junk line\n" + "%s clone: waiting for the donor x\n" % fr.api(fr.T0 + 1)
    moments = clone_log(log)
    assert moments["cloning"] == fr.T0 + 8 and moments["copied"] == fr.T0 + 13 and moments["cloned"] == fr.T0 + 14
    assert moments["copied_bytes"] == pytest.approx(1.3 * 2 ** 30)
    assert moments["waiting"] == fr.T0 + 1 and "receiving" not in moments
    assert "after:init-datadir" not in moments
    moments = clone_log("%s init-datadir: not ordinal 0\n" % fr.api(fr.T0 + 3))
    assert moments == {"after:init-datadir": fr.T0 + 3}


def test_note_ranks_the_fixed_steps_and_estimates_a_size():
    figs = clone(fr.clone_bucket("stream"))
    note = figs["note"]
    keys = [k for k, _v in note["ranked"]]
    assert "stream" not in keys and "start" not in keys and keys[0] == "sched"
    assert note["fixed"] == pytest.approx(sum(v for _k, v in note["ranked"]))
    assert note["buffers"]["matters"] is True
    assert note["estimate"]["transfer_of_local"] == pytest.approx(3.4 / 4.2)


def test_size_for_goal():
    # local 100 MB/s, transfer at 0.8 of local, 10 s fixed: 0.7 = L / (10 + L / 0.8) at L = 56 s, 5.6 GB
    assert size_for_goal(0.7, 10.0, 1e8, 0.8) == pytest.approx(5.6e9)
    assert size_for_goal(0.7, 10.0, 1e8, 0.6) is None


def test_ranked_fixed_steps_leave_out_unknown_durations():
    steps = [{"key": "start", "duration": 9}, {"key": "a", "duration": 1}, {"key": "copy", "duration": 5},
             {"key": "b", "duration": None}, {"key": "c", "duration": 3}]
    assert ranked_fixed_steps(steps, "copy") == [("c", 3), ("a", 1)]


def test_a_met_clone_goal_has_no_note():
    figs = clone(fr.clone_bucket("stream", ratio_runs=(4.0,), local_seconds=(3.4,)))
    assert figs["verdict"]["status"] == "met" and figs["note"] is None
