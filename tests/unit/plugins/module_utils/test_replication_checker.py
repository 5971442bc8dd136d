# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole replication check over a fake cluster whose SQL answers come from fixtures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import replication_checker as rc
from ansible_collections.stateful.mysql.plugins.module_utils.k8s_api import NotFound
from ansible_collections.stateful.mysql.plugins.module_utils.pod_sql import SqlError, StatementResult

PASSWORD = "Rt7pQ2xZ9vLm4KcW8sNb3YhJ6dFg1AeT"
U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562"


def statefulset(name="mdb", flavor="mariadb", version="10.11", mode="gtid", replicas=2):
    labels = {"app.kubernetes.io/name": "stateful-mysql", "app.kubernetes.io/instance": name}
    for key, value in (("stateful.mysql/flavor", flavor), ("stateful.mysql/version", version),
                       ("stateful.mysql/replication-mode", mode)):
        if value:
            labels[key] = value
    return {"metadata": {"name": name, "labels": labels},
            "spec": {"replicas": replicas, "serviceName": name, "template": {"metadata": {"labels": {}}}}}


class Cluster:
    """Answers statements per pod; an answer is text (rc 0), (rc, output, error) or a callable."""

    def __init__(self, sts, answers, secret=PASSWORD, pods=None):
        self.sts = sts
        self.answers = answers
        self.secret = secret
        self.pods = pods
        self.statements = []

    def run_sql(self, core, namespace, pod, container, client_bin, password, statements, timeout=60):
        assert password == PASSWORD
        self.statements.append((pod, list(statements)))
        pod_answers = self.answers.get(pod)
        if isinstance(pod_answers, Exception):
            raise pod_answers
        out = []
        for statement in statements:
            answer = None
            for prefix, value in pod_answers.items():
                if statement.startswith(prefix):
                    answer = value
                    break
            assert answer is not None, "no answer for %r on %s" % (statement, pod)
            if callable(answer):
                answer = answer()
            if isinstance(answer, tuple):
                out.append(StatementResult(statement, *answer))
            else:
                out.append(StatementResult(statement, 0, answer, ""))
        return out


@pytest.fixture
def cluster(monkeypatch):
    def install(sts, answers, secret=PASSWORD, pods=None):
        fake = Cluster(sts, answers, secret, pods)
        monkeypatch.setattr(rc, "apis", lambda client: (None, None))
        monkeypatch.setattr(rc, "read_statefulset", lambda apps, ns, name: fake.sts)

        def read_secret_key(core, ns, name, key):
            if fake.secret is None:
                raise NotFound("Secret %s/%s not found" % (ns, name))
            assert key == "root-password"
            return fake.secret

        monkeypatch.setattr(rc, "read_secret_key", read_secret_key)
        monkeypatch.setattr(rc, "read_pod", lambda core, ns, name: {} if fake.pods is None or name in fake.pods else None)
        monkeypatch.setattr(rc, "run_sql", fake.run_sql)
        monkeypatch.setattr(rc, "POLL_INTERVAL", 0)
        return fake

    return install


def params(**extra):
    base = {"name": "mdb", "namespace": "mod-x", "replicas": None, "container": "mysql", "secret_name": None,
            "root_password": None, "max_lag": 30, "timeout": 60, "canary": True, "checksum_tables": [],
            "flavor": None, "version": None, "replication_mode": None}
    base.update(extra)
    return base


def mariadb_primary(batch, gtid_pos="0-100-3"):
    return {
        "CREATE DATABASE IF NOT EXISTS": "",
        "SELECT @@GLOBAL.server_id": "@@GLOBAL.server_id\n100\n",
        "SELECT @@GLOBAL.read_only": "@@GLOBAL.read_only\t0\n0\t0\n",
        "SELECT @@GLOBAL.gtid_binlog_pos": "@@GLOBAL.gtid_binlog_pos\n%s\n" % gtid_pos,
        "SHOW BINLOG STATUS": batch("mariadb-10.11-binlog-status"),
        "CHECKSUM TABLE": batch("mariadb-10.11-checksum"),
    }


