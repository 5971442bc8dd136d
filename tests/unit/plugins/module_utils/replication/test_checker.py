# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The replication check's talking part: what it reads from the StatefulSet, whom it asks,
how often, and in which order. The cluster and the SQL runner are handed in (fakes.FakeApi
and a function answering from captured fixtures); nothing is patched."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError
from ansible_collections.stateful.mysql.plugins.module_utils.replication import checker as rc
from ansible_collections.stateful.mysql.plugins.module_utils.replication.sql import SqlError, StatementResult
from fakes import FakeApi

PASSWORD = "Rt7pQ2xZ9vLm4KcW8sNb3YhJ6dFg1AeT"


def statefulset(flavor="mysql", version="9.7", mode="gtid", replicas=2, port=3306, max_lag="30", secret="db-secret",
                storage="1Mi"):
    labels = {"app.kubernetes.io/name": "stateful-mysql", "app.kubernetes.io/instance": "mysql"}
    for key, value in (("stateful.mysql/flavor", flavor), ("stateful.mysql/version", version),
                       ("stateful.mysql/replication-mode", mode)):
        if value:
            labels[key] = value
    annotations = {"stateful.mysql/max-lag-seconds": max_lag, "stateful.mysql/semi-sync": "wait"} if max_lag else {}
    ports = [{"name": "mysql", "containerPort": port}] if port else []
    return {"metadata": {"name": "mysql", "labels": labels, "annotations": annotations},
            "spec": {"replicas": replicas, "serviceName": "mysql",
                     "template": {"metadata": {"labels": {}}, "spec": {
                         "containers": [{"name": "mysql", "ports": ports}],
                         "volumes": [{"name": "secret", "secret": {"secretName": secret}},
                                     {"name": "state", "configMap": {"name": "mysql-state", "optional": True}}]}},
                     "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                               "spec": {"resources": {"requests": {"storage": storage}}}}]}}


def pods(*names):
    return [{"metadata": {"name": name}} for name in names]


def params(**extra):
    base = {"name": "mysql", "namespace": "ns", "replicas": None, "container": "mysql", "secret_name": None,
            "root_password": None, "max_lag": None, "port": None, "timeout": 60, "canary": True,
            "checksum_tables": [], "flavor": None, "version": None, "replication_mode": None, "record_initialized": True,
            "binlog_space_percent": 50}
    base.update(extra)
    return base


class Servers:
    """Answers each statement from the pod's captured fixtures, by the statement's start."""

    def __init__(self, batch, server="mysql-9.7", replica="healthy"):
        self.batch = batch
        self.server = server
        self.replica = {"mysql-1": replica, "mysql-2": replica}
        self.asked = []
        self.broken = {}
        # pod -> the GTID texts its GTID queries return, one per query, in order (else the fixture).
        self.gtid_state = {}
        self.binlog_sizes = {}

    def __call__(self, pod, statements):
        self.asked.append((pod, list(statements)))
        if pod in self.broken:
            raise self.broken[pod]
        return [StatementResult(s, 0, self.text(pod, s), "") for s in statements]

    def text(self, pod, statement):
        side = "primary" if pod == "mysql-0" else "replica"
        if statement.startswith("CREATE DATABASE"):
            return ""
        if statement == "SHOW BINARY LOGS":
            # Constructed (no capture): two logs per pod, sizes set per pod by the test.
            size = self.binlog_sizes.get(pod, 1000)
            return "Log_name\tFile_size\nbinlog.000001\t%d\nbinlog.000002\t%d\n" % (size, size)
        if pod in self.gtid_state and statement.startswith("SELECT @@GLOBAL.gtid"):
            return "state\n%s\n" % self.gtid_state[pod].pop(0)
        if statement.startswith("SHOW REPLICA STATUS"):
            return self.batch("%s-%s" % (self.server, self.replica[pod]))
        for start, name in (("SELECT @@GLOBAL.server_id", "server-id-" + side),
                            ("SELECT @@GLOBAL.read_only", "read-only-primary" if side == "primary" else "read-only"),
                            ("SELECT @@GLOBAL.gtid", "gtid-" + side),
                            ("SHOW BIN", "binlog-status"), ("CHECKSUM", "checksum"),
                            ("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync", "semi-sync-" + side),
                            ("SELECT COUNT(*) AS seen", "seen")):
            if statement.startswith(start):
                return self.batch("%s-%s" % (self.server, name))
        raise AssertionError("no fixture for %r" % statement)


def check(api, servers, check_mode=False, sleeps=None, **extra):
    clock = iter(range(0, 100000)).__next__
    checker = rc.ReplicationChecker(api, params(**extra), check_mode, sql=servers,
                                    sleep=(sleeps.append if sleeps is not None else lambda s: None), clock=clock)
    return checker.run()


def test_the_deployment_comes_from_the_statefulset():
    dep = rc.deployment_from(statefulset(port=3310, max_lag="12", mode="position"), params())
    assert (dep["port"], dep["max_lag"], dep["mode"], dep["secret"], dep["service"], dep["replicas"]) == (
        3310, 12, "position", "db-secret", "mysql", 2)
    assert dep["profile"]["flavor"] == "mysql" and dep["profile"]["version"] == "9.7"
    # An option that is set wins over the StatefulSet.
    dep = rc.deployment_from(statefulset(), params(port=3399, max_lag=5, replicas=4, secret_name="mine",
                                                   flavor="mariadb", version="11.8", replication_mode="position"))
    assert (dep["port"], dep["max_lag"], dep["replicas"], dep["secret"], dep["mode"]) == (3399, 5, 4, "mine", "position")
    assert dep["profile"]["flavor"] == "mariadb" and dep["profile"]["version"] == "11.8"


@pytest.mark.parametrize("sts, message", [
    (statefulset(flavor=None), "StatefulSet ns/mysql has no label stateful.mysql/flavor; set the flavor option"),
    (statefulset(flavor="postgres"), "unknown flavor 'postgres'; choose one of: mariadb, mysql"),
    (statefulset(version="5.7"), "unknown mysql version '5.7'; choose one of: 8.4, 9.7"),
    (statefulset(mode="semisync"), "StatefulSet ns/mysql: replication mode 'semisync' (label "
                                   "stateful.mysql/replication-mode) is not one of gtid, position; set the replication_mode option"),
    (statefulset(mode=None), "StatefulSet ns/mysql: replication mode None"),
    (statefulset(port=None), "StatefulSet ns/mysql: container mysql has no port named mysql; set the port option"),
    (statefulset(max_lag=None), "StatefulSet ns/mysql has no annotation stateful.mysql/max-lag-seconds; set the max_lag option"),
])
def test_what_the_statefulset_lacks_is_named(sts, message):
    with pytest.raises(rc.CheckError) as caught:
        rc.deployment_from(sts, params())
    assert str(caught.value).startswith(message)


def test_a_bad_table_name_is_refused_before_any_sql():
    with pytest.raises(rc.CheckError):
        rc.deployment_from(statefulset(), params(checksum_tables=["no_dot"]))


def test_a_healthy_check_asks_each_pod_once(batch):
    servers = Servers(batch)
    result = check(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), servers, checksum_tables=["app.t"])
    assert result["healthy"] is True, result["msg"]
    # The looks, the checksums, then the last round: the replica's GTID state before the primary's.
    assert [pod for pod, _statements in servers.asked] == ["mysql-0", "mysql-1", "mysql-1", "mysql-1", "mysql-0"]
    assert servers.asked[3][1] == ["SELECT @@GLOBAL.gtid_executed", "SHOW BINARY LOGS"]
    assert servers.asked[4][1] == ["SELECT @@GLOBAL.gtid_executed", "SHOW BINARY LOGS"]
    assert result["errant_check"] == "compared" and result["replicas"][0]["errant"] == ""
    assert result["warnings"] == []
    # The canary goes first on the primary, so the recorded position includes it.
    assert servers.asked[0][1][0].startswith("CREATE DATABASE IF NOT EXISTS `stateful_mysql_check`")
    assert result["canary"] == "written" and result["canary_id"] in servers.asked[0][1][0]
    assert servers.asked[2][1] == ["CHECKSUM TABLE `app`.`t`"]
    assert result["elapsed"] >= 0


def test_check_mode_writes_nothing(batch):
    servers = Servers(batch)
    result = check(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), servers, check_mode=True)
    assert result["healthy"] is True and result["canary"] == "skipped" and result["canary_id"] is None
    assert not any(s.startswith(("CREATE", "INSERT", "REPLACE")) for _pod, statements in servers.asked for s in statements)


