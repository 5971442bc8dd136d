# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StatefulSet wait: the verdict on captured objects, and the watch loop on a fake API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import waiter as sw
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import Expired, K8sError
from fakes import FakeApi


def renamed(pod, ordinal, ready=True, ready_at=None, revision=None, uid=None):
    """The captured Ready pod ok-0 as pod ok-<ordinal>."""
    out = copy.deepcopy(pod)
    out["metadata"]["name"] = "ok-%d" % ordinal
    out["metadata"]["uid"] = uid or "uid-%d" % ordinal
    if revision:
        out["metadata"]["labels"]["controller-revision-hash"] = revision
    for cond in out["status"]["conditions"]:
        if cond["type"] == "Ready":
            cond["status"] = "True" if ready else "False"
            if ready_at:
                cond["lastTransitionTime"] = ready_at
    return out


def by_name(*pods):
    return dict((p["metadata"]["name"], p) for p in pods)


# --- the verdict ------------------------------------------------------------------------

def test_done_with_captured_objects(sts, pod):
    verdict = sw.evaluate(sts, by_name(pod("ready")), "ok", 1)
    assert verdict == {"done": True, "pods_done": True, "failure": None, "blockers": []}


def test_missing_pod_blocks(sts, pod):
    verdict = sw.evaluate(sts, by_name(pod("ready")), "ok", 2)
    assert not verdict["done"]
    assert verdict["blockers"] == ["pod ok-1 does not exist yet"]


def test_unobserved_generation_blocks(sts, pod):
    sts["metadata"]["generation"] = sts["status"]["observedGeneration"] + 1
    verdict = sw.evaluate(sts, by_name(pod("ready")), "ok", 1)
    assert verdict["pods_done"] and not verdict["done"]
    assert verdict["blockers"][0].startswith("the StatefulSet controller has not observed generation")


def test_outdated_revision_blocks(sts, pod):
    sts["status"]["updateRevision"] = "ok-new"
    verdict = sw.evaluate(sts, by_name(pod("ready")), "ok", 1)
    assert not verdict["done"]
    assert verdict["blockers"] == ["pod ok-0 runs revision %s, the update revision is ok-new"
                                   % pod("ready")["metadata"]["labels"]["controller-revision-hash"]]


