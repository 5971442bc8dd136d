# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readiness predicates and failure detection on pod dicts.

Every function takes a pod as the API serves it (a dict with camelCase keys, as
``kubectl get pod -o json`` prints it) and never calls the API, so the unit tests feed
them pods captured from a real cluster.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Waiting reasons that will not go away by waiting: fail at once instead of at the timeout.
FAILURE_WAITING_REASONS = frozenset([
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "ErrImageNeverPull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
])

# Only a crash-looping container has run; for every other reason there are no logs to show.
NO_LOG_REASONS = FAILURE_WAITING_REASONS - frozenset(["CrashLoopBackOff"])


def _get(obj, *path):
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def pod_name(pod):
    return _get(pod, "metadata", "name")


def ordinal(name, statefulset):
    """The ordinal of pod ``name`` of StatefulSet ``statefulset``, or None if it is not one."""
    if not name:
        return None
    match = re.match(r"^%s-(0|[1-9][0-9]*)$" % re.escape(statefulset), name)
    return int(match.group(1)) if match else None


def condition(pod, kind):
    for cond in _get(pod, "status", "conditions") or []:
        if cond.get("type") == kind:
            return cond
    return None


def is_terminating(pod):
    return bool(_get(pod, "metadata", "deletionTimestamp"))


def is_ready(pod):
    """True when the pod's Ready condition is True and it is not being deleted."""
    cond = condition(pod, "Ready")
    return bool(cond) and cond.get("status") == "True" and not is_terminating(pod)


def ready_since(pod):
    """The Ready condition's lastTransitionTime when the pod is Ready, else None."""
    if not is_ready(pod):
        return None
    return condition(pod, "Ready").get("lastTransitionTime")


def created_at(pod):
    return _get(pod, "metadata", "creationTimestamp")


def revision(pod):
    return (_get(pod, "metadata", "labels") or {}).get("controller-revision-hash")


def _statuses(pod):
    """(container status, is_init) for init containers first, then the regular ones."""
    out = []
    for status in _get(pod, "status", "initContainerStatuses") or []:
        out.append((status, True))
    for status in _get(pod, "status", "containerStatuses") or []:
        out.append((status, False))
    return out


def _exit_code(terminated):
    code = (terminated or {}).get("exitCode")
    return None if code is None else int(code)


def failure(pod):
    """Why the pod will not become Ready without someone fixing it, or None.

    Returns a dict: ``container``, ``init`` (bool), ``reason``, ``message``, ``exit_code``
    (or None), ``logs`` ('current', 'previous' or None: which logs hold the failure).
    Caught: a container waiting with one of FAILURE_WAITING_REASONS, and an init container
    whose current or last termination has a non-zero exit code (unless it has since
    completed successfully).
    """
    for status, init in _statuses(pod):
        name = status.get("name")
        state = status.get("state") or {}
        last = status.get("lastState") or {}
        waiting = state.get("waiting")
        terminated = state.get("terminated")
        last_terminated = last.get("terminated")
        if waiting and waiting.get("reason") in FAILURE_WAITING_REASONS:
            reason = waiting["reason"]
            if reason in NO_LOG_REASONS:
                logs = None
            else:
                logs = "previous" if last_terminated else "current"
            return {
                "container": name,
                "init": init,
                "reason": reason,
                "message": waiting.get("message") or "",
                "exit_code": _exit_code(last_terminated),
                "logs": logs,
            }
        if not init:
            continue
        code = _exit_code(terminated)
        if code:
            return {
                "container": name,
                "init": True,
                "reason": terminated.get("reason") or "Error",
                "message": terminated.get("message") or "init container exited with code %d" % code,
                "exit_code": code,
                "logs": "current",
            }
        last_code = _exit_code(last_terminated)
        if last_code and not (terminated and code == 0):
            return {
                "container": name,
                "init": True,
                "reason": last_terminated.get("reason") or "Error",
                "message": last_terminated.get("message")
                or "init container exited with code %d (restart %s)" % (last_code, status.get("restartCount", 0)),
                "exit_code": last_code,
                "logs": "previous",
            }
    return None


def describe_failure(pod, fail):
    parts = ["pod %s" % pod_name(pod)]
    parts.append("%scontainer %s" % ("init " if fail["init"] else "", fail["container"]))
    text = "%s: %s" % (" ".join(parts), fail["reason"])
    if fail.get("exit_code") is not None:
        text += " (exit code %d)" % fail["exit_code"]
    if fail.get("message"):
        text += ": %s" % fail["message"]
    return text


def _describe_state(state):
    if not state:
        return "no state"
    for kind in ("waiting", "running", "terminated"):
        if kind in state and state[kind] is not None:
            detail = state[kind] or {}
            words = [kind]
            if detail.get("reason"):
                words.append(detail["reason"])
            if kind == "terminated" and detail.get("exitCode") is not None:
                words.append("exit code %s" % detail["exitCode"])
            text = " ".join(words)
            if detail.get("message"):
                text += " (%s)" % detail["message"].strip()
            return text
    return "no state"


def describe_not_ready(pod):
    """One line saying why a pod is not Ready: phase, false conditions, container states."""
    parts = []
    if is_terminating(pod):
        parts.append("terminating since %s" % _get(pod, "metadata", "deletionTimestamp"))
    phase = _get(pod, "status", "phase")
    if phase:
        parts.append("phase %s" % phase)
    for cond in _get(pod, "status", "conditions") or []:
        if cond.get("status") == "True":
            continue
        text = "%s=%s" % (cond.get("type"), cond.get("status"))
        detail = ": ".join(x for x in (cond.get("reason"), cond.get("message")) if x)
        if detail:
            text += " (%s)" % detail
        parts.append(text)
    for status, init in _statuses(pod):
        if status.get("ready") and not init:
            continue
        if init and _exit_code((status.get("state") or {}).get("terminated")) == 0:
            continue
        parts.append("%scontainer %s: %s%s" % (
            "init " if init else "",
            status.get("name"),
            _describe_state(status.get("state")),
            "" if status.get("ready") or init else ", not ready",
        ))
    return "; ".join(parts) if parts else "no status yet"