def test_no_canary_when_disabled(batch):
    result = check(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), Servers(batch), canary=False)
    assert result["canary"] == "disabled" and result["replicas"][0]["canary_seen"] is None


def test_a_replica_catching_up_is_looked_at_until_it_has(batch):
    servers = Servers(batch)
    header, caught_up = batch("mysql-9.7-gtid-replica").split("\n")[:2]
    behind = "%s\n%s:1\n" % (header, caught_up.split(":")[0])
    looks = []

    def replica_behind_twice(pod, statements):
        results = servers(pod, statements)
        if pod == "mysql-1" and statements[0] == "SHOW REPLICA STATUS":
            looks.append(pod)
            if len(looks) < 3:
                results[3] = StatementResult(statements[3], 0, behind, "")
        return results

    sleeps = []
    checker = rc.ReplicationChecker(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), params(canary=False),
                                    sql=replica_behind_twice, sleep=sleeps.append, clock=iter(range(100000)).__next__)
    result = checker.run()
    assert len(looks) == 3 and sleeps == [rc.POLL_INTERVAL, rc.POLL_INTERVAL]
    assert result["replicas"][0]["caught_up"] is True and result["healthy"] is True


def test_a_replica_that_never_catches_up_times_out(batch):
    servers = Servers(batch)
    header, caught_up = batch("mysql-9.7-gtid-replica").split("\n")[:2]

    def always_behind(pod, statements):
        results = servers(pod, statements)
        if pod == "mysql-1" and statements[0] == "SHOW REPLICA STATUS":
            results[3] = StatementResult(statements[3], 0, "%s\n%s:1\n" % (header, caught_up.split(":")[0]), "")
        return results

    checker = rc.ReplicationChecker(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), params(canary=False, timeout=5),
                                    sql=always_behind, sleep=lambda s: None, clock=iter(range(100000)).__next__)
    problems = checker.run()["replicas"][0]["problems"]
    assert any(p.startswith("not caught up with the primary within 5s: ") for p in problems), problems