def mariadb_replica(batch, status="mariadb-10.11-healthy", gtid_pos="0-100-3", seen="1"):
    return {
        "SHOW REPLICA STATUS": batch(status),
        "SELECT @@GLOBAL.server_id": "@@GLOBAL.server_id\n101\n",
        "SELECT @@GLOBAL.read_only": batch("mariadb-10.11-read-only"),
        "SELECT @@GLOBAL.gtid_slave_pos": gtid_pos if callable(gtid_pos) else "@@GLOBAL.gtid_slave_pos\n%s\n" % gtid_pos,
        "SELECT COUNT(*) AS seen": "seen\n%s\n" % seen,
        "CHECKSUM TABLE": batch("mariadb-10.11-checksum"),
    }


def test_healthy_mariadb(cluster, batch):
    fake = cluster(statefulset(), {"mdb-0": mariadb_primary(batch), "mdb-1": mariadb_replica(batch)})
    result = rc.check_replication(object(), params(checksum_tables=["t.x"]))
    assert result["healthy"] is True
    assert result["unhealthy"] == []
    assert result["changed"] is False  # the canary is bookkeeping, not a change
    assert result["canary"] == "written"
    assert result["flavor"] == "mariadb" and result["version"] == "10.11" and result["replication_mode"] == "gtid"
    primary = result["primary"]
    assert primary["server_id"] == 100 and primary["read_only"] is False and primary["gtid"] == "0-100-3"
    assert primary["file"] == "mysql-bin.000001" and primary["position"] == 819
    replica = result["replicas"][0]
    assert replica["pod"] == "mdb-1"
    assert replica["io_running"] and replica["sql_running"] and replica["source_is_primary"]
    assert replica["caught_up"] is True and replica["canary_seen"] is True and replica["read_only"] is True
    assert replica["seconds_behind"] == 0 and replica["server_id"] == 101
    assert result["checksums"] == {"t.x": {"mdb-0": "4033052743", "mdb-1": "4033052743"}}
    # The canary goes first on the primary, so the recorded position includes it.
    first_pod, first_statements = fake.statements[0]
    assert first_pod == "mdb-0" and first_statements[0].startswith("CREATE DATABASE IF NOT EXISTS `stateful_mysql_check`")
    assert result["canary_id"] in first_statements[0]
    assert result["msg"] == "replication of StatefulSet mod-x/mdb is healthy: 1 replica(s) caught up with mdb-0"


def test_check_mode_writes_nothing(cluster, batch):
    fake = cluster(statefulset(), {"mdb-0": mariadb_primary(batch), "mdb-1": mariadb_replica(batch)})
    result = rc.check_replication(object(), params(), check_mode=True)
    assert result["healthy"] is True
    assert result["changed"] is False
    assert result["canary"] == "skipped"
    assert result["canary_id"] is None
    assert result["replicas"][0]["canary_seen"] is None
    for _pod, statements in fake.statements:
        assert not any(s.startswith(("CREATE", "INSERT")) for s in statements)


def test_stopped_sql_thread_is_reported_without_waiting(cluster, batch):
    fake = cluster(statefulset(), {
        "mdb-0": mariadb_primary(batch, gtid_pos="0-100-4"),
        "mdb-1": mariadb_replica(batch, status="mariadb-10.11-sql-stopped", gtid_pos="0-100-3", seen="0"),
    })
    result = rc.check_replication(object(), params(timeout=600))
    assert result["healthy"] is False
    assert result["unhealthy"] == ["mdb-1"]
    replica = result["replicas"][0]
    assert replica["healthy"] is False and replica["caught_up"] is False and replica["canary_seen"] is False
    assert replica["problems"][:3] == [
        "SQL thread not running (state: No)",
        "replication lag unknown (seconds behind the source is NULL)",
        "not caught up with the primary (replication is stopped): domain 0 at 3, primary at 4",
    ]
    assert replica["problems"][3].startswith("canary row ") and replica["problems"][3].endswith(" not seen")
    assert len([s for s in fake.statements if s[0] == "mdb-1"]) == 1
    assert result["msg"].startswith("replication of StatefulSet mod-x/mdb is unhealthy: mdb-1: SQL thread not running")


