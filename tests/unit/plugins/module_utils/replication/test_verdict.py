# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The replication verdict from what real servers answered (fixtures captured by
test-infra/fixtures/capture.sh from MySQL 9.7, MariaDB 10.11 and 11.8): pure functions,
no cluster and nothing patched."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils.replication import verdict as rv
from ansible_collections.stateful.mysql.plugins.module_utils.replication.sql import StatementResult

SERVERS = ["mysql-9.7", "mariadb-10.11", "mariadb-11.8"]
CANARY = "20261201T120000-canary"


def deployment(server, mode="gtid", tables=(), max_lag=30, port=3306, semi_sync="wait"):
    flavor, version = server.split("-")
    return {"profile": flavors.profile(flavor, version), "mode": mode, "primary_pod": "mysql-0",
            "service": "mysql", "port": port, "max_lag": max_lag, "timeout": 60, "tables": list(tables),
            "semi_sync": semi_sync, "replicas": 3}


def answer(text, rc=0, error=""):
    return StatementResult("(captured)", rc, text, error)


def primary_answers(batch, server, canary=False, tables=False):
    out = [answer("")] if canary else []
    out += [answer(batch(server + "-" + name)) for name in
            ("server-id-primary", "read-only-primary", "gtid-primary", "binlog-status", "semi-sync-primary")]
    if tables:
        out.append(answer(batch(server + "-checksum")))
    return out


def replica_answers(batch, server, situation="healthy", canary=False):
    out = [answer(batch(server + "-" + name)) for name in
           (situation, "server-id-replica", "read-only", "gtid-replica", "semi-sync-replica")]
    if canary:
        out.append(answer(batch(server + "-seen")))
    return out


def primary(batch, server, **kw):
    facts, _canary = rv.primary_facts("mysql-0", deployment(server, **kw), primary_answers(batch, server))
    return facts


@pytest.mark.parametrize("server", SERVERS)
def test_statements_follow_the_profile(server):
    profile = deployment(server)["profile"]
    statements = rv.primary_statements(profile, ["app.t"], "mysql-0", CANARY)
    assert statements[0].startswith("CREATE DATABASE IF NOT EXISTS `stateful_mysql_check`")
    assert CANARY in statements[0] and "'mysql-0'" in statements[0]
    assert statements[1:] == ["SELECT @@GLOBAL.server_id", profile["read_only_query"], profile["primary_gtid_query"],
                              profile["show_primary_status"], rv.SEMI_SYNC_STATUS, "CHECKSUM TABLE `app`.`t`"]
    assert rv.replica_statements(profile)[0] == "SHOW REPLICA STATUS"
    assert rv.replica_statements(profile, CANARY)[-1] == rv.canary_read_sql(CANARY)


@pytest.mark.parametrize("server", SERVERS)
def test_a_healthy_deployment(batch, server):
    dep = deployment(server, tables=["app.t"])
    prim, canary = rv.primary_facts("mysql-0", dep, primary_answers(batch, server, canary=True, tables=True), CANARY)
    assert canary == "written"
    assert prim["healthy"] and prim["problems"] == []
    assert prim["server_id"] == 100 and prim["read_only"] is False and prim["reachable"] is True
    assert prim["file"].startswith("binlog.") and prim["position"] > 0
    assert prim["checksums"] == {"app.t": "2742102162"}
    assert prim["semi_sync"] is True and prim["semi_sync_clients"] == 2
    look = rv.replica_look(dep, prim, replica_answers(batch, server, canary=True), CANARY)
    assert look["caught_up"] is True and look["canary_seen"] is True and rv.settled(look)
    replica = rv.replica_result("mysql-1", dep, prim, look, CANARY)
    rv.compare_checksums(replica, prim, dep["tables"], answer(batch(server + "-checksum")))
    assert replica["problems"] == []
    assert replica["source_is_primary"] is True and replica["server_id"] == 101
    assert replica["read_only"] is True and replica["super_read_only"] is (server.startswith("mysql"))
    assert replica["semi_sync"] is True
    result = rv.verdict("ns", "mysql", dep, prim, [replica], canary, CANARY)
    assert result["healthy"] is True and result["unhealthy"] == [] and result["changed"] is False
    assert result["checksums"] == {"app.t": {"mysql-0": "2742102162", "mysql-1": "2742102162"}}
    assert result["msg"] == "replication of StatefulSet ns/mysql is healthy: 1 replica(s) caught up with mysql-0"
    assert result["flavor"] == server.split("-")[0] and result["port"] == 3306 and result["max_lag"] == 30


