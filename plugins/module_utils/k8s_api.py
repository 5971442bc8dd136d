# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plumbing between kubernetes.core's client and the typed kubernetes APIs, in raw JSON."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


# The typed APIs load lazily: kubernetes' client package resolves these names on first use.
try:
    from kubernetes import client as _typed
except ImportError:
    # Reported by AnsibleK8SModule when the module starts.
    _typed = None


class NotFound(Exception):
    """An object the caller needs does not exist; the message names it."""


def _find(client, has):
    current = client
    for _depth in range(3):
        if has(current):
            return current
        current = getattr(current, "client", None)
    raise TypeError("no kubernetes client in %r" % (client,))


def api_client(client):
    """The kubernetes ApiClient behind a kubernetes.core K8SClient (or the ApiClient itself).

    ``get_api_client(module)`` returns a K8SClient whose ``.client`` is the dynamic client,
    whose ``.client`` is the ApiClient carrying the connection settings.
    """
    return _find(client, lambda obj: hasattr(obj, "call_api"))


def dynamic_client(client):
    """The kubernetes DynamicClient behind a kubernetes.core K8SClient (or the client itself)."""
    return _find(client, lambda obj: hasattr(obj, "request") and hasattr(obj, "resources"))


class DynamicApis(object):
    """The few calls the modules make, with the typed APIs' names and raw responses,
    served by the dynamic client kubernetes.core already built.

    Loading kubernetes' generated CoreV1Api and AppsV1Api costs over half a second of
    module start-up, paid on every run; only pod logs, read once a pod has failed, still
    go through CoreV1Api. Errors are the dynamic client's, subclasses of ApiException.
    """

    def __init__(self, client):
        self._dynamic = dynamic_client(client)
        self.api_client = api_client(client)

    def _get(self, path, query_params=None, **params):
        params.pop("_preload_content", None)
        return self._dynamic.request("GET", path, query_params=list(query_params or []),
                                     serialize=False, _preload_content=False, **params)

    def read_namespaced_stateful_set(self, name, namespace, **params):
        return self._get("/apis/apps/v1/namespaces/%s/statefulsets/%s" % (namespace, name), **params)

    def read_namespaced_pod(self, name, namespace, **params):
        return self._get("/api/v1/namespaces/%s/pods/%s" % (namespace, name), **params)

    def list_namespaced_pod(self, namespace, **params):
        return self._get("/api/v1/namespaces/%s/pods" % namespace, **params)

    def read_namespaced_secret(self, name, namespace, **params):
        return self._get("/api/v1/namespaces/%s/secrets/%s" % (namespace, name), **params)

    def read_namespaced_pod_log(self, name, namespace, **params):
        return _typed.CoreV1Api(self.api_client).read_namespaced_pod_log(name, namespace, **params)


def apis(client):
    """(core, apps): the reads of the typed CoreV1Api and AppsV1Api, served by one
    :class:`DynamicApis` sharing the client's connection settings."""
    served = DynamicApis(client)
    return served, served


def raw_json(response):
    """The JSON body of a call made with ``_preload_content=False``, as the API sent it."""
    data = response.data
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return json.loads(data)


def api_error_text(exc):
    """The API's own message from an ApiException (its Status body), else status and reason."""
    body = getattr(exc, "body", None)
    if body:
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        try:
            return json.loads(body).get("message") or str(body)
        except (ValueError, AttributeError):
            return str(body)
    return ("%s %s" % (getattr(exc, "status", "") or "", getattr(exc, "reason", "") or exc)).strip()
