# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""replication_check's main(): arguments in, one call into module_utils, exit or fail."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.stateful.mysql.plugins.module_utils.replication.checker import CheckError
from ansible_collections.stateful.mysql.plugins.module_utils.k8s import runner
from ansible_collections.stateful.mysql.plugins.modules import replication_check


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


UNHEALTHY = {"changed": True, "healthy": False, "unhealthy": ["db-1"], "msg": "replication of StatefulSet ns/db is unhealthy: db-1: x",
             "primary": {}, "replicas": [], "canary_id": "id", "canary": "written", "checksums": {}}


@pytest.mark.parametrize("fail_on_unhealthy, failed", [(True, True), (False, False)])
def test_check_fail_on_unhealthy(monkeypatch, calls, capsys, fail_on_unhealthy, failed):
    def check(api, params, check_mode=False):
        calls.append((params["name"], params["root_password"], check_mode))
        return dict(UNHEALTHY)

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db", "root_password": "hunter2", "fail_on_unhealthy": fail_on_unhealthy}, capsys)
    assert bool(out.get("failed")) is failed
    assert out["unhealthy"] == ["db-1"] and out["changed"] is True
    assert calls == [("db", "hunter2", False)]
    assert "hunter2" not in json.dumps(out)


def test_check_passes_check_mode(monkeypatch, calls, capsys):
    def check(api, params, check_mode=False):
        calls.append(check_mode)
        return {"changed": False, "healthy": True, "unhealthy": [], "msg": "ok"}

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db", "_ansible_check_mode": True}, capsys)
    assert calls == [True] and out["healthy"] is True


def test_check_setup_error(monkeypatch, calls, capsys):
    def check(api, params, check_mode=False):
        raise CheckError("StatefulSet ns/db not found")

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db"}, capsys)
    assert out["failed"] is True and out["msg"] == "StatefulSet ns/db not found"


def test_argument_spec_carries_the_kubernetes_auth_options_and_hides_the_password():
    spec = replication_check.argument_spec()
    for option in ("kubeconfig", "context", "host", "api_key", "validate_certs"):
        assert option in spec
    assert spec["root_password"]["no_log"] is True
    # Read from the StatefulSet when not set: no second default here.
    assert "default" not in spec["max_lag"] and "default" not in spec["port"]


@pytest.mark.parametrize("percent", [-1, 101])
def test_binlog_space_percent_out_of_range_fails_before_any_check(monkeypatch, calls, capsys, percent):
    monkeypatch.setattr(replication_check, "check_replication", lambda *a, **k: pytest.fail("the check ran"))
    out = run(replication_check, {"name": "db", "binlog_space_percent": percent}, capsys)
    assert out["failed"] is True and out["msg"] == "binlog_space_percent must be between 0 and 100"


def test_binlog_space_percent_defaults_to_half_the_volume(monkeypatch, calls, capsys):
    # (The runner turning the result's warnings into Ansible warnings is test_runner's.)
    def check(api, params, check_mode=False):
        calls.append(params["binlog_space_percent"])
        return {"changed": False, "healthy": True, "unhealthy": [], "msg": "ok"}

    monkeypatch.setattr(replication_check, "check_replication", check)
    out = run(replication_check, {"name": "db"}, capsys)
    assert calls == [50] and not out.get("failed")
