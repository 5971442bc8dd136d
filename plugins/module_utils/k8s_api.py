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


def CoreV1Api(raw):  # noqa: N802 - stands for the class it builds
    return _typed.CoreV1Api(raw)


def AppsV1Api(raw):  # noqa: N802
    return _typed.AppsV1Api(raw)


class NotFound(Exception):
    """An object the caller needs does not exist; the message names it."""


def api_client(client):
    """The kubernetes ApiClient behind a kubernetes.core K8SClient (or the ApiClient itself).

    ``get_api_client(module)`` returns a K8SClient whose ``.client`` is the dynamic client,
    whose ``.client`` is the ApiClient carrying the connection settings.
    """
    current = client
    for _depth in range(3):
        if hasattr(current, "call_api"):
            return current
        current = getattr(current, "client", None)
    raise TypeError("no kubernetes ApiClient in %r" % (client,))


def apis(client):
    """(CoreV1Api, AppsV1Api) sharing the client's connection settings."""
    raw = api_client(client)
    return CoreV1Api(raw), AppsV1Api(raw)


def dynamic_client(client):
    """The kubernetes DynamicClient behind a kubernetes.core K8SClient (or the client itself)."""
    current = client
    for _depth in range(3):
        if hasattr(current, "request") and hasattr(current, "resources"):
            return current
        current = getattr(current, "client", None)
    raise TypeError("no kubernetes DynamicClient in %r" % (client,))


class DynamicApis(object):
    """The few reads statefulset_wait makes, with the typed APIs' names and raw responses,
    served by the dynamic client kubernetes.core already built.

    Loading kubernetes' generated CoreV1Api and AppsV1Api costs over half a second of
    module start-up; a wait that finds its pods Ready needs none of it. Logs, read only
    when a pod has failed, still go through CoreV1Api.
    """

    def __init__(self, client):
        self._client = client
        self._dynamic = dynamic_client(client)

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

    def read_namespaced_pod_log(self, name, namespace, **params):
        return CoreV1Api(api_client(self._client)).read_namespaced_pod_log(name, namespace, **params)


def dynamic_apis(client):
    """(core, apps) as :func:`apis` returns them, without loading the typed APIs."""
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
