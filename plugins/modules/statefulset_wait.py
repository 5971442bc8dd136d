#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: statefulset_wait
short_description: Wait until the pods of a StatefulSet are Ready, in ordinal order
version_added: 0.1.0
description:
  - Waits until pods C(<name>-0) to C(<name>-<replicas-1>) of a StatefulSet are Ready,
    following a watch on the pods of the StatefulSet's selector and re-reading the
    StatefulSet, so it returns within about a second of the last pod turning Ready.
  - The wait is over when the StatefulSet controller has observed the current generation
    (C(status.observedGeneration >= metadata.generation)); every pod C(<name>-i) with
    C(i < replicas) exists and is Ready and, when the update strategy is C(RollingUpdate)
    and C(status.updateRevision) is set, carries label C(controller-revision-hash) equal to
    it (pods below C(updateStrategy.rollingUpdate.partition) excepted); and no pod with an
    ordinal C(>= replicas) remains (a scale-down has finished).
  - Fails at once, without waiting for O(timeout), when a pod cannot become Ready without
    help, naming the pod, the container, the reason and the container's last O(log_lines)
    log lines. Such pods are those with a container waiting in C(CrashLoopBackOff),
    C(ImagePullBackOff), C(ErrImagePull), C(ErrImageNeverPull), C(InvalidImageName),
    C(CreateContainerConfigError) or C(CreateContainerError), and those with an init
    container whose current or last termination has a non-zero exit code. Pods being
    deleted, and pods of an older revision that a rolling update is about to replace, do
    not end the wait early.
  - On timeout, fails naming the first pod that is not Ready and why (its conditions and
    container states); RV(waiting_for) lists everything that was still missing.
  - Read-only; never reports a change.
author:
  - stateful.mysql maintainers (@stateful)
requirements:
  - python >= 3.8
  - kubernetes >= 24.2.0
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - stateful.mysql.statefulset
attributes:
  check_mode:
    description: Runs the same in check mode (it only reads).
    support: full
  diff_mode:
    description: Makes no changes, so there is no diff.
    support: none
options:
  replicas:
    description:
      - How many pods must be Ready. Defaults to the StatefulSet's C(spec.replicas),
        re-read while waiting.
      - Pods with an ordinal C(>= replicas) must be gone before the wait is over.
    type: int
  timeout:
    description: Seconds to wait before failing.
    type: int
    default: 600
  log_lines:
    description: How many of the failing container's last log lines the failure message shows (0 for none).
    type: int
    default: 20
notes:
  - Ready means the pod's C(Ready) condition is C(True) and the pod is not being deleted.
  - C(ready_at) is the C(Ready) condition's C(lastTransitionTime) (whole seconds, set by the
    kubelet); C(observed_at) is when this module first saw the pod Ready (microseconds).
  - A pod broken on an old revision is not replaced by the StatefulSet controller (the
    known "forced rollback" case); the timeout message says so and names the pod to delete.
seealso:
  - module: kubernetes.core.k8s_info
  - module: stateful.mysql.replication_check
"""

EXAMPLES = r"""
- name: Wait for the database pods after a change
  stateful.mysql.statefulset_wait:
    name: mysql
    namespace: databases
    timeout: 900
  register: rollout

- name: Show how long each pod took
  ansible.builtin.debug:
    msg: "{{ rollout.pods | map(attribute='ready_at') | list }} (ordered: {{ rollout.ordered }})"

- name: Wait for a scale-down to 2 pods to finish
  stateful.mysql.statefulset_wait:
    name: mysql
    namespace: databases
    replicas: 2

- name: Set the connection once for every module of the group
  module_defaults:
    group/stateful.mysql.k8s:
      kubeconfig: /etc/kubernetes/admin.conf
  block:
    - name: Wait for the pods
      stateful.mysql.statefulset_wait:
        name: mysql
"""

RETURN = r"""
pods:
  description: Pods C(<name>-0) to C(<name>-<replicas-1>), ordered by ordinal (also returned on failure).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Pod name.
      type: str
      sample: mysql-1
    ordinal:
      description: Pod ordinal.
      type: int
      sample: 1
    exists:
      description: Whether the pod exists.
      type: bool
    ready:
      description: Whether the pod is Ready.
      type: bool
    ready_at:
      description: The C(Ready) condition's C(lastTransitionTime) when Ready, else null.
      type: str
      sample: "2025-06-01T10:00:04Z"
    observed_at:
      description: When the module first saw this incarnation of the pod Ready (RFC 3339 with microseconds), else null.
      type: str
      sample: "2025-06-01T10:00:04.512345Z"
    created_at:
      description: The pod's C(metadata.creationTimestamp).
      type: str
      sample: "2025-06-01T10:00:01Z"
    revision:
      description: The pod's C(controller-revision-hash) label.
      type: str
      sample: mysql-6d4f8b7c9d
    phase:
      description: The pod's C(status.phase).
      type: str
      sample: Running
ordered:
  description:
    - True when every pod is Ready and C(ready_at) does not decrease with the ordinal.
    - A C(RollingUpdate) replaces pods from the highest ordinal down, so after one it is false.
  returned: always
  type: bool
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 12.345
replicas:
  description: The number of pods waited for.
  returned: success
  type: int
  sample: 3
generation:
  description: The StatefulSet's C(metadata.generation).
  returned: success
  type: int
observed_generation:
  description: The StatefulSet's C(status.observedGeneration).
  returned: success
  type: int
update_revision:
  description: The StatefulSet's C(status.updateRevision).
  returned: success
  type: str
current_revision:
  description: The StatefulSet's C(status.currentRevision).
  returned: success
  type: str
failed_pod:
  description: The pod that made the wait fail early.
  returned: when a pod cannot become Ready
  type: str
  sample: mysql-1
failed_container:
  description: The container of RV(failed_pod) that failed.
  returned: when a pod cannot become Ready
  type: str
  sample: init-data
reason:
  description: Why that container failed (the waiting or termination reason).
  returned: when a pod cannot become Ready
  type: str
  sample: CrashLoopBackOff
logs:
  description: The last O(log_lines) log lines of the failed container.
  returned: when a pod cannot become Ready
  type: list
  elements: str
waiting_for:
  description: Everything that was still missing when the timeout expired, most useful first.
  returned: on timeout
  type: list
  elements: str
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import run_module, statefulset_argument_spec
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.waiter import wait_for_statefulset


def argument_spec():
    return statefulset_argument_spec(
        timeout=dict(type="int", default=600),
        log_lines=dict(type="int", default=20),
    )


CHECKS = [
    (lambda p: p["replicas"] is None or p["replicas"] >= 0, "replicas must be 0 or more"),
    (lambda p: p["timeout"] >= 0 and p["log_lines"] >= 0, "timeout and log_lines must be 0 or more"),
]


def wait(api, module):
    params = module.params
    return wait_for_statefulset(api, params["name"], namespace=params["namespace"], replicas=params["replicas"],
                                timeout=params["timeout"], log_lines=params["log_lines"])


def main():
    run_module(argument_spec(), wait, checks=CHECKS)


if __name__ == "__main__":
    main()
