# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a StatefulSet and its pods as plain dicts (the API's JSON, camelCase keys)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.stateful.mysql.plugins.module_utils.k8s_api import NotFound, raw_json

try:
    from kubernetes.client.exceptions import ApiException
except ImportError:
    # Reported by AnsibleK8SModule when the module starts.
    pass


def statefulset_argument_spec(**extra):
    """kubernetes.core's connection options plus the StatefulSet the modules work on."""
    spec = copy.deepcopy(AUTH_ARG_SPEC)
    spec.update(
        name=dict(type="str", required=True),
        namespace=dict(type="str", default="default"),
        replicas=dict(type="int"),
    )
    spec.update(extra)
    return spec


LABEL_FLAVOR = "stateful.mysql/flavor"
LABEL_VERSION = "stateful.mysql/version"
LABEL_REPLICATION_MODE = "stateful.mysql/replication-mode"


def read_statefulset(apps, namespace, name):
    try:
        return raw_json(apps.read_namespaced_stateful_set(name, namespace, _preload_content=False))
    except ApiException as exc:
        if exc.status == 404:
            raise NotFound("StatefulSet %s/%s not found" % (namespace, name))
        raise


def read_pod(core, namespace, name):
    try:
        return raw_json(core.read_namespaced_pod(name, namespace, _preload_content=False))
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise


def list_pods(core, namespace, selector):
    """(pods, resourceVersion) of the pods matching ``selector``."""
    listing = raw_json(core.list_namespaced_pod(namespace, label_selector=selector, _preload_content=False))
    return listing.get("items") or [], (listing.get("metadata") or {}).get("resourceVersion")


def label_selector(statefulset):
    """The StatefulSet's spec.selector as a label-selector string."""
    selector = (statefulset.get("spec") or {}).get("selector") or {}
    parts = ["%s=%s" % (key, value) for key, value in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if operator == "In":
            parts.append("%s in (%s)" % (key, ",".join(values)))
        elif operator == "NotIn":
            parts.append("%s notin (%s)" % (key, ",".join(values)))
        elif operator == "Exists":
            parts.append(key)
        elif operator == "DoesNotExist":
            parts.append("!%s" % key)
    return ",".join(parts)


def labels(statefulset):
    """The StatefulSet's labels, its pod template's filling the gaps."""
    template = ((statefulset.get("spec") or {}).get("template") or {}).get("metadata") or {}
    merged = dict(template.get("labels") or {})
    merged.update((statefulset.get("metadata") or {}).get("labels") or {})
    return merged


def spec_replicas(statefulset):
    replicas = (statefulset.get("spec") or {}).get("replicas")
    return 1 if replicas is None else int(replicas)


def service_name(statefulset):
    return (statefulset.get("spec") or {}).get("serviceName")


def read_secret_key(core, namespace, name, key):
    """The decoded value of ``key`` in Secret ``name``; NotFound names what is missing."""
    try:
        secret = raw_json(core.read_namespaced_secret(name, namespace, _preload_content=False))
    except ApiException as exc:
        if exc.status == 404:
            raise NotFound("Secret %s/%s not found" % (namespace, name))
        raise
    data = secret.get("data") or {}
    if not data.get(key):
        raise NotFound("Secret %s/%s has no key %r (or it is empty)" % (namespace, name, key))
    return base64.b64decode(data[key]).decode("utf-8")
