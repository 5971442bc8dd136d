# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two modules' main(): arguments in, one call into module_utils, exit or fail."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.stateful.mysql.plugins.module_utils.replication_checker import CheckError
from ansible_collections.stateful.mysql.plugins.module_utils.statefulset_waiter import WaitFailed
from ansible_collections.stateful.mysql.plugins.modules import replication_check, statefulset_wait


def run(module, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def calls(monkeypatch):
    seen = []
    for module in (statefulset_wait, replication_check):
        monkeypatch.setattr(module, "get_api_client", lambda m: "client")
    return seen


def test_wait_passes_options_and_returns_the_result(monkeypatch, calls, capsys):
    def wait(client, name, **kwargs):
        calls.append((client, name, kwargs))
        return {"changed": False, "pods": [{"name": "db-0"}], "ordered": True, "elapsed": 1.5}

    monkeypatch.setattr(statefulset_wait, "wait_for_statefulset", wait)
    out = run(statefulset_wait, {"name": "db", "namespace": "ns", "kubeconfig": "/nowhere"}, capsys)
    assert calls == [("client", "db", {"namespace": "ns", "replicas": None, "timeout": 600, "log_lines": 20})]
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


UNHEALTHY = {"changed": True, "healthy": False, "unhealthy": ["db-1"], "msg": "replication of StatefulSet ns/db is unhealthy: db-1: x",
             "primary": {}, "replicas": [], "canary_id": "id", "canary": "written", "checksums": {}}


@pytest.mark.parametrize("fail_on_unhealthy, failed", [(True, True), (False, False)])
def test_check_fail_on_unhealthy(monkeypatch, calls, capsys, fail_on_unhealthy, failed):
    def check(client, params, check_mode=False):
        calls.append((params["name"], params["root_password"], check_mode))
        return dict(UNHEALTHY)

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db", "root_password": "hunter2", "fail_on_unhealthy": fail_on_unhealthy}, capsys)
    assert bool(out.get("failed")) is failed
    assert out["unhealthy"] == ["db-1"] and out["changed"] is True
    assert calls == [("db", "hunter2", False)]
    assert "hunter2" not in json.dumps(out)


def test_check_passes_check_mode(monkeypatch, calls, capsys):
    def check(client, params, check_mode=False):
        calls.append(check_mode)
        return {"changed": False, "healthy": True, "unhealthy": [], "msg": "ok"}

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db", "_ansible_check_mode": True}, capsys)
    assert calls == [True] and out["healthy"] is True


def test_check_setup_error(monkeypatch, calls, capsys):
    def check(client, params, check_mode=False):
        raise CheckError("StatefulSet ns/db not found")

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db"}, capsys)
    assert out["failed"] is True and out["msg"] == "StatefulSet ns/db not found"


def test_argument_specs_carry_the_kubernetes_auth_options():
    for module in (statefulset_wait, replication_check):
        spec = module.argument_spec()
        for option in ("kubeconfig", "context", "host", "api_key", "validate_certs"):
            assert option in spec
    assert replication_check.argument_spec()["root_password"]["no_log"] is True
