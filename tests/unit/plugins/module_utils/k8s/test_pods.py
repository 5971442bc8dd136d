# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readiness predicates on pods captured from a real cluster (fixtures/pods/)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import pods as k8s_pods


def test_ready_pod(pod):
    ready = pod("ready")
    assert k8s_pods.is_ready(ready)
    assert k8s_pods.ready_since(ready) == k8s_pods.condition(ready, "Ready")["lastTransitionTime"]
    assert k8s_pods.ready_since(ready).endswith("Z")
    assert k8s_pods.failure(ready) is None
    assert k8s_pods.revision(ready) == ready["metadata"]["labels"]["controller-revision-hash"]
    assert k8s_pods.created_at(ready) == ready["metadata"]["creationTimestamp"]


@pytest.mark.parametrize("name", [
    "crashloopbackoff", "errimageneverpull", "init-failed", "init-crashloopbackoff",
    "createcontainerconfigerror", "pending",
])
def test_not_ready_pods(pod, name):
    assert not k8s_pods.is_ready(pod(name))
    assert k8s_pods.ready_since(pod(name)) is None


def test_terminating_ready_pod_is_not_ready(pod):
    ready = pod("ready")
    ready["metadata"]["deletionTimestamp"] = "2026-11-25T18:00:00Z"
    assert not k8s_pods.is_ready(ready)
    assert "terminating" in k8s_pods.describe_not_ready(ready)


@pytest.mark.parametrize("name, container, init, reason, exit_code, logs", [
    ("crashloopbackoff", "mysql", False, "CrashLoopBackOff", 3, "previous"),
    ("errimageneverpull", "mysql", False, "ErrImageNeverPull", None, None),
    ("createcontainerconfigerror", "mysql", False, "CreateContainerConfigError", None, None),
    ("init-failed", "init-data", True, "Error", 2, "current"),
    ("init-crashloopbackoff", "init-data", True, "CrashLoopBackOff", 2, "previous"),
])
def test_failures(pod, name, container, init, reason, exit_code, logs):
    found = k8s_pods.failure(pod(name))
    assert found is not None
    assert found["container"] == container
    assert found["init"] is init
    assert found["reason"] == reason
    assert found["exit_code"] == exit_code
    assert found["logs"] == logs


def test_pending_pod_is_no_failure_but_says_why(pod):
    pending = pod("pending")
    assert k8s_pods.failure(pending) is None
    text = k8s_pods.describe_not_ready(pending)
    assert "phase Pending" in text
    assert "PodScheduled=False (Unschedulable" in text


def test_failure_descriptions_name_pod_container_and_reason(pod):
    text = k8s_pods.describe_failure(pod("errimageneverpull"), k8s_pods.failure(pod("errimageneverpull")))
    assert text.startswith("pod noimage-0 container mysql: ErrImageNeverPull")
    assert "is not present with pull policy of Never" in text
    text = k8s_pods.describe_failure(pod("init-failed"), k8s_pods.failure(pod("init-failed")))
    assert text.startswith("pod initfail-0 init container init-data: Error (exit code 2)")


def test_describe_not_ready_lists_container_states(pod):
    text = k8s_pods.describe_not_ready(pod("crashloopbackoff"))
    assert "Ready=False (ContainersNotReady" in text
    assert "container mysql: waiting CrashLoopBackOff" in text
    text = k8s_pods.describe_not_ready(pod("init-failed"))
    assert "init container init-data: terminated Error exit code 2" in text


def test_init_container_that_failed_once_then_completed_is_no_failure(pod):
    ready = pod("ready")
    ready["status"]["initContainerStatuses"] = [{
        "name": "init-data",
        "ready": True,
        "restartCount": 1,
        "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}},
        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
    }]
    assert k8s_pods.failure(ready) is None


def test_init_container_running_again_after_a_failure_is_a_failure(pod):
    stuck = copy.deepcopy(pod("init-failed"))
    status = stuck["status"]["initContainerStatuses"][0]
    status["lastState"] = {"terminated": dict(status["state"]["terminated"])}
    status["state"] = {"running": {"startedAt": "2026-11-25T17:52:00Z"}}
    found = k8s_pods.failure(stuck)
    assert found["reason"] == "Error"
    assert found["exit_code"] == 2
    assert found["logs"] == "previous"


def test_main_container_terminated_once_is_not_yet_a_failure(pod):
    crashed = pod("crashloopbackoff")
    status = crashed["status"]["containerStatuses"][0]
    status["state"] = {"terminated": dict(status["lastState"]["terminated"])}
    assert k8s_pods.failure(crashed) is None


@pytest.mark.parametrize("reason", sorted(k8s_pods.FAILURE_WAITING_REASONS))
def test_every_failure_reason_is_caught(pod, reason):
    waiting = pod("pending")
    waiting["status"]["containerStatuses"] = [{"name": "mysql", "ready": False, "state": {"waiting": {"reason": reason}}}]
    assert k8s_pods.failure(waiting)["reason"] == reason


@pytest.mark.parametrize("reason", ["ContainerCreating", "PodInitializing"])
def test_transient_waiting_reasons_are_not_failures(pod, reason):
    waiting = pod("pending")
    waiting["status"]["containerStatuses"] = [{"name": "mysql", "ready": False, "state": {"waiting": {"reason": reason}}}]
    assert k8s_pods.failure(waiting) is None


@pytest.mark.parametrize("name, statefulset, expected", [
    ("mysql-0", "mysql", 0),
    ("mysql-12", "mysql", 12),
    ("mysql-read-0", "mysql", None),
    ("mysql-01", "mysql", None),
    ("mysql-", "mysql", None),
    ("my.sql-3", "my.sql", 3),
    ("myxsql-3", "my.sql", None),
    (None, "mysql", None),
])
def test_ordinal(name, statefulset, expected):
    assert k8s_pods.ordinal(name, statefulset) == expected