def test_replica_catching_up_is_polled_until_it_has(cluster, batch):
    positions = iter(["0-100-1", "0-100-2", "0-100-3"])
    fake = cluster(statefulset(), {
        "mdb-0": mariadb_primary(batch),
        "mdb-1": mariadb_replica(batch, gtid_pos=lambda: "@@GLOBAL.gtid_slave_pos\n%s\n" % next(positions)),
    })
    result = rc.check_replication(object(), params())
    assert result["healthy"] is True
    assert result["replicas"][0]["gtid"] == "0-100-3"
    assert len([s for s in fake.statements if s[0] == "mdb-1"]) == 3


def test_replica_that_never_catches_up_times_out(cluster, batch):
    cluster(statefulset(), {"mdb-0": mariadb_primary(batch, gtid_pos="0-100-9"), "mdb-1": mariadb_replica(batch, seen="0")})
    result = rc.check_replication(object(), params(timeout=0))
    problems = result["replicas"][0]["problems"]
    assert "not caught up with the primary within 0s: domain 0 at 3, primary at 9" in problems
    assert any(p.endswith("not seen within 0s") for p in problems)


def test_checksum_difference(cluster, batch):
    replica = mariadb_replica(batch)
    replica["CHECKSUM TABLE"] = "Table\tChecksum\nt.x\t1\nt.nope\tNULL\n"
    cluster(statefulset(), {"mdb-0": mariadb_primary(batch), "mdb-1": replica})
    result = rc.check_replication(object(), params(checksum_tables=["t.x"]))
    assert result["replicas"][0]["problems"] == ["CHECKSUM TABLE t.x differs from the primary (1, primary 4033052743)"]
    assert result["unhealthy"] == ["mdb-1"]


def test_missing_table_on_the_primary(cluster, batch):
    cluster(statefulset(), {"mdb-0": mariadb_primary(batch), "mdb-1": mariadb_replica(batch)})
    result = rc.check_replication(object(), params(checksum_tables=["t.x", "t.nope"]))
    assert result["primary"]["problems"] == ["CHECKSUM TABLE t.nope returned NULL (no such table?)"]
    assert result["unhealthy"] == ["mdb-0"]


def test_read_only_primary_and_writable_replica(cluster, batch):
    primary = mariadb_primary(batch)
    primary["SELECT @@GLOBAL.read_only"] = "@@GLOBAL.read_only\t0\n1\t0\n"
    replica = mariadb_replica(batch)
    replica["SELECT @@GLOBAL.read_only"] = "@@GLOBAL.read_only\t0\n0\t0\n"
    cluster(statefulset(), {"mdb-0": primary, "mdb-1": replica})
    result = rc.check_replication(object(), params())
    assert result["primary"]["problems"] == ["read_only is ON on the primary"]
    assert result["replicas"][0]["problems"] == ["read_only is OFF on a replica"]
    assert result["unhealthy"] == ["mdb-0", "mdb-1"]


def test_login_refused_is_one_problem_and_not_waited_for(cluster, batch):
    refused = (1, "", "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n")
    everything = dict((key, refused) for key in mariadb_replica(batch))
    fake = cluster(statefulset(), {"mdb-0": mariadb_primary(batch), "mdb-1": everything})
    result = rc.check_replication(object(), params(timeout=600))
    assert result["replicas"][0]["problems"] == [
        "SQL failed: ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES) (exit code 1)"]
    assert len([s for s in fake.statements if s[0] == "mdb-1"]) == 1


