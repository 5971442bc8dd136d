# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' one way to the Kubernetes API, on the client kubernetes.core builds.

Every module gets its client from kubernetes.core's ``get_api_client(module)`` (so the
connection options, kubeconfig handling and auth are kubernetes.core's) and wraps it in a
:class:`ClusterApi`. Two shortcuts, both measured and unit-tested:

- reads go to the API by path through kubernetes.core's dynamic client
  (``DynamicClient.request``) and come back as the API's raw JSON: no resource discovery
  and no generated model classes, which cost over half a second of start-up per module run;
  ``find`` reads the kinds the collection uses by path too, and any other kind through
  kubernetes.core's ``K8SClient.resource`` (discovery);
- exec sessions are opened with the kubernetes websocket client directly (pod_exec.py),
  because CoreV1Api's ``connect_get_namespaced_pod_exec`` needs the generated API class.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import pod_exec
from ansible_collections.stateful.mysql.plugins.module_utils.k8s import secrets as secret_values
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import Expired, K8sError, NotFound, from_api_exception

try:
    from kubernetes.client.exceptions import ApiException
    from kubernetes.watch.watch import iter_resp_lines
except ImportError:
    # Reported by AnsibleK8SModule when the module starts.
    class ApiException(Exception):
        status = None


# Kinds read by path, without discovery (a discovery round costs a module a third of a
# second or more): every kind the collection's roles and playbooks read.
WELL_KNOWN = {
    ("v1", "Namespace"): "namespaces",
    ("v1", "ConfigMap"): "configmaps",
    ("v1", "Secret"): "secrets",
    ("v1", "Pod"): "pods",
    ("v1", "Service"): "services",
    ("v1", "PersistentVolumeClaim"): "persistentvolumeclaims",
    ("apps/v1", "StatefulSet"): "statefulsets",
    ("storage.k8s.io/v1", "StorageClass"): "storageclasses",
}
CLUSTER_SCOPED = ("namespaces", "storageclasses")


def _inner(client, has):
    """Walks K8SClient -> DynamicClient -> ApiClient until ``has`` holds."""
    current = client
    for _depth in range(3):
        if has(current):
            return current
        current = getattr(current, "client", None)
    raise TypeError("no kubernetes client in %r" % (client,))


def _text(data):
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


