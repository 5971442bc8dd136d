# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for cluster_api.ClusterApi, handed to the code under test (no monkeypatching):
it serves StatefulSets, pods, Secrets, logs, watch rounds and exec results from memory and
records what was asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import NotFound


class FakeApi:
    def __init__(self, statefulsets=(), pods=(), secrets=None, logs=None, rounds=(), exec_result=None):
        # Each statefulset() call returns the next one; the last repeats.
        self.statefulsets = [copy.deepcopy(s) for s in statefulsets]
        self.pod_list = [copy.deepcopy(p) for p in pods]
        self.secrets = secrets or {}
        self.logs = logs or {}
        self.rounds = list(rounds)
        self.exec_result = exec_result
        self.statefulset_reads = 0
        self.watch_calls = []
        self.log_calls = []
        self.exec_calls = []
        self.errors = {}
        # Objects by API path, for get/create/merge_patch.
        self.objects = {}

    def _raise(self, call):
        if call in self.errors:
            raise self.errors[call]

    def statefulset(self, namespace, name):
        self._raise("statefulset")
        self.statefulset_reads += 1
        if not self.statefulsets:
            raise NotFound("StatefulSet %s/%s not found" % (namespace, name))
        index = min(self.statefulset_reads, len(self.statefulsets)) - 1
        return copy.deepcopy(self.statefulsets[index])

    def pod(self, namespace, name):
        return next((copy.deepcopy(p) for p in self.pod_list if p["metadata"]["name"] == name), None)

    def pods(self, namespace, selector):
        self._raise("pods")
        return copy.deepcopy(self.pod_list), "100"

    def secret_key(self, namespace, name, key):
        value = self.secrets.get((name, key))
        if value is None:
            raise NotFound("Secret %s/%s not found" % (namespace, name))
        return value

    def pod_log(self, namespace, name, container, lines, previous=False):
        self.log_calls.append((name, container, lines, previous))
        return self.logs.get((name, container, previous), "").splitlines()[-lines:]

    def watch_pods(self, namespace, selector, resource_version, seconds):
        self.watch_calls.append({"selector": selector, "resource_version": resource_version, "seconds": seconds})
        yield from (self.rounds.pop(0) if self.rounds else [])

    def get(self, path):
        return copy.deepcopy(self.objects.get(path))

    def create(self, path, body):
        full = "%s/%s" % (path, body["metadata"]["name"])
        if full in self.objects:
            return None
        self.objects[full] = copy.deepcopy(body)
        return copy.deepcopy(body)

    def merge_patch(self, path, body):
        target = self.objects[path]
        for key, value in body.items():
            if isinstance(value, dict):
                target.setdefault(key, {}).update(value)
            else:
                target[key] = value
        return copy.deepcopy(target)

    def exec(self, namespace, pod, container, command, stdin=None, timeout=60):
        self.exec_calls.append({"pod": pod, "container": container, "command": command, "stdin": stdin})
        return self.exec_result(command, stdin)
