# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""k8s_objects_info's reading: one result per query, Secret values never returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.objects import read_objects, redact_secret

SECRET = {
    "kind": "Secret",
    "metadata": {"name": "creds", "annotations": {
        "kubectl.kubernetes.io/last-applied-configuration": '{"data": {"root-password": "c2VjcmV0"}}', "keep": "me"},
        "managedFields": [{"manager": "kubectl"}]},
    "data": {"root-password": "c2VjcmV0", "empty": ""},
    "stringData": {"app-password": "plain"},
}


def test_redact_secret_keeps_keys_only():
    redacted = redact_secret(SECRET)
    assert redacted["data"] == {"root-password": True, "empty": False}
    assert "stringData" not in redacted and "managedFields" not in redacted["metadata"]
    assert redacted["metadata"]["annotations"] == {"keep": "me"}
    text = json.dumps(redacted)
    assert "c2VjcmV0" not in text and "plain" not in text
    # The input is not changed.
    assert SECRET["data"]["root-password"] == "c2VjcmV0"


def test_redact_secret_names_keys_ending_in_a_line_break():
    data = {"from-file": "c2VjcmV0Cg==", "crlf": "c2VjcmV0DQo=", "cr": "c2VjcmV0DQ==", "inside": "YQpi",
            "plain": "c2VjcmV0", "empty": ""}
    redacted = redact_secret({"kind": "Secret", "metadata": {}, "data": data})
    assert redacted["keys_ending_in_line_break"] == ["cr", "crlf", "from-file"]
    assert redacted["data"] == dict((key, bool(value)) for key, value in data.items())
    assert redact_secret(SECRET)["keys_ending_in_line_break"] == []


def test_other_kinds_pass_unchanged():
    config = {"kind": "ConfigMap", "data": {"a": "b"}}
    assert redact_secret(config) is config


class Finder:
    def __init__(self):
        self.asked = []

    def find(self, kind, api_version, name=None, namespace=None, label_selectors=None):
        self.asked.append((kind, api_version, name, namespace, label_selectors))
        if kind == "Secret":
            return {"api_found": True, "resources": [SECRET]}
        if kind == "CephBlockPool":
            return {"api_found": False, "resources": []}
        return {"api_found": True, "resources": []}


def test_read_objects_in_order():
    finder = Finder()
    results = read_objects(finder, [{"kind": "Secret", "name": "creds", "namespace": "ns"},
                                    {"kind": "CephBlockPool", "api_version": "ceph.rook.io/v1"},
                                    {"kind": "ConfigMap", "name": "x", "namespace": "ns", "label_selectors": ["a=b"]}])
    assert [r["kind"] for r in results] == ["Secret", "CephBlockPool", "ConfigMap"]
    assert results[0]["exists"] is True and results[0]["resources"][0]["data"] == {"root-password": True, "empty": False}
    assert results[1]["api_found"] is False and results[1]["exists"] is False
    assert results[2]["exists"] is False
    assert finder.asked[2] == ("ConfigMap", "v1", "x", "ns", ["a=b"])
