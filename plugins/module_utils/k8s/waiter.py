# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waits for pods 0..N-1 of a StatefulSet to be Ready, from a watch on its pods.

Done means: the controller has observed the current generation; every pod ``<name>-i``
(i < N) exists, is Ready and, under RollingUpdate, runs ``status.updateRevision`` (pods
below the partition excepted); no pod with ordinal >= N remains. A pod that cannot become
Ready without help (see :func:`k8s_pods.failure`) ends the wait at once, with its logs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import math
import re
import time

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import pods as k8s_pods
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import Expired, K8sError, NotFound
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.statefulsets import label_selector, spec_replicas

# Longest single watch request; the StatefulSet is re-read between two of them.
WATCH_ROUND = 10
# Watch rounds while only the StatefulSet's status is missing (no pod event will come).
STATUS_ROUND = 1


class WaitFailed(K8sError):
    """The wait failed: ``msg`` says why, ``result`` holds what was seen (pods, elapsed...)."""

    def __init__(self, msg, result):
        super(WaitFailed, self).__init__(msg)
        self.msg = msg
        self.result = result


def now_rfc3339():
    """The current UTC time as RFC 3339 with microseconds: 2025-01-02T03:04:05.123456Z."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text):
    """An RFC 3339 timestamp (as the API writes them) to an aware datetime; None stays None."""
    if not text:
        return None
    match = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    if not match:
        raise ValueError("not an RFC 3339 time: %r" % text)
    stamp = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    if match.group(2):
        stamp = stamp.replace(microsecond=int((match.group(2)[1:] + "000000")[:6]))
    zone = match.group(3)
    if zone == "Z":
        offset = datetime.timedelta(0)
    else:
        offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        if zone[0] == "-":
            offset = -offset
    return stamp.replace(tzinfo=datetime.timezone(offset))


def is_ordered(pods):
    """True when every pod is Ready and ready_at does not decrease with the ordinal."""
    if not all(p["ready"] and p["ready_at"] for p in pods):
        return False
    times = [parse_time(p["ready_at"]) for p in pods]
    return all(earlier <= later for earlier, later in zip(times, times[1:]))


def expected_revision(statefulset):
    """(update revision, partition) when RollingUpdate pods must run it, else (None, 0)."""
    strategy = (statefulset.get("spec") or {}).get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return None, 0
    revision = (statefulset.get("status") or {}).get("updateRevision")
    partition = (strategy.get("rollingUpdate") or {}).get("partition") or 0
    return revision, int(partition)


def generation_gap(statefulset):
    """A sentence when the controller has not observed the current generation yet, else None."""
    generation = (statefulset.get("metadata") or {}).get("generation") or 0
    observed = (statefulset.get("status") or {}).get("observedGeneration")
    if observed is None or observed < generation:
        return "the StatefulSet controller has not observed generation %s yet (observed: %s)" % (generation, observed)
    return None


def evaluate(statefulset, pods, name, replicas):
    """Judges the current state without calling the API.

    ``pods`` maps pod names to pod dicts. Returns a dict: ``done`` (bool), ``pods_done``
    (everything but the StatefulSet status is done), ``failure`` ((pod, failure dict) or
    None), ``blockers`` (sentences, the first is the most useful).
    """
    blockers = []
    failure = None
    revision, partition = expected_revision(statefulset)
    gap = generation_gap(statefulset)
    for index in range(replicas):
        pod_name = "%s-%d" % (name, index)
        pod = pods.get(pod_name)
        if pod is None:
            blockers.append("pod %s does not exist yet" % pod_name)
            continue
        pod_revision = k8s_pods.revision(pod)
        outdated = bool(revision) and index >= partition and pod_revision != revision
        broken = k8s_pods.failure(pod)
        if broken and failure is None and not gap and not outdated and not k8s_pods.is_terminating(pod):
            failure = (pod, broken)
        if not k8s_pods.is_ready(pod):
            text = "pod %s is not Ready: %s" % (pod_name, k8s_pods.describe_not_ready(pod))
            if broken and outdated:
                text += (" (it runs revision %s, not the update revision %s: a pod broken on an old revision"
                         " is not replaced by the controller; delete it)" % (pod_revision, revision))
            blockers.append(text)
            continue
        if outdated:
            blockers.append("pod %s runs revision %s, the update revision is %s" % (pod_name, pod_revision, revision))
    extra = []
    for pod_name in pods:
        number = k8s_pods.ordinal(pod_name, name)
        if number is not None and number >= replicas:
            extra.append((number, pod_name))
    for _number, pod_name in sorted(extra):
        blockers.append("pod %s (ordinal >= %d) still exists" % (pod_name, replicas))
    pods_done = not blockers
    if gap:
        blockers.insert(0, gap)
    return {"done": not blockers, "pods_done": pods_done, "failure": failure, "blockers": blockers}


class StatefulSetWaiter:
    def __init__(self, api, name, namespace, replicas, timeout, log_lines):
        self.api = api
        self.name = name
        self.namespace = namespace
        self.replicas_option = replicas
        self.replicas = replicas
        self.timeout = timeout
        self.log_lines = log_lines
        self.pods = {}
        self.seen = {}
        self.resource_version = None
        self.statefulset = None
        self.selector = None
        self.started = None

    # --- state ------------------------------------------------------------------------

    def note(self, pod):
        """Records when this incarnation (uid) of the pod was first seen Ready."""
        name = k8s_pods.pod_name(pod)
        uid = (pod.get("metadata") or {}).get("uid")
        entry = self.seen.get(name)
        if entry is None or entry["uid"] != uid:
            entry = {"uid": uid, "observed_at": None}
            self.seen[name] = entry
        if k8s_pods.is_ready(pod):
            if entry["observed_at"] is None:
                entry["observed_at"] = now_rfc3339()
        else:
            entry["observed_at"] = None

    def relist(self):
        items, self.resource_version = self.api.pods(self.namespace, self.selector)
        self.pods = {}
        for pod in items:
            self.pods[k8s_pods.pod_name(pod)] = pod
            self.note(pod)

    def refresh_statefulset(self):
        self.statefulset = self.api.statefulset(self.namespace, self.name)
        if self.replicas_option is None:
            self.replicas = spec_replicas(self.statefulset)
        self.selector = label_selector(self.statefulset)

    def evaluate(self):
        return evaluate(self.statefulset, self.pods, self.name, self.replicas)

    # --- result -----------------------------------------------------------------------

    def pod_results(self):
        out = []
        for index in range(self.replicas or 0):
            pod_name = "%s-%d" % (self.name, index)
            pod = self.pods.get(pod_name)
            seen = self.seen.get(pod_name) or {}
            out.append({
                "name": pod_name,
                "ordinal": index,
                "exists": pod is not None,
                "ready": bool(pod) and k8s_pods.is_ready(pod),
                "ready_at": k8s_pods.ready_since(pod) if pod else None,
                "observed_at": seen.get("observed_at") if pod else None,
                "created_at": k8s_pods.created_at(pod) if pod else None,
                "revision": k8s_pods.revision(pod) if pod else None,
                "phase": ((pod or {}).get("status") or {}).get("phase"),
            })
        return out

    def result(self):
        pods = self.pod_results()
        status = (self.statefulset or {}).get("status") or {}
        return {
            "changed": False,
            "pods": pods,
            "ordered": is_ordered(pods) if pods else self.replicas == 0,
            "replicas": self.replicas,
            "elapsed": round(time.monotonic() - self.started, 3),
            "generation": ((self.statefulset or {}).get("metadata") or {}).get("generation"),
            "observed_generation": status.get("observedGeneration"),
            "update_revision": status.get("updateRevision"),
            "current_revision": status.get("currentRevision"),
        }

    def logs(self, pod_name, container, which):
        """The last log_lines lines of a container (previous instance when ``which`` says so)."""
        if not self.log_lines or which is None:
            return [], None
        attempts = [which == "previous", which != "previous"]
        error = None
        for previous in attempts:
            try:
                return self.api.pod_log(self.namespace, pod_name, container, self.log_lines, previous), None
            except K8sError as exc:
                error = str(exc)
        return [], error

    def fail_fast(self, pod, broken):
        pod_name = k8s_pods.pod_name(pod)
        lines, error = self.logs(pod_name, broken["container"], broken["logs"])
        msg = k8s_pods.describe_failure(pod, broken)
        if lines:
            msg += "\nlast %d log lines of %s:\n%s" % (len(lines), broken["container"], "\n".join(lines))
        elif error:
            msg += "\n(logs of %s unavailable: %s)" % (broken["container"], error)
        elif broken["logs"] is None:
            msg += "\n(container %s never started: no logs)" % broken["container"]
        result = self.result()
        result.update({
            "failed_pod": pod_name,
            "failed_container": broken["container"],
            "reason": broken["reason"],
            "logs": lines,
        })
        raise WaitFailed(msg, result)

    # --- loop -------------------------------------------------------------------------

    def watch_round(self, seconds):
        """Follows pod events for up to ``seconds``; returns early when done or failed."""
        try:
            for kind, obj in self.api.watch_pods(self.namespace, self.selector, self.resource_version,
                                                 max(1, int(math.ceil(seconds)))):
                version = (obj.get("metadata") or {}).get("resourceVersion")
                if version:
                    self.resource_version = version
                if kind in ("ADDED", "MODIFIED"):
                    self.pods[k8s_pods.pod_name(obj)] = obj
                    self.note(obj)
                elif kind == "DELETED":
                    self.pods.pop(k8s_pods.pod_name(obj), None)
                    self.seen.pop(k8s_pods.pod_name(obj), None)
                else:
                    continue
                verdict = self.evaluate()
                if verdict["pods_done"] or verdict["failure"] or time.monotonic() >= self.deadline:
                    break
        except Expired:
            # The resourceVersion expired: start again from a fresh list.
            self.relist()

    def run(self):
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout
        try:
            return self.loop()
        except NotFound as exc:
            raise WaitFailed(str(exc), self.result())
        except WaitFailed:
            raise
        except K8sError as exc:
            raise WaitFailed("Kubernetes API error while waiting for StatefulSet %s/%s: %s"
                             % (self.namespace, self.name, exc), self.result())

    def loop(self):
        self.refresh_statefulset()
        self.relist()
        while True:
            verdict = self.evaluate()
            if verdict["pods_done"]:
                # Pod events alone do not show the controller's status: read it again.
                self.refresh_statefulset()
                verdict = self.evaluate()
                if verdict["done"]:
                    return self.result()
            if verdict["failure"]:
                self.fail_fast(*verdict["failure"])
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                blockers = verdict["blockers"] or ["unknown state"]
                msg = "timed out after %ss waiting for StatefulSet %s/%s (%d pods): %s" % (
                    self.timeout, self.namespace, self.name, self.replicas, blockers[0])
                if len(blockers) > 1:
                    msg += " (and %d more: see waiting_for)" % (len(blockers) - 1)
                result = self.result()
                result["waiting_for"] = verdict["blockers"]
                raise WaitFailed(msg, result)
            self.watch_round(min(remaining, STATUS_ROUND if verdict["pods_done"] else WATCH_ROUND))
            if not self.evaluate()["pods_done"]:
                self.refresh_statefulset()


def wait_for_statefulset(api, name, namespace, replicas, timeout, log_lines):
    """Waits as described in this file's docstring; returns the result dict or raises WaitFailed.
    ``api`` is a cluster_api.ClusterApi."""
    waiter = StatefulSetWaiter(api, name, namespace, replicas, timeout, log_lines)
    return waiter.run()