def test_unreachable_primary(cluster, batch):
    cluster(statefulset(), {"mdb-0": SqlError("cannot exec in pod mod-x/mdb-0 container mysql: boom"),
                            "mdb-1": mariadb_replica(batch)})
    result = rc.check_replication(object(), params())
    assert result["primary"]["reachable"] is False
    assert result["primary"]["problems"] == ["cannot run SQL: cannot exec in pod mod-x/mdb-0 container mysql: boom"]
    assert result["canary"] == "failed" and result["changed"] is False
    assert result["replicas"][0]["caught_up"] is None
    assert "cannot tell whether it caught up with the primary: the primary could not be read" in result["replicas"][0]["problems"]


def test_missing_replica_pod(cluster, batch):
    cluster(statefulset(replicas=3), {"mdb-0": mariadb_primary(batch), "mdb-1": mariadb_replica(batch)},
            pods=["mdb-0", "mdb-1"])
    result = rc.check_replication(object(), params())
    assert result["unhealthy"] == ["mdb-2"]
    assert result["replicas"][1] == {"pod": "mdb-2", "healthy": False, "problems": ["pod mdb-2 does not exist"],
                                     "caught_up": None, "canary_seen": None, "checksums": {}}


def test_password_is_nowhere_in_the_result(cluster, batch):
    leaky = mariadb_replica(batch)
    cluster(statefulset(), {"mdb-0": mariadb_primary(batch), "mdb-1": leaky})
    result = rc.check_replication(object(), params())
    assert PASSWORD not in json.dumps(result)


def test_labels_decide_and_options_override(cluster, batch):
    cluster(statefulset(flavor=None), {})
    with pytest.raises(rc.CheckError) as caught:
        rc.check_replication(object(), params())
    assert str(caught.value) == "StatefulSet mod-x/mdb has no label stateful.mysql/flavor; set the flavor option"
    cluster(statefulset(flavor=None), {"mdb-0": mariadb_primary(batch), "mdb-1": mariadb_replica(batch)})
    assert rc.check_replication(object(), params(flavor="mariadb"))["healthy"]
    cluster(statefulset(flavor="postgres"), {})
    with pytest.raises(rc.CheckError) as caught:
        rc.check_replication(object(), params())
    assert "unknown flavor 'postgres'" in str(caught.value)
    cluster(statefulset(mode="semisync"), {})
    with pytest.raises(rc.CheckError):
        rc.check_replication(object(), params())


def test_missing_secret(cluster):
    cluster(statefulset(), {}, secret=None)
    with pytest.raises(rc.CheckError) as caught:
        rc.check_replication(object(), params())
    assert str(caught.value) == "Secret mod-x/mdb-credentials not found; set root_password or secret_name"


def test_bad_checksum_table_name(cluster):
    cluster(statefulset(), {})
    with pytest.raises(rc.CheckError):
        rc.check_replication(object(), params(checksum_tables=["no_dot"]))


# --- MySQL 8.4 (fixtures written from the manual) --------------------------------------------

def mysql_primary(executed):
    return {
        "CREATE DATABASE IF NOT EXISTS": "",
        "SELECT @@GLOBAL.server_id": "@@GLOBAL.server_id\n100\n",
        "SELECT @@GLOBAL.read_only, @@GLOBAL.super_read_only": "@@GLOBAL.read_only\t@@GLOBAL.super_read_only\n0\t0\n",
        "SELECT @@GLOBAL.gtid_executed": "@@GLOBAL.gtid_executed\n%s\n" % executed,
        "SHOW BINARY LOG STATUS": "File\tPosition\tBinlog_Do_DB\tBinlog_Ignore_DB\tExecuted_Gtid_Set\n"
                                  "mysql-bin.000003\t1837\t\t\t%s\n" % executed,
    }


