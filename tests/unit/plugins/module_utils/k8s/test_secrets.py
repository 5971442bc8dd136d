# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Secret of random values: created once, never rewritten, values never returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import string

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import secrets as generated_secrets

KEYS = ["root-password", "app-password"]


class Store:
    """Secrets by path, as the API holds them; create() refuses a name that exists."""

    def __init__(self, existing=None):
        self.objects = dict(existing or {})
        self.created = []

    def get(self, path):
        return self.objects.get(path)

    def create(self, path, body):
        full = "%s/%s" % (path, body["metadata"]["name"])
        if full in self.objects:
            return None
        self.objects[full] = body
        self.created.append(body)
        return body


def test_random_values():
    values = {generated_secrets.random_value(32) for _index in range(50)}
    assert len(values) == 50
    assert all(len(v) == 32 and set(v) <= set(string.ascii_letters + string.digits) for v in values)


def test_creates_one_value_per_key_and_returns_none_of_them():
    store = Store()
    result = generated_secrets.ensure(store, "ns", "creds", KEYS, 32, {"app": "x"})
    assert result == {"changed": True, "created": True, "keys": ["app-password", "root-password"], "missing": []}
    body = store.created[0]
    assert body["metadata"] == {"name": "creds", "namespace": "ns", "labels": {"app": "x"}}
    values = [base64.b64decode(v).decode() for v in body["data"].values()]
    assert len(set(values)) == 2 and all(len(v) == 32 for v in values)
    assert not any(v in json.dumps(result) for v in values)


def test_an_existing_secret_is_left_alone():
    old = {"data": {"root-password": "b2xk", "app-password": ""}}
    store = Store({"/api/v1/namespaces/ns/secrets/creds": old})
    for _index in range(2):
        result = generated_secrets.ensure(store, "ns", "creds", KEYS, 32, {})
        assert result == {"changed": False, "created": False, "keys": ["root-password"], "missing": ["app-password"]}
    assert store.created == [] and store.objects["/api/v1/namespaces/ns/secrets/creds"] is old


def test_a_secret_created_meanwhile_by_someone_else_stands():
    store = Store()
    theirs = {"data": {"root-password": "dGhlaXJz", "app-password": "dGhlaXJz"}}
    store.get = lambda path, calls=[]: (calls.append(path), None if len(calls) == 1 else theirs)[1]
    store.create = lambda path, body: None
    result = generated_secrets.ensure(store, "ns", "creds", KEYS, 32, {})
    assert result["created"] is False and result["changed"] is False and result["missing"] == []


def test_check_mode_creates_nothing():
    store = Store()
    result = generated_secrets.ensure(store, "ns", "creds", KEYS, 32, {}, check_mode=True)
    assert result["changed"] is True and store.created == []