def test_partition_exempts_low_ordinals(sts, pod):
    sts["status"]["updateRevision"] = "ok-new"
    sts["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}
    pods = by_name(pod("ready"), renamed(pod("ready"), 1, revision="ok-new"))
    assert sw.evaluate(sts, pods, "ok", 2)["done"]


def test_on_delete_ignores_revisions(sts, pod):
    sts["status"]["updateRevision"] = "ok-new"
    sts["spec"]["updateStrategy"] = {"type": "OnDelete"}
    assert sw.evaluate(sts, by_name(pod("ready")), "ok", 1)["done"]


def test_scale_down_waits_for_high_ordinals(sts, pod):
    pods = by_name(pod("ready"), renamed(pod("ready"), 1), renamed(pod("ready"), 2))
    verdict = sw.evaluate(sts, pods, "ok", 1)
    assert verdict["blockers"] == ["pod ok-1 (ordinal >= 1) still exists", "pod ok-2 (ordinal >= 1) still exists"]


def test_failure_found_and_not_ready_reported(sts, pod):
    broken = pod("crashloopbackoff")
    broken["metadata"]["name"] = "ok-1"
    broken["metadata"]["labels"]["controller-revision-hash"] = sts["status"]["updateRevision"]
    verdict = sw.evaluate(sts, by_name(pod("ready"), broken), "ok", 2)
    assert verdict["failure"][1]["reason"] == "CrashLoopBackOff"
    assert verdict["blockers"][0].startswith("pod ok-1 is not Ready: ")


def test_broken_pod_of_old_revision_does_not_fail_fast(sts, pod):
    sts["status"]["updateRevision"] = "ok-new"
    broken = pod("errimageneverpull")
    broken["metadata"]["name"] = "ok-0"
    verdict = sw.evaluate(sts, by_name(broken), "ok", 1)
    assert verdict["failure"] is None
    assert "delete it" in verdict["blockers"][0]


def test_no_fail_fast_before_the_generation_is_observed(sts, pod):
    sts["metadata"]["generation"] = sts["status"]["observedGeneration"] + 1
    broken = pod("errimageneverpull")
    broken["metadata"]["name"] = "ok-0"
    assert sw.evaluate(sts, by_name(broken), "ok", 1)["failure"] is None


def test_ordered():
    def entry(at, ready=True):
        return {"ready": ready, "ready_at": at}

    assert sw.is_ordered([entry("2026-11-25T17:58:01Z"), entry("2026-11-25T17:58:01Z"), entry("2026-11-25T17:58:07Z")])
    assert not sw.is_ordered([entry("2026-11-25T17:58:04Z"), entry("2026-11-25T17:58:01Z")])
    assert not sw.is_ordered([entry("2026-11-25T17:58:01Z"), entry(None, ready=False)])
    assert sw.is_ordered([])


def test_parse_time():
    assert sw.parse_time("2026-11-25T17:58:01Z") < sw.parse_time("2026-11-25T17:58:01.5Z")
    assert sw.parse_time("2026-11-25T18:58:01+01:00") == sw.parse_time("2026-11-25T17:58:01Z")
    assert sw.parse_time(None) is None
    with pytest.raises(ValueError):
        sw.parse_time("yesterday")
    assert sw.now_rfc3339().endswith("Z") and "." in sw.now_rfc3339()


# --- the loop, on a fake API ---------------------------------------------------------------

def wait(api, timeout=30, log_lines=20):
    return sw.wait_for_statefulset(api, "ok", "mod-x", None, timeout, log_lines)


def test_loop_returns_when_the_last_pod_turns_ready(sts, pod):
    sts["spec"]["replicas"] = 2
    first = renamed(pod("ready"), 0, ready_at="2026-11-25T17:58:01Z")
    second_unready = renamed(pod("ready"), 1, ready=False)
    second_ready = renamed(pod("ready"), 1, ready_at="2026-11-25T17:58:04Z")
    api = FakeApi([sts], [first], rounds=[[("ADDED", second_unready), ("MODIFIED", second_ready),
                                          ("MODIFIED", second_ready)]])
    result = wait(api)
    assert [p["name"] for p in result["pods"]] == ["ok-0", "ok-1"]
    assert [p["ready"] for p in result["pods"]] == [True, True]
    assert result["pods"][1]["ready_at"] == "2026-11-25T17:58:04Z"
    assert result["pods"][1]["observed_at"].endswith("Z")
    assert result["ordered"] is True
    assert result["changed"] is False
    assert result["replicas"] == 2
    # One watch round, started from the list's resourceVersion; the StatefulSet re-read.
    assert len(api.watch_calls) == 1
    assert api.watch_calls[0]["resource_version"] == "100"
    assert api.watch_calls[0]["selector"] == "app=ok"
    assert api.statefulset_reads >= 2


def test_loop_fails_fast_with_logs(sts, pod):
    broken = pod("init-crashloopbackoff")
    broken["metadata"]["name"] = "ok-0"
    broken["metadata"]["labels"]["controller-revision-hash"] = sts["status"]["updateRevision"]
    logs = {("ok-0", "init-data", True): "cloning from peer\nclone failed: connection refused\n"}
    api = FakeApi([sts], [broken], logs=logs)
    with pytest.raises(sw.WaitFailed) as caught:
        wait(api, timeout=600, log_lines=5)
    msg = caught.value.msg
    assert msg.startswith("pod ok-0 init container init-data: CrashLoopBackOff (exit code 2)")
    assert msg.endswith("last 2 log lines of init-data:\ncloning from peer\nclone failed: connection refused")
    assert caught.value.result["failed_pod"] == "ok-0"
    assert caught.value.result["failed_container"] == "init-data"
    assert caught.value.result["reason"] == "CrashLoopBackOff"
    assert caught.value.result["elapsed"] < 5
    assert api.log_calls == [("ok-0", "init-data", 5, True)]


def test_loop_times_out_naming_the_first_unready_pod(sts, pod):
    pending = pod("pending")
    pending["metadata"]["name"] = "ok-0"
    with pytest.raises(sw.WaitFailed) as caught:
        wait(FakeApi([sts], [pending]), timeout=0)
    assert caught.value.msg.startswith("timed out after 0s waiting for StatefulSet mod-x/ok (1 pods): pod ok-0 is not Ready: phase Pending")
    assert caught.value.result["waiting_for"][0].startswith("pod ok-0 is not Ready")
    assert caught.value.result["pods"][0]["ready"] is False


def test_loop_waits_for_the_controller_status(sts, pod):
    behind = copy.deepcopy(sts)
    behind["metadata"]["generation"] = 2
    caught_up = copy.deepcopy(sts)
    caught_up["metadata"]["generation"] = 2
    caught_up["status"]["observedGeneration"] = 2
    api = FakeApi([behind, behind, caught_up], [pod("ready")], rounds=[[], []])
    result = wait(api)
    assert result["observed_generation"] == 2
    assert api.statefulset_reads == 3
    # Short rounds while only the status is missing.
    assert api.watch_calls[0]["seconds"] == sw.STATUS_ROUND


def test_an_expired_watch_lists_again(sts, pod):
    sts["spec"]["replicas"] = 2
    first = renamed(pod("ready"), 0, ready_at="2026-11-25T17:58:01Z")
    second = renamed(pod("ready"), 1, ready_at="2026-11-25T17:58:04Z")

    def expired(*args):
        # The pod turned Ready while the watch's resourceVersion was too old to resume from.
        api.pod_list.append(second)
        raise Expired("too old resource version")

    api = FakeApi([sts], [first])
    api.watch_pods = expired
    result = wait(api)
    assert [p["ready"] for p in result["pods"]] == [True, True]


def test_missing_statefulset(sts):
    with pytest.raises(sw.WaitFailed) as caught:
        wait(FakeApi([], []))
    assert caught.value.msg == "StatefulSet mod-x/ok not found"


def test_api_errors_become_a_failure_message(sts):
    # ClusterApi hands the API's message on as the wing's K8sError.
    exc = K8sError('pods is forbidden: User "x" cannot list resource "pods"', status=403)
    api = FakeApi([sts], [])
    api.errors["pods"] = exc
    with pytest.raises(sw.WaitFailed) as caught:
        wait(api)
    assert caught.value.msg == ('Kubernetes API error while waiting for StatefulSet mod-x/ok: '
                                'pods is forbidden: User "x" cannot list resource "pods"')
    assert caught.value.result["ordered"] is False
