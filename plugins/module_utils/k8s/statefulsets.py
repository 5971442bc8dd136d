# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a deployed StatefulSet says about itself (the API's JSON, camelCase keys): the
labels, annotations, ports and volumes the mysql_statefulset role writes, which the modules
read instead of keeping a second copy of the roles' settings."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

LABEL_FLAVOR = "stateful.mysql/flavor"
LABEL_VERSION = "stateful.mysql/version"
LABEL_REPLICATION_MODE = "stateful.mysql/replication-mode"
# The readiness probe's lag limit, which the replication check applies too.
ANNOTATION_MAX_LAG = "stateful.mysql/max-lag-seconds"
# wait | fallback | off: what a commit waits for (stateful_mysql_semi_sync).
ANNOTATION_SEMI_SYNC = "stateful.mysql/semi-sync"


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


def _template_spec(statefulset):
    return (((statefulset.get("spec") or {}).get("template") or {}).get("spec")) or {}


def container_port(statefulset, container, port_name):
    """A named port of a container in the pod template, or None."""
    for item in _template_spec(statefulset).get("containers") or []:
        if item.get("name") == container:
            for port in item.get("ports") or []:
                if port.get("name") == port_name:
                    return port.get("containerPort")
    return None


def secret_name(statefulset, volume="secret"):
    """The Secret the pods mount as ``volume`` (the credentials), or None."""
    for item in _template_spec(statefulset).get("volumes") or []:
        if item.get("name") == volume:
            return (item.get("secret") or {}).get("secretName")
    return None


def configmap_name(statefulset, volume):
    """The ConfigMap the pods mount as ``volume``, or None."""
    for item in _template_spec(statefulset).get("volumes") or []:
        if item.get("name") == volume:
            return (item.get("configMap") or {}).get("name")
    return None


def annotation(statefulset, key):
    return ((statefulset.get("metadata") or {}).get("annotations") or {}).get(key)


# Kubernetes quantity suffixes (binary and decimal) as multipliers of a byte.
_QUANTITY_SUFFIXES = {
    "Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3, "Ti": 1024 ** 4, "Pi": 1024 ** 5, "Ei": 1024 ** 6,
    "k": 1000, "M": 1000 ** 2, "G": 1000 ** 3, "T": 1000 ** 4, "P": 1000 ** 5, "E": 1000 ** 6, "": 1,
}
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([KMGTPE]i|[kMGTPE])?$")


def quantity_bytes(text):
    """``"256Mi"`` -> 268435456; None when ``text`` is not a storage quantity this reads."""
    match = _QUANTITY.match(str(text or "").strip())
    if not match:
        return None
    return int(float(match.group(1)) * _QUANTITY_SUFFIXES[match.group(2) or ""])


def claim_storage_bytes(statefulset, claim="data"):
    """The storage a volumeClaimTemplate requests, in bytes, or None (no such claim)."""
    for template in (statefulset.get("spec") or {}).get("volumeClaimTemplates") or []:
        if ((template.get("metadata") or {}).get("name")) == claim:
            requests = ((template.get("spec") or {}).get("resources") or {}).get("requests") or {}
            return quantity_bytes(requests.get("storage"))
    return None