class ClusterApi:
    """The calls the modules make, on a kubernetes.core ``K8SClient``."""

    def __init__(self, client):
        self.client = client
        self._dynamic = _inner(client, lambda obj: hasattr(obj, "request") and hasattr(obj, "resources"))
        self.api_client = _inner(client, lambda obj: hasattr(obj, "call_api"))

    # --- reads by path ----------------------------------------------------------------

    def _call(self, method, path, **params):
        """DynamicClient.request, its ApiException turned into the wing's K8sError."""
        try:
            return self._dynamic.request(method, path, serialize=False, **params)
        except ApiException as exc:
            raise from_api_exception(exc)

    def _request(self, path, query=(), **params):
        """GET ``path``; ``query`` holds the parameters DynamicClient.request does not know."""
        return self._call("GET", path, query_params=list(query), **params)

    def get(self, path, **params):
        """The JSON object at ``path``, or None when the API says 404."""
        try:
            return json.loads(_text(self._request(path, **params).data))
        except K8sError as exc:
            if exc.status == 404:
                return None
            raise

    def statefulset(self, namespace, name):
        found = self.get("/apis/apps/v1/namespaces/%s/statefulsets/%s" % (namespace, name))
        if found is None:
            raise NotFound("StatefulSet %s/%s not found" % (namespace, name))
        return found

    def pod(self, namespace, name):
        """The pod, or None when it does not exist."""
        return self.get("/api/v1/namespaces/%s/pods/%s" % (namespace, name))

    def pods(self, namespace, selector):
        """(pods, resourceVersion) of the pods matching a label selector."""
        listing = self.get("/api/v1/namespaces/%s/pods" % namespace, label_selector=selector) or {}
        return listing.get("items") or [], (listing.get("metadata") or {}).get("resourceVersion")

    def secret_key(self, namespace, name, key):
        """The decoded value of ``key`` in Secret ``name``; NotFound names what is missing, and
        a value ending in a line break is refused (secrets.ends_with_line_break), as the pod
        scripts refuse it."""
        secret = self.get("/api/v1/namespaces/%s/secrets/%s" % (namespace, name))
        if secret is None:
            raise NotFound("Secret %s/%s not found" % (namespace, name))
        data = secret.get("data") or {}
        if not data.get(key):
            raise NotFound("Secret %s/%s has no key %r (or it is empty)" % (namespace, name, key))
        if secret_values.ends_with_line_break(data[key]):
            raise K8sError(secret_values.line_break_message(namespace, name, key))
        return base64.b64decode(data[key]).decode("utf-8")

    def pod_log(self, namespace, name, container, lines, previous=False):
        """The last ``lines`` lines of a container's log (its previous instance's if asked)."""
        response = self._request("/api/v1/namespaces/%s/pods/%s/log" % (namespace, name), query=[
            ("container", container), ("tailLines", lines), ("previous", "true" if previous else "false")])
        return _text(response.data).splitlines()[-lines:]

    def watch_pods(self, namespace, selector, resource_version, seconds):
        """Pod events (type, object) for up to ``seconds``, from ``resource_version`` on.
        Raises Expired when the API no longer has that version."""
        response = self._request("/api/v1/namespaces/%s/pods" % namespace, label_selector=selector, watch=True,
                                 resource_version=resource_version, timeout_seconds=seconds,
                                 allow_watch_bookmarks=True, _request_timeout=(10, seconds + 10))
        try:
            for line in iter_resp_lines(response):
                line = _text(line).strip()
                if not line:
                    continue
                event = json.loads(line)
                obj = event.get("object") or {}
                if event.get("type") == "ERROR":
                    if obj.get("code") == 410:
                        raise Expired(obj.get("message") or "resourceVersion expired")
                    raise K8sError(obj.get("message") or "watch error", status=obj.get("code"))
                yield event.get("type"), obj
        finally:
            response.close()
            response.release_conn()

    def create(self, path, body):
        """POSTs ``body`` (a dict) to the collection at ``path``; the created object, or None
        when one of that name already exists (HTTP 409): creating never overwrites."""
        try:
            response = self._call("POST", path, body=body, query_params=[], content_type="application/json")
        except K8sError as exc:
            if exc.status == 409:
                return None
            raise
        return json.loads(_text(response.data))

    def merge_patch(self, path, body):
        """A JSON merge patch of the object at ``path``; the patched object."""
        response = self._call("PATCH", path, body=body, query_params=[], content_type="application/merge-patch+json")
        return json.loads(_text(response.data))

    # --- any kind: well-known ones by path, the rest through kubernetes.core's discovery

    def find(self, kind, api_version, name=None, namespace=None, label_selectors=None):
        """{"api_found": bool, "resources": [objects]} for a kind, by name or labels."""
        plural = WELL_KNOWN.get((api_version, kind))
        if plural:
            return self._find_by_path(api_version, plural, name, namespace, label_selectors)
        try:
            resource = self.client.resource(kind, api_version)
        except Exception as exc:  # ResourceNotFoundError / ResourceNotUniqueError
            if type(exc).__name__ in ("ResourceNotFoundError", "ResourceNotUniqueError"):
                return {"api_found": False, "resources": []}
            raise
        params = {"namespace": namespace}
        if label_selectors:
            params["label_selector"] = ",".join(label_selectors)
        try:
            if name:
                found = self.client.get(resource, name=name, **params)
                return {"api_found": True, "resources": [found.to_dict()]}
            return {"api_found": True, "resources": self.client.get(resource, **params).to_dict().get("items") or []}
        except ApiException as exc:
            if exc.status == 404:
                return {"api_found": True, "resources": []}
            raise from_api_exception(exc)

    def _find_by_path(self, api_version, plural, name, namespace, label_selectors):
        base = "/api/v1" if api_version == "v1" else "/apis/%s" % api_version
        if namespace and plural not in CLUSTER_SCOPED:
            base += "/namespaces/%s" % namespace
        if name:
            found = self.get("%s/%s/%s" % (base, plural, name))
            return {"api_found": True, "resources": [found] if found else []}
        params = {"label_selector": ",".join(label_selectors)} if label_selectors else {}
        listing = self.get("%s/%s" % (base, plural), **params) or {}
        return {"api_found": True, "resources": listing.get("items") or []}

    # --- exec -------------------------------------------------------------------------

    def exec(self, namespace, pod, container, command, stdin=None, timeout=60):
        """Runs ``command`` in a container; an ExecResult (rc, stdout, stderr)."""
        return pod_exec.exec_in_pod(self.api_client, namespace, pod, container, command, stdin=stdin, timeout=timeout)

    def exec_stream(self, namespace, pod, container, command, stdin=False, timeout=300):
        """Opens ``command`` in a container for binary streaming; a pod_exec.ExecStream."""
        return pod_exec.exec_stream(self.api_client, namespace, pod, container, command, stdin=stdin, timeout=timeout)
