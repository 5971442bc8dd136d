# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception type that leaves the Kubernetes wing, and the API's error text.

Callers outside ``k8s/`` catch :class:`K8sError` (or one of its kinds below), never the
kubernetes client's ``ApiException``: :class:`ClusterApi` translates it at the edge, keeping
the HTTP status so a caller can still tell 404 from 403.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


class K8sError(Exception):
    """A Kubernetes API or exec failure; ``status`` is the HTTP status when the API sent one."""

    def __init__(self, msg, status=None):
        super(K8sError, self).__init__(msg)
        self.status = status


class NotFound(K8sError):
    """An object the caller needs does not exist; the message names it."""

    def __init__(self, msg):
        super(NotFound, self).__init__(msg, status=404)


class Expired(K8sError):
    """A watch's resourceVersion is too old (HTTP 410): list again."""

    def __init__(self, msg):
        super(Expired, self).__init__(msg, status=410)


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


def from_api_exception(exc):
    """The K8sError for a kubernetes client ApiException."""
    return K8sError(api_error_text(exc), status=getattr(exc, "status", None))
