# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""statefulset_wait's main(): arguments in, one call into module_utils, exit or fail."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.waiter import WaitFailed
from ansible_collections.stateful.mysql.plugins.module_utils.k8s import runner
from ansible_collections.stateful.mysql.plugins.modules import statefulset_wait


def run(module, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def calls(monkeypatch):
    # The module's two calls into kubernetes.core and the access layer: no cluster here.
    monkeypatch.setattr(runner, "get_api_client", lambda m: "client")
    monkeypatch.setattr(runner, "ClusterApi", lambda client: "api:" + client)
    return []


def test_wait_passes_options_and_returns_the_result(monkeypatch, calls, capsys):
    def wait(api, name, **kwargs):
        calls.append((api, name, kwargs))
        return {"changed": False, "pods": [{"name": "db-0"}], "ordered": True, "elapsed": 1.5}

    monkeypatch.setattr(statefulset_wait, "wait_for_statefulset", wait)
    out = run(statefulset_wait, {"name": "db", "namespace": "ns", "kubeconfig": "/nowhere"}, capsys)
    assert calls == [("api:client", "db", {"namespace": "ns", "replicas": None, "timeout": 600, "log_lines": 20})]
    assert out["changed"] is False and out["ordered"] is True and out["pods"] == [{"name": "db-0"}]
    assert "failed" not in out or out["failed"] is False


def test_wait_failure_keeps_the_structure(monkeypatch, calls, capsys):
    def wait(client, name, **kwargs):
        raise WaitFailed("pod db-1 container mysql: CrashLoopBackOff", {"changed": False, "pods": [], "failed_pod": "db-1"})

    monkeypatch.setattr(statefulset_wait, "wait_for_statefulset", wait)
    out = run(statefulset_wait, {"name": "db"}, capsys)
    assert out["failed"] is True
    assert out["msg"] == "pod db-1 container mysql: CrashLoopBackOff"
    assert out["failed_pod"] == "db-1"


def test_wait_rejects_negative_values(capsys):
    out = run(statefulset_wait, {"name": "db", "timeout": -1}, capsys)
    assert out["failed"] is True and "0 or more" in out["msg"]


def test_wait_check_mode_runs_the_same(monkeypatch, calls, capsys):
    monkeypatch.setattr(statefulset_wait, "wait_for_statefulset", lambda client, name, **kw: {"changed": False, "pods": []})
    out = run(statefulset_wait, {"name": "db", "_ansible_check_mode": True}, capsys)
    assert out["changed"] is False and "skipped" not in out


def test_argument_spec_carries_the_kubernetes_auth_options():
    spec = statefulset_wait.argument_spec()
    for option in ("kubeconfig", "context", "host", "api_key", "validate_certs"):
        assert option in spec
