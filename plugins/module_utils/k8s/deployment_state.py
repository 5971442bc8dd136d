# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ConfigMap <name>-state, which every pod mounts: what the collection knows about the
deployment beyond its objects. Key ``initialized`` is the time a verification first found
it healthy; ordinal 0 refuses to start empty while it is set and no peer answers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

INITIALIZED = "initialized"


def record_initialized(api, namespace, configmap, labels, now):
    """Sets ``initialized`` once (never moves it); returns "recorded" or "already"."""
    path = "/api/v1/namespaces/%s/configmaps" % namespace
    body = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": configmap, "namespace": namespace, "labels": dict(labels or {})},
            "data": {INITIALIZED: now}}
    if api.create(path, body) is not None:
        return "recorded"
    existing = api.get("%s/%s" % (path, configmap)) or {}
    if (existing.get("data") or {}).get(INITIALIZED):
        return "already"
    api.merge_patch("%s/%s" % (path, configmap), {"data": {INITIALIZED: now}})
    return "recorded"
