# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads several Kubernetes objects through one client, redacting Secret values."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import secrets as secret_values


def redact_secret(resource):
    """A Secret's data replaced by key -> whether it holds a non-empty value, and the keys
    whose value ends in a line break (refused by the collection; said without the value)."""
    if resource.get("kind") != "Secret":
        return resource
    redacted = dict(resource)
    data = resource.get("data") or {}
    redacted["data"] = dict((key, bool(value)) for key, value in data.items())
    redacted["keys_ending_in_line_break"] = sorted(key for key, value in data.items()
                                                   if value and secret_values.ends_with_line_break(value))
    redacted.pop("stringData", None)
    metadata = dict(redacted.get("metadata") or {})
    annotations = dict(metadata.get("annotations") or {})
    # kubectl's last-applied annotation would carry the values again.
    annotations.pop("kubectl.kubernetes.io/last-applied-configuration", None)
    metadata["annotations"] = annotations
    metadata.pop("managedFields", None)
    redacted["metadata"] = metadata
    return redacted


def read_objects(api, queries):
    """One result per query, in order: what was asked, whether the API exists, what exists.
    ``api`` is a cluster_api.ClusterApi."""
    results = []
    for query in queries:
        found = api.find(
            query["kind"],
            query.get("api_version") or "v1",
            name=query.get("name"),
            namespace=query.get("namespace"),
            label_selectors=query.get("label_selectors") or [],
        )
        resources = [redact_secret(item) for item in found.get("resources") or []]
        results.append(
            dict(
                kind=query["kind"],
                api_version=query.get("api_version") or "v1",
                name=query.get("name"),
                namespace=query.get("namespace"),
                api_found=found.get("api_found", True),
                exists=bool(resources),
                resources=resources,
            )
        )
    return results
