# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access layer's shortcuts: reads by path through the dynamic client, create-only
POSTs, pod logs, the pod watch, and find through kubernetes.core's K8SClient."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest

from kubernetes.client.exceptions import ApiException

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import api as cluster_api
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError


class Response:
    def __init__(self, body=None, text=None, lines=None):
        self.data = (text if text is not None else json.dumps(body)).encode()
        self.lines = lines or []
        self.closed = False

    def stream(self, amt=None, decode_content=False):
        for line in self.lines:
            yield line.encode()

    def close(self):
        self.closed = True

    def release_conn(self):
        pass


class ApiClient:
    def call_api(self, *args, **kwargs):
        raise AssertionError("the layer goes through the dynamic client")


class Dynamic:
    """Answers requests by (method, path); records each with its query parameters."""

    def __init__(self, answers):
        self.answers = answers
        self.requests = []
        self.client = ApiClient()
        self.resources = object()

    def request(self, method, path, body=None, **params):
        assert params.pop("serialize") is False, "raw JSON, not ResourceInstances"
        self.requests.append((method, path, body, params))
        answer = self.answers[(method, path)]
        if isinstance(answer, Exception):
            raise answer
        return answer


class K8SClient:
    def __init__(self, dynamic):
        self.client = dynamic


def api(answers):
    dynamic = Dynamic(answers)
    return cluster_api.ClusterApi(K8SClient(dynamic)), dynamic


def test_reads_by_path_and_404_is_none():
    layer, dynamic = api({
        ("GET", "/apis/apps/v1/namespaces/ns/statefulsets/db"): Response({"kind": "StatefulSet"}),
        ("GET", "/api/v1/namespaces/ns/pods/db-0"): ApiException(status=404, reason="Not Found"),
        ("GET", "/api/v1/namespaces/ns/pods"): Response({"metadata": {"resourceVersion": "7"}, "items": [{"a": 1}]}),
    })
    assert layer.statefulset("ns", "db") == {"kind": "StatefulSet"}
    assert layer.pod("ns", "db-0") is None
    assert layer.pods("ns", "app=db") == ([{"a": 1}], "7")
    assert dynamic.requests[2][3]["label_selector"] == "app=db"


def test_a_missing_statefulset_is_named():
    layer, _unused = api({("GET", "/apis/apps/v1/namespaces/ns/statefulsets/db"): ApiException(status=404)})
    with pytest.raises(cluster_api.NotFound, match="StatefulSet ns/db not found"):
        layer.statefulset("ns", "db")


def test_other_errors_leave_as_the_wings_one_type_with_the_apis_message():
    refused = ApiException(status=403, reason="Forbidden")
    refused.body = json.dumps({"kind": "Status", "message": 'pods "db-0" is forbidden'})
    layer, _unused = api({("GET", "/api/v1/namespaces/ns/pods/db-0"): refused,
                          ("PATCH", "/api/v1/namespaces/ns/pods/db-0"): ApiException(status=500, reason="Boom")})
    with pytest.raises(K8sError) as caught:
        layer.pod("ns", "db-0")
    assert (str(caught.value), caught.value.status) == ('pods "db-0" is forbidden', 403)
    with pytest.raises(K8sError, match="500 Boom"):
        layer.merge_patch("/api/v1/namespaces/ns/pods/db-0", {})


def test_secret_keys():
    value = base64.b64encode(b"s3cret").decode()
    layer, _unused = api({
        ("GET", "/api/v1/namespaces/ns/secrets/creds"): Response({"data": {"root-password": value, "empty": ""}}),
        ("GET", "/api/v1/namespaces/ns/secrets/gone"): ApiException(status=404),
    })
    assert layer.secret_key("ns", "creds", "root-password") == "s3cret"
    with pytest.raises(cluster_api.NotFound, match="has no key 'empty'"):
        layer.secret_key("ns", "creds", "empty")
    with pytest.raises(cluster_api.NotFound, match="Secret ns/gone not found"):
        layer.secret_key("ns", "gone", "x")


@pytest.mark.parametrize("raw", [b"s3cret\n", b"s3cret\r\n", b"s3cret\r", b"\n"])
def test_secret_key_refuses_a_value_ending_in_a_line_break(raw):
    # Not trimmed: the pod scripts would log in with the same value the Secret holds.
    layer, _unused = api({("GET", "/api/v1/namespaces/ns/secrets/creds"): Response(
        {"data": {"root-password": base64.b64encode(raw).decode()}})})
    with pytest.raises(K8sError, match="key 'root-password' of Secret ns/creds ends with a line break"):
        layer.secret_key("ns", "creds", "root-password")


