# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a StatefulSet says about itself, from the captured one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import statefulsets as s


def test_selector_labels_and_size(sts):
    assert s.label_selector(sts) == "app=ok"
    assert s.spec_replicas(sts) == sts["spec"]["replicas"]
    assert s.spec_replicas({"spec": {}}) == 1
    assert s.service_name(sts) == sts["spec"].get("serviceName")


def test_match_expressions():
    sts = {"spec": {"selector": {"matchLabels": {"b": "2", "a": "1"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["db", "cache"]},
        {"key": "env", "operator": "NotIn", "values": ["dev"]},
        {"key": "x", "operator": "Exists"}, {"key": "y", "operator": "DoesNotExist"}]}}}
    assert s.label_selector(sts) == "a=1,b=2,tier in (db,cache),env notin (dev),x,!y"


def test_template_labels_fill_the_gaps():
    sts = {"metadata": {"labels": {"a": "sts"}}, "spec": {"template": {"metadata": {"labels": {"a": "pod", "b": "pod"}}}}}
    assert s.labels(sts) == {"a": "sts", "b": "pod"}


def test_ports_secret_and_annotations():
    sts = {"metadata": {"annotations": {s.ANNOTATION_MAX_LAG: "12"}},
           "spec": {"template": {"spec": {
               "containers": [{"name": "mysql", "ports": [{"name": "mysql", "containerPort": 3310}]},
                              {"name": "replication", "ports": [{"name": "clone", "containerPort": 3307}]}],
               "volumes": [{"name": "config", "configMap": {"name": "c"}}, {"name": "secret", "secret": {"secretName": "s"}}]}}}}
    assert s.container_port(sts, "mysql", "mysql") == 3310
    assert s.container_port(sts, "replication", "mysql") is None
    assert s.secret_name(sts) == "s" and s.secret_name({}) is None
    assert s.annotation(sts, s.ANNOTATION_MAX_LAG) == "12" and s.annotation({}, "x") is None


@pytest.mark.parametrize("text, size", [
    ("256Mi", 268435456), ("10Gi", 10737418240), ("1Ti", 1099511627776), ("1.5Gi", 1610612736),
    ("500M", 500000000), ("1G", 1000000000), ("4096", 4096), ("1k", 1000),
    ("10GB", None), ("", None), (None, None), ("-1Gi", None), ("1e3", None),
])
def test_quantity_bytes(text, size):
    assert s.quantity_bytes(text) == size


def test_claim_storage_bytes():
    sts = {"spec": {"volumeClaimTemplates": [
        {"metadata": {"name": "other"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}},
        {"metadata": {"name": "data"}, "spec": {"resources": {"requests": {"storage": "256Mi"}}}}]}}
    assert s.claim_storage_bytes(sts) == 268435456
    assert s.claim_storage_bytes(sts, "other") == 1073741824
    assert s.claim_storage_bytes({"spec": {}}) is None
    assert s.claim_storage_bytes({"spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}) is None
