# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_module: option checks before any client, the wings' errors as failures, exit."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import runner
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError, NotFound


class DomainError(Exception):
    pass


def run(action, args=None, capsys=None, **options):
    with patch_module_args(dict({"name": "db"}, **(args or {}))):
        with pytest.raises(SystemExit):
            runner.run_module(runner.statefulset_argument_spec(), action, **options)
    return json.loads(capsys.readouterr().out)


class Recording(runner.AnsibleK8SModule):
    """kubernetes.core's module, noting the warnings and traced failures it was handed."""
    calls = []

    def warn(self, warning):
        Recording.calls.append(("warn", warning))
        super(Recording, self).warn(warning)

    def fail_from_exception(self, exception):
        Recording.calls.append(("traced", type(exception).__name__))
        super(Recording, self).fail_from_exception(exception)


@pytest.fixture
def clients(monkeypatch):
    built = []
    Recording.calls = []
    monkeypatch.setattr(runner, "AnsibleK8SModule", Recording)
    monkeypatch.setattr(runner, "get_api_client", lambda module: built.append(module) or "client")
    monkeypatch.setattr(runner, "ClusterApi", lambda client: "api:" + client)
    return built


def test_the_action_gets_the_api_and_its_result_is_the_exit(clients, capsys):
    out = run(lambda api, module: {"changed": True, "api": api, "ns": module.params["namespace"]}, capsys=capsys)
    assert (out["changed"], out["api"], out["ns"]) == (True, "api:client", "default")
    assert "failed" not in out


def test_a_failed_check_names_itself_before_any_client_is_built(clients, capsys):
    checks = [(lambda p: True, "never"), (lambda p: p["replicas"] is None or p["replicas"] >= 0, "replicas must be 0 or more")]
    out = run(lambda api, module: pytest.fail("the action ran"), {"replicas": -1}, capsys, checks=checks)
    assert out["failed"] is True and out["msg"] == "replicas must be 0 or more"
    assert clients == []


@pytest.mark.parametrize("error, msg", [
    (K8sError("pods is forbidden", status=403), "pods is forbidden"),
    (NotFound("StatefulSet ns/db not found"), "StatefulSet ns/db not found"),
    (DomainError("no backup 1"), "no backup 1"),
])
def test_the_wings_errors_fail_with_their_message_and_no_trace(clients, capsys, error, msg):
    def action(api, module):
        raise error

    out = run(action, capsys=capsys, errors=(DomainError,))
    assert out["failed"] is True and out["msg"] == msg
    assert Recording.calls == []


def test_an_error_with_a_result_keeps_its_fields(clients, capsys):
    error = K8sError("pod db-1 crashed")
    error.result = {"failed_pod": "db-1"}

    def action(api, module):
        raise error

    out = run(action, capsys=capsys)
    assert (out["msg"], out["failed_pod"]) == ("pod db-1 crashed", "db-1")


def test_failed_reports_the_whole_result(clients, capsys):
    def action(api, module):
        raise runner.Failed({"msg": "replica db-1 lags", "healthy": False})

    out = run(action, capsys=capsys)
    assert out["failed"] is True and out["healthy"] is False and out["msg"] == "replica db-1 lags"


def test_an_unexpected_error_fails_with_its_trace(clients, capsys):
    def action(api, module):
        raise RuntimeError("connection refused")

    out = run(action, capsys=capsys, errors=(DomainError,))
    assert out["failed"] is True and out["msg"] == "connection refused"
    assert Recording.calls == [("traced", "RuntimeError")]


def test_warnings_become_ansible_warnings(clients, capsys):
    out = run(lambda api, module: {"changed": False, "warnings": ["source is a replica"]}, capsys=capsys)
    assert Recording.calls == [("warn", "source is a replica")]
    assert out["changed"] is False


def test_fragments_carry_kubernetes_cores_connection_options_and_the_modules_own():
    spec = runner.statefulset_argument_spec(timeout=dict(type="int"))
    for option in ("kubeconfig", "context", "host", "api_key", "validate_certs", "name", "namespace", "replicas", "timeout"):
        assert option in spec
    assert "timeout" not in runner.k8s_argument_spec()