@pytest.mark.parametrize("server", SERVERS)
def test_position_mode_compares_binlog_coordinates(batch, server):
    dep = deployment(server, mode="position")
    prim = primary(batch, server, mode="position")
    look = rv.replica_look(dep, prim, replica_answers(batch, server))
    assert look["caught_up"] is True
    ahead = dict(prim, position=prim["position"] + 1000)
    reached, detail = rv.caught_up(dep, ahead, look)
    assert reached is False and detail.startswith("executed binlog.")


@pytest.mark.parametrize("server", SERVERS)
def test_a_stopped_sql_thread_is_final_and_named(batch, server):
    dep = deployment(server)
    prim = dict(primary(batch, server))
    look = rv.replica_look(dep, prim, replica_answers(batch, server, "sql-stopped", canary=True), CANARY)
    # Stopped replication does not heal while we wait: no point in looking again.
    assert rv.settled(look)
    replica = rv.replica_result("mysql-1", dep, prim, look, CANARY)
    assert replica["problems"][:2] == ["SQL thread not running (state: No)",
                                       "replication lag unknown (seconds behind the source is NULL)"]
    # The canary count the fixture returns is 1; a replica that had not seen it would say so.
    assert replica["canary_seen"] is True


@pytest.mark.parametrize("server", SERVERS)
def test_a_replica_behind_a_stopped_sql_thread_is_not_caught_up(batch, server):
    dep = deployment(server)
    prim = primary(batch, server)
    look = rv.replica_look(dep, prim, replica_answers(batch, server, "sql-error"))
    look["caught_up"], look["caught_up_detail"] = False, "behind"
    replica = rv.replica_result("mysql-1", dep, prim, look)
    assert "not caught up with the primary (replication is stopped): behind" in replica["problems"]
    assert any(p.startswith("SQL error 1062: ") for p in replica["problems"])


@pytest.mark.parametrize("server", SERVERS)
def test_an_io_thread_that_cannot_log_in(batch, server):
    dep = deployment(server)
    prim = primary(batch, server)
    replica = rv.replica_result("mysql-1", dep, prim, rv.replica_look(dep, prim, replica_answers(batch, server, "io-connecting")))
    assert replica["problems"][0] == "IO thread not running (state: Connecting)"
    assert replica["problems"][1].startswith("IO error 1045: ")
    assert replica["io_state"] == "Connecting" and replica["last_io_errno"] == 1045


@pytest.mark.parametrize("server", SERVERS)
def test_a_replica_of_the_wrong_source_with_a_lag_limit(batch, server):
    dep = deployment(server, max_lag=0)
    prim = primary(batch, server)
    look = rv.replica_look(dep, prim, replica_answers(batch, server, "wrong-source-delayed"))
    replica = rv.replica_result("mysql-1", dep, prim, look)
    assert replica["source_is_primary"] is False
    assert "replication lag %ds exceeds max_lag 0s" % replica["seconds_behind"] in replica["problems"]
    assert "source host 'mysql-2.mysql' is not the primary mysql-0.mysql" in replica["problems"]


@pytest.mark.parametrize("server", SERVERS)
def test_another_port_is_the_deployments(batch, server):
    dep = deployment(server, port=3310)
    prim = primary(batch, server)
    replica = rv.replica_result("mysql-1", dep, prim, rv.replica_look(dep, prim, replica_answers(batch, server)))
    assert replica["problems"] == ["source port 3306 is not 3310"]
    assert replica["source_is_primary"] is False


@pytest.mark.parametrize("server", SERVERS)
def test_read_only_the_wrong_way_round(batch, server):
    dep = deployment(server)
    answers = primary_answers(batch, server)
    answers[1] = answer(batch(server + "-read-only"))
    prim, _unused = rv.primary_facts("mysql-0", dep, answers)
    assert prim["problems"] == ["read_only is ON on the primary"] and not prim["healthy"]
    replica_side = replica_answers(batch, server)
    replica_side[2] = answer(batch(server + "-read-only-primary"))
    replica_side[1] = answer(batch(server + "-server-id-primary"))
    replica = rv.replica_result("mysql-1", dep, prim, rv.replica_look(dep, prim, replica_side))
    assert replica["problems"] == ["read_only is OFF on a replica", "server_id 100 is the primary's"]


def test_a_refused_login_is_one_final_problem():
    refused = answer("", 1, "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n")
    dep = deployment("mysql-9.7")
    look = rv.replica_look(dep, {"reachable": True}, [refused] * 5)
    assert look["final"] and rv.settled(look)
    replica = rv.replica_result("mysql-1", dep, {"server_id": 100}, look)
    assert replica["problems"] == [
        "SQL failed: ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES) (exit code 1)"]