def test_a_stopped_replica_is_not_waited_for(batch):
    servers = Servers(batch, replica="sql-error")
    sleeps = []
    result = check(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), servers, sleeps=sleeps, timeout=600)
    assert sleeps == [] and result["unhealthy"] == ["mysql-1"]
    assert result["msg"].startswith("replication of StatefulSet ns/mysql is unhealthy: mysql-1: SQL thread not running")


def test_a_missing_pod_is_reported_with_the_full_shape(batch):
    servers = Servers(batch)
    result = check(FakeApi([statefulset(replicas=3)], pods("mysql-0", "mysql-1")), servers)
    assert result["unhealthy"] == ["mysql-2"]
    assert result["replicas"][1]["exists"] is False
    assert sorted(result["replicas"][1]) == sorted(result["replicas"][0])
    assert "mysql-2" not in [pod for pod, _statements in servers.asked]


def test_a_missing_primary_pod(batch):
    result = check(FakeApi([statefulset()], pods("mysql-1")), Servers(batch))
    assert result["primary"]["problems"] == ["pod mysql-0 does not exist"]
    assert result["canary"] == "failed" and result["canary_id"] is None


def test_an_unreachable_primary(batch):
    servers = Servers(batch)
    servers.broken["mysql-0"] = SqlError("cannot exec in pod ns/mysql-0 container mysql: boom")
    result = check(FakeApi([statefulset()], pods("mysql-0", "mysql-1")), servers)
    assert result["primary"]["problems"] == ["cannot run SQL: cannot exec in pod ns/mysql-0 container mysql: boom"]
    assert result["replicas"][0]["caught_up"] is None


def test_the_password_comes_from_the_secret_the_pods_mount():
    api = FakeApi([statefulset(secret="db-secret")], pods("mysql-0"), secrets={("db-secret", "root-password"): PASSWORD})
    checker = rc.ReplicationChecker(api, params())
    checker.setup()
    assert checker._sql is not None
    missing = rc.ReplicationChecker(FakeApi([statefulset(secret="gone")], pods("mysql-0")), params())
    with pytest.raises(rc.CheckError) as caught:
        missing.setup()
    assert str(caught.value) == "Secret ns/gone not found; set root_password or secret_name"


def test_the_password_is_nowhere_in_the_result(batch):
    api = FakeApi([statefulset()], pods("mysql-0", "mysql-1"), secrets={("db-secret", "root-password"): PASSWORD})
    result = check(api, Servers(batch))
    assert PASSWORD not in json.dumps(result)


