# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plumbing between kubernetes.core's client and the typed kubernetes APIs, in raw JSON."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

try:
    from kubernetes.client import AppsV1Api, CoreV1Api
except ImportError:
    # Reported by AnsibleK8SModule when the module starts.
    pass


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