def test_a_server_still_starting_is_looked_at_again():
    starting = answer("", 1, "ERROR 2002 (HY000): Can't connect to local server through socket\n")
    look = rv.replica_look(deployment("mysql-9.7"), {"reachable": True}, [starting] * 5)
    assert look["error"] and not look["final"] and not rv.settled(look)


@pytest.mark.parametrize("server", SERVERS)
def test_a_canary_table_not_replicated_yet_is_not_an_error(batch, server):
    dep = deployment(server)
    prim = primary(batch, server)
    answers = replica_answers(batch, server)
    answers.append(answer("", 1, "ERROR 1146 (42S02): Table 'stateful_mysql_check.canary' doesn't exist\n"))
    look = rv.replica_look(dep, prim, answers, CANARY)
    assert look["canary_seen"] is False and look["statement_errors"] == [] and not rv.settled(look)


@pytest.mark.parametrize("server", SERVERS)
def test_the_primary_that_cannot_be_read(batch, server):
    dep = deployment(server)
    prim, canary = rv.primary_facts("mysql-0", dep, None, CANARY, error="cannot run SQL: boom")
    assert canary == "failed" and prim["reachable"] is False and prim["problems"] == ["cannot run SQL: boom"]
    look = rv.replica_look(dep, prim, replica_answers(batch, server))
    assert look["caught_up"] is None and rv.settled(look)
    replica = rv.replica_result("mysql-1", dep, prim, look)
    assert "cannot tell whether it caught up with the primary: the primary could not be read" in replica["problems"]


@pytest.mark.parametrize("server", SERVERS)
def test_checksums(batch, server):
    dep = deployment(server, tables=["app.t", "app.nope"])
    prim, _unused = rv.primary_facts("mysql-0", dep, primary_answers(batch, server, tables=True))
    assert prim["problems"] == ["CHECKSUM TABLE app.nope returned NULL (no such table?)"]
    replica = rv.replica_result("mysql-1", dep, prim, rv.replica_look(dep, prim, replica_answers(batch, server)))
    other = answer("Table\tChecksum\napp.t\t1\napp.nope\tNULL\n")
    rv.compare_checksums(replica, prim, ["app.t"], other)
    assert replica["problems"] == ["CHECKSUM TABLE app.t differs from the primary (1, primary 2742102162)"]
    behind = dict(replica, caught_up=False, problems=[])
    rv.compare_checksums(behind, prim, ["app.t"])
    assert behind["problems"] == ["checksums not compared: the replica has not caught up"]


@pytest.mark.parametrize("server", SERVERS)
def test_every_replica_result_has_the_same_shape(batch, server):
    dep = deployment(server)
    prim = primary(batch, server)
    seen = rv.replica_result("mysql-1", dep, prim, rv.replica_look(dep, prim, replica_answers(batch, server)))
    missing = rv.missing_replica("mysql-2")
    assert sorted(missing) == sorted(seen)
    assert missing["exists"] is False and missing["problems"] == ["pod mysql-2 does not exist"]
    result = rv.verdict("ns", "mysql", dep, prim, [seen, missing], None, None)
    assert result["unhealthy"] == ["mysql-2"]
    assert result["msg"] == "replication of StatefulSet ns/mysql is unhealthy: mysql-2: pod mysql-2 does not exist"


def test_table_names():
    assert rv.parse_table_name("app.t") == ("app", "t")
    for bad in ("app", ".t", "app.", "", None):
        with pytest.raises(rv.VerdictError):
            rv.parse_table_name(bad)
    assert rv.checksum_sql(["a.b", "c`d.e"]) == "CHECKSUM TABLE `a`.`b`, `c``d`.`e`"


@pytest.mark.parametrize("server", SERVERS)
def test_semi_sync_that_should_be_on_and_is_not(batch, server):
    dep = deployment(server)
    answers = primary_answers(batch, server)
    # The server's answer without any semi-sync variable: the plugin is not loaded.
    answers[4] = answer("Variable_name\tValue\n")
    prim, _unused = rv.primary_facts("mysql-0", dep, answers)
    assert prim["semi_sync"] is None
    assert prim["problems"] == ["semi-synchronous replication (wait) is not active on the primary: commits are "
                                "acknowledged before any replica has them"]
    # Off by choice, or a single pod: nothing to wait for, nothing wrong.
    assert rv.primary_facts("mysql-0", deployment(server, semi_sync="off"), answers)[0]["problems"] == []
    replica_side = replica_answers(batch, server)
    replica_side[4] = answer(batch(server + "-semi-sync-primary"))  # the primary's answer has the replica's OFF
    replica = rv.replica_result("mysql-1", dep, primary(batch, server), rv.replica_look(dep, primary(batch, server), replica_side))
    expected = ["semi-synchronous replication is not active on this replica"] if server.startswith("mariadb") else []
    assert replica["problems"] == expected