def mysql_replica(batch, status, executed):
    return {
        "SHOW REPLICA STATUS": batch(status),
        "SELECT @@GLOBAL.server_id": "@@GLOBAL.server_id\n101\n",
        "SELECT @@GLOBAL.read_only, @@GLOBAL.super_read_only": "@@GLOBAL.read_only\t@@GLOBAL.super_read_only\n1\t1\n",
        "SELECT @@GLOBAL.gtid_executed": "@@GLOBAL.gtid_executed\n%s\n" % executed,
        "SELECT COUNT(*) AS seen": "seen\n1\n",
    }


def test_healthy_mysql_gtid(cluster, batch):
    replica_set = U1 + ":1-42,\\n8a94f357-aab4-11df-86ab-c80aa9429562:1-3"
    cluster(statefulset(name="mysql", flavor="mysql", version="8.4"),
            {"mysql-0": mysql_primary(U1 + ":1-42"), "mysql-1": mysql_replica(batch, "mysql-8.4-healthy", replica_set)})
    result = rc.check_replication(object(), params(name="mysql"))
    assert result["healthy"] is True, result["msg"]
    replica = result["replicas"][0]
    assert replica["super_read_only"] is True and replica["source_host"] == "mysql-0.mysql"
    assert replica["gtid"] == U1 + ":1-42,8a94f357-aab4-11df-86ab-c80aa9429562:1-3"


def test_mysql_gtid_gap(cluster, batch):
    cluster(statefulset(name="mysql", flavor="mysql", version="8.4"),
            {"mysql-0": mysql_primary(U1 + ":1-43"), "mysql-1": mysql_replica(batch, "mysql-8.4-sql-error", U1 + ":1-42")})
    result = rc.check_replication(object(), params(name="mysql"))
    problems = result["replicas"][0]["problems"]
    assert "not caught up with the primary (replication is stopped): missing %s:43" % U1 in problems
    assert problems[1].startswith("SQL error 1062: Coordinator stopped")


def test_mysql_position_mode(cluster, batch):
    cluster(statefulset(name="mysql", flavor="mysql", version="8.4", mode="position"),
            {"mysql-0": mysql_primary(""), "mysql-1": mysql_replica(batch, "mysql-8.4-healthy", "")})
    result = rc.check_replication(object(), params(name="mysql"))
    assert result["healthy"] is True, result["msg"]
    assert result["replication_mode"] == "position"
    assert result["replicas"][0]["exec_source_log_file"] == "mysql-bin.000003"
    assert result["replicas"][0]["exec_source_log_pos"] == 1837


def test_mysql_position_behind(cluster, batch):
    primary = mysql_primary("")
    primary["SHOW BINARY LOG STATUS"] = "File\tPosition\tBinlog_Do_DB\tBinlog_Ignore_DB\tExecuted_Gtid_Set\nmysql-bin.000004\t157\t\t\t\n"
    cluster(statefulset(name="mysql", flavor="mysql", version="8.4", mode="position"),
            {"mysql-0": primary, "mysql-1": mysql_replica(batch, "mysql-8.4-wrong-source", "")})
    result = rc.check_replication(object(), params(name="mysql", timeout=0))
    problems = result["replicas"][0]["problems"]
    assert result["replicas"][0]["source_is_primary"] is False
    assert "not caught up with the primary within 0s: executed mysql-bin.000003:1837, primary at mysql-bin.000004:157" in problems


def test_api_errors_become_a_check_error(cluster, monkeypatch):
    from kubernetes.client.exceptions import ApiException

    cluster(statefulset(), {})

    def forbidden(apps, ns, name):
        exc = ApiException(status=403, reason="Forbidden")
        exc.body = json.dumps({"message": "statefulsets.apps \"mdb\" is forbidden"})
        raise exc

    monkeypatch.setattr(rc, "read_statefulset", forbidden)
    with pytest.raises(rc.CheckError) as caught:
        rc.check_replication(object(), params())
    assert str(caught.value) == 'Kubernetes API error while checking StatefulSet mod-x/mdb: statefulsets.apps "mdb" is forbidden'
