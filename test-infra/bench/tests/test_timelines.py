import pytest

from timelines import parse_time, pod_timeline, timeline_tasks


def test_parse_time():
    assert parse_time("1970-01-01T00:01:00Z") == 60.0
    assert parse_time("1970-01-01T00:01:00.250000Z") == pytest.approx(60.25)
    assert parse_time(None) is None
    with pytest.raises(ValueError):
        parse_time("1970-01-01 00:01:00")


def test_timeline_tasks_pairs_starts_and_results():
    events = [{"event": "loaded", "t": 1.0},
              {"event": "task_start", "task": "A", "action": "k8s", "uuid": "a", "t": 2.0},
              {"event": "result", "uuid": "a", "host": "localhost", "status": "ok", "changed": True, "t": 2.5,
               "result": {"elapsed": 0.1}},
              {"event": "result", "uuid": "zz", "host": "localhost", "status": "ok", "changed": False, "t": 3.0},
              {"event": "stats", "summary": {"localhost": {"changed": 1}}, "t": 4.0}]
    out = timeline_tasks(events)
    assert out["loaded"] == 1.0 and out["stats"] == {"localhost": {"changed": 1}}
    assert out["tasks"] == [{"name": "A", "action": "k8s", "start": 2.0, "end": 2.5, "result": {"elapsed": 0.1},
                             "hosts": {"localhost": {"t": 2.5, "status": "ok", "changed": True}}}]


def test_pod_timeline_keeps_init_containers_that_ran_before():
    pod = {"metadata": {"creationTimestamp": "c", "uid": "u"},
           "status": {"conditions": [{"type": "Ready", "lastTransitionTime": "r"}],
                      "initContainerStatuses": [{"name": "clone", "restartCount": 1, "state": {},
                                                 "lastState": {"terminated": {"startedAt": "s", "finishedAt": "f",
                                                                              "exitCode": 1}}}],
                      "containerStatuses": [{"name": "mysql", "ready": True,
                                             "state": {"running": {"startedAt": "m"}}}]}}
    out = pod_timeline(pod)
    assert out["conditions"] == {"Ready": "r"}
    assert out["init"] == [{"name": "clone", "started": "s", "finished": "f", "exit": 1, "restarts": 1}]
    assert out["containers"] == [{"name": "mysql", "started": "m", "ready": True, "restarts": 0}]