def test_no_statefulset():
    with pytest.raises(rc.CheckError) as caught:
        rc.check_replication(FakeApi([], []), params())
    assert str(caught.value) == "StatefulSet ns/mysql not found"


def test_api_errors_become_a_check_error():
    exc = K8sError('statefulsets.apps "mysql" is forbidden', status=403)
    api = FakeApi([statefulset()], [])
    api.errors["statefulset"] = exc
    with pytest.raises(rc.CheckError) as caught:
        rc.check_replication(api, params())
    assert str(caught.value) == 'Kubernetes API error while checking StatefulSet ns/mysql: statefulsets.apps "mysql" is forbidden'


STATE = "/api/v1/namespaces/ns/configmaps/mysql-state"


def test_a_healthy_check_records_that_the_deployment_was_initialized(batch):
    api = FakeApi([statefulset()], pods("mysql-0", "mysql-1"))
    first = check(api, Servers(batch))
    assert first["initialized"] == "recorded"
    stamp = api.objects[STATE]["data"]["initialized"]
    assert check(api, Servers(batch))["initialized"] == "already"
    assert api.objects[STATE]["data"]["initialized"] == stamp


def test_nothing_is_recorded_in_check_mode_or_when_unhealthy(batch):
    api = FakeApi([statefulset()], pods("mysql-0", "mysql-1"))
    assert check(api, Servers(batch), check_mode=True)["initialized"] == "skipped"
    assert check(api, Servers(batch, replica="sql-error"))["initialized"] == "skipped"
    assert check(api, Servers(batch), record_initialized=False)["initialized"] == "skipped"
    assert STATE not in api.objects


def test_an_existing_state_configmap_gets_the_key_added(batch):
    api = FakeApi([statefulset()], pods("mysql-0", "mysql-1"))
    api.objects[STATE] = {"metadata": {"name": "mysql-state"}, "data": {"recover-from": "mysql-2.mysql-recovery"}}
    assert check(api, Servers(batch))["initialized"] == "recorded"
    assert set(api.objects[STATE]["data"]) == {"recover-from", "initialized"}


# --- errant transactions and binary log space (the last round) -------------------------------

U_PRIMARY = "d17e48af-edd1-11f1-adb4-92f2d799a906"
U_REPLICA = "8a94f357-aab4-11df-86ab-c80aa9429562"


def last_round(servers, states):
    """A SQL runner whose last round returns ``states[pod]`` as the GTID state (a list, one
    per pod's turn); every other statement is the fixture's."""
    def sql(pod, statements):
        results = servers(pod, statements)
        if statements[0].startswith(("SELECT @@GLOBAL.gtid_executed", "SELECT @@GLOBAL.gtid_binlog_state")) \
                and len(statements) == 2:
            # The client prints a newline inside a value as \n.
            printed = states[pod].replace("\n", "\\n")
            results[0] = StatementResult(statements[0], 0, "state\tpos\n%s\t\n" % printed, "")
        return results
    return sql


def run_checker(sql, sts=None, **extra):
    checker = rc.ReplicationChecker(FakeApi([sts or statefulset()], pods("mysql-0", "mysql-1")), params(**extra),
                                    sql=sql, sleep=lambda s: None, clock=iter(range(100000)).__next__)
    return checker.run()


def test_a_replica_with_its_own_transaction_fails_naming_it(batch):
    servers = Servers(batch)
    errant = "%s:1" % U_REPLICA
    result = run_checker(last_round(servers, {"mysql-1": "%s:1-5,\n%s" % (U_PRIMARY, errant),
                                              "mysql-0": "%s:1-5" % U_PRIMARY}))
    replica = result["replicas"][0]
    assert result["healthy"] is False and result["unhealthy"] == ["mysql-1"]
    assert replica["errant"] == errant and replica["caught_up"] is True
    assert any(errant in problem and problem.startswith("errant transactions") for problem in replica["problems"])
    assert "mysql-1" in result["msg"] and errant in result["msg"]
    assert result["errant_check"] == "compared"


def test_the_primarys_commits_made_during_the_check_are_not_errant(batch):
    # The replica already applied 6 when asked; the primary, asked after it, has it too.
    servers = Servers(batch)
    result = run_checker(last_round(servers, {"mysql-1": "%s:1-6" % U_PRIMARY, "mysql-0": "%s:1-7" % U_PRIMARY}))
    assert result["healthy"] is True, result["msg"]
    assert result["replicas"][0]["errant"] == ""