def test_secret_key_keeps_inner_line_breaks():
    layer, _unused = api({("GET", "/api/v1/namespaces/ns/secrets/creds"): Response(
        {"data": {"root-password": base64.b64encode(b"two\nlines").decode()}})})
    assert layer.secret_key("ns", "creds", "root-password") == "two\nlines"


def test_create_never_overwrites():
    layer, dynamic = api({
        ("POST", "/api/v1/namespaces/ns/secrets"): Response({"metadata": {"name": "new"}}),
        ("POST", "/api/v1/namespaces/other/secrets"): ApiException(status=409, reason="AlreadyExists"),
    })
    assert layer.create("/api/v1/namespaces/ns/secrets", {"kind": "Secret"}) == {"metadata": {"name": "new"}}
    assert layer.create("/api/v1/namespaces/other/secrets", {"kind": "Secret"}) is None
    assert dynamic.requests[0][2] == {"kind": "Secret"}


def test_pod_log_asks_for_the_tail_and_the_previous_instance():
    layer, dynamic = api({("GET", "/api/v1/namespaces/ns/pods/db-0/log"): Response(text="a\nb\nc\n")})
    assert layer.pod_log("ns", "db-0", "clone", 2, previous=True) == ["b", "c"]
    assert dynamic.requests[0][3]["query_params"] == [("container", "clone"), ("tailLines", 2), ("previous", "true")]


def test_the_watch_yields_events_and_says_when_it_expired():
    events = [json.dumps({"type": "ADDED", "object": {"metadata": {"name": "db-0"}}}), "",
              json.dumps({"type": "ERROR", "object": {"code": 410, "message": "too old resource version"}})]
    response = Response(lines=[line + "\n" for line in events])
    layer, dynamic = api({("GET", "/api/v1/namespaces/ns/pods"): response})
    seen = []
    with pytest.raises(cluster_api.Expired, match="too old"):
        for kind, obj in layer.watch_pods("ns", "app=db", "42", 5):
            seen.append((kind, obj["metadata"]["name"]))
    assert seen == [("ADDED", "db-0")] and response.closed
    params = dynamic.requests[0][3]
    assert params["watch"] is True and params["resource_version"] == "42" and params["timeout_seconds"] == 5


def test_find_uses_kubernetes_core_discovery():
    class Found:
        def __init__(self, value):
            self.value = value

        def to_dict(self):
            return self.value

    class Core(K8SClient):
        def resource(self, kind, api_version):
            if kind == "Nope":
                raise type("ResourceNotFoundError", (Exception,), {})()
            return kind

        def get(self, resource, **params):
            if params.get("name") == "gone":
                raise ApiException(status=404)
            if "name" in params:
                return Found({"kind": resource, "metadata": {"name": params["name"]}})
            return Found({"items": [{"kind": resource, "params": params}]})

    layer = cluster_api.ClusterApi(Core(Dynamic({})))
    assert layer.find("Nope", "v1") == {"api_found": False, "resources": []}
    assert layer.find("CephBlockPool", "ceph.rook.io/v1", name="gone", namespace="ns") == {"api_found": True, "resources": []}
    assert layer.find("CephBlockPool", "ceph.rook.io/v1", name="c", namespace="ns")["resources"][0]["metadata"]["name"] == "c"
    listed = layer.find("Deployment", "apps/v1", namespace="ns", label_selectors=["a=b", "c=d"])["resources"]
    assert listed[0]["params"] == {"namespace": "ns", "label_selector": "a=b,c=d"}


def test_well_known_kinds_are_read_by_path_without_discovery():
    layer, dynamic = api({
        ("GET", "/api/v1/namespaces/db"): Response({"kind": "Namespace"}),
        ("GET", "/apis/storage.k8s.io/v1/storageclasses"): Response({"items": [{"kind": "StorageClass"}]}),
        ("GET", "/apis/apps/v1/namespaces/db/statefulsets/mysql"): ApiException(status=404),
        ("GET", "/api/v1/namespaces/db/persistentvolumeclaims"): Response({"items": []}),
    })
    assert layer.find("Namespace", "v1", name="db") == {"api_found": True, "resources": [{"kind": "Namespace"}]}
    assert layer.find("StorageClass", "storage.k8s.io/v1", namespace="ignored")["resources"] == [{"kind": "StorageClass"}]
    assert layer.find("StatefulSet", "apps/v1", name="mysql", namespace="db") == {"api_found": True, "resources": []}
    assert layer.find("PersistentVolumeClaim", "v1", namespace="db", label_selectors=["a=b"])["resources"] == []
    assert dynamic.requests[3][3]["label_selector"] == "a=b"