def test_mariadb_errant_is_told_per_domain_and_server_id(batch):
    servers = Servers(batch, server="mariadb-11.8")
    sts = statefulset(flavor="mariadb", version="11.8")
    states = {"mysql-1": "0-100-5,0-101-1", "mysql-0": "0-100-5"}
    result = run_checker(last_round(servers, states), sts)
    assert result["replicas"][0]["errant"] == "0-101-1" and result["healthy"] is False
    asked = [statements for pod, statements in servers.asked if len(statements) == 2]
    assert asked == [["SELECT @@GLOBAL.gtid_binlog_state, @@GLOBAL.gtid_slave_pos", "SHOW BINARY LOGS"],
                     ["SELECT @@GLOBAL.gtid_binlog_state", "SHOW BINARY LOGS"]]


def test_position_mode_says_it_cannot_tell(batch):
    servers = Servers(batch)
    result = run_checker(servers, statefulset(mode="position"))
    assert result["errant_check"] == "unavailable" and result["replicas"][0]["errant"] is None
    assert any("cannot be detected in replication_mode=position" in w for w in result["warnings"])
    # Only the binary logs are asked for in the last round.
    assert [s for _pod, s in servers.asked][-2:] == [["SHOW BINARY LOGS"], ["SHOW BINARY LOGS"]]


def test_an_unreadable_primary_state_leaves_the_check_incomplete(batch):
    servers = Servers(batch)

    def sql(pod, statements):
        results = servers(pod, statements)
        if pod == "mysql-0" and statements[0] == "SELECT @@GLOBAL.gtid_executed" and len(statements) == 2:
            results[0] = StatementResult(statements[0], 1, "", "ERROR 2013 (HY000): Lost connection")
        return results

    result = run_checker(sql)
    assert result["errant_check"] == "incomplete" and result["replicas"][0]["errant"] is None
    assert result["healthy"] is False and "Lost connection" in " ".join(result["primary"]["problems"])


@pytest.mark.parametrize("storage, size, warned", [
    ("1Mi", 300000, True),     # 600000 of 1048576 bytes: 57%
    ("1Mi", 200000, False),    # 38%
    ("1Gi", 300000, False),
])
def test_binary_logs_filling_the_volume_are_a_warning(batch, storage, size, warned):
    servers = Servers(batch)
    servers.binlog_sizes = {"mysql-1": size}
    result = run_checker(servers, statefulset(storage=storage))
    assert result["healthy"] is True, result["msg"]
    assert result["replicas"][0]["binlog_bytes"] == 2 * size and result["primary"]["binlog_bytes"] == 2000
    assert result["volume_bytes"] == {"1Mi": 1048576, "1Gi": 1073741824}[storage]
    messages = [w for w in result["warnings"] if w.startswith("mysql-1: binary logs take")]
    assert bool(messages) is warned, result["warnings"]
    if warned:
        assert "57%" in messages[0] and "binlog_space_percent=50%" in messages[0]


def test_binlog_space_percent_zero_turns_the_warning_off(batch):
    servers = Servers(batch)
    servers.binlog_sizes = {"mysql-1": 10 ** 6, "mysql-0": 10 ** 6}
    result = run_checker(servers, binlog_space_percent=0)
    assert result["warnings"] == [] and result["binlog_space_percent"] == 0


def test_a_replica_whose_sql_never_ran_is_not_asked_again(batch):
    servers = Servers(batch)
    servers.broken["mysql-1"] = SqlError("container mysql is not running")
    result = run_checker(servers, timeout=3)
    asked = [statements for pod, statements in servers.asked if pod == "mysql-1"]
    assert asked and all(statements[0] == "SHOW REPLICA STATUS" for statements in asked)
    assert result["replicas"][0]["errant"] is None and result["errant_check"] == "incomplete"
    assert not any("errant" in p for p in result["replicas"][0]["problems"])


def test_a_replica_whose_last_round_fails_says_so(batch):
    servers = Servers(batch)

    def sql(pod, statements):
        if pod == "mysql-1" and len(statements) == 2:
            raise SqlError("exec timed out")
        return servers(pod, statements)

    result = run_checker(sql)
    replica = result["replicas"][0]
    assert replica["errant"] is None and replica["binlog_bytes"] is None and result["healthy"] is False
    assert "cannot tell whether it holds errant transactions: cannot run SQL: exec timed out" in replica["problems"]
