# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Batch output parsing and replica health, for both flavors' column names.

Every fixture was captured from a real server by test-infra/fixtures/capture.sh (MySQL
9.7.4, MariaDB 10.11.19 and 11.8.9; each fixture's header says where and how).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils.replication import status as rs


# --- batch output -------------------------------------------------------------------------

SERVERS = [("mysql", "mysql-9.7"), ("mariadb", "mariadb-10.11"), ("mariadb", "mariadb-11.8")]
SERVER_IDS = [server for _flavor, server in SERVERS]


@pytest.mark.parametrize("flavor, server", SERVERS, ids=SERVER_IDS)
def test_escapes_and_nulls(batch, flavor, server):
    columns, rows = rs.parse_batch(batch(server + "-escapes"))
    assert columns == ["id", "tab\\there"]
    # The client prints SQL NULL and the text NULL alike.
    assert rows == [["1", "a\tb\nc\\d"], ["2", None], ["3", None], ["4", ""]]


@pytest.mark.parametrize("raw, value", [
    ("NULL", None),
    ("", ""),
    ("plain", "plain"),
    ("a\\tb", "a\tb"),
    ("a\\nb", "a\nb"),
    ("a\\\\nb", "a\\nb"),
    ("a\\0b", "a\x00b"),
    ("ends\\", "ends\\"),
    ("unknown\\q", "unknown\\q"),
    ("NULLx", "NULLx"),
])
def test_unescape(raw, value):
    assert rs.unescape(raw) == value


def test_empty_result_prints_nothing():
    assert rs.parse_batch("") == ([], [])
    assert rs.parse_batch_dicts("") == []
    assert rs.replica_status("", "mariadb") is None


def test_ragged_row_is_an_error():
    with pytest.raises(ValueError):
        rs.parse_batch("a\tb\n1\n")


@pytest.mark.parametrize("flavor, server", SERVERS, ids=SERVER_IDS)
def test_scalar_outputs(batch, flavor, server):
    profile = flavors.profile(flavor)
    gtid = rs.parse_batch(batch(server + "-gtid-primary"))
    assert gtid[0] == [profile["primary_gtid_query"][len("SELECT "):]]
    assert len(gtid[1]) == 1 and gtid[1][0][0]
    assert rs.parse_batch(batch(server + "-read-only"))[1] == [["1", "1" if flavor == "mysql" else "0"]]
    status = rs.parse_batch_dicts(batch(server + "-binlog-status"))
    assert len(status) == 1 and status[0]["File"].startswith("binlog.") and int(status[0]["Position"]) > 0
    assert rs.parse_batch(batch(server + "-checksum"))[1] == [["app.t", "2742102162"], ["app.nope", None]]


# --- both flavors' column names -------------------------------------------------------------

SITUATIONS = ["healthy", "sql-stopped", "sql-error", "io-connecting", "wrong-source-delayed"]
FIXTURES = [(flavor, "%s-%s" % (server, situation)) for flavor, server in SERVERS for situation in SITUATIONS]


@pytest.mark.parametrize("flavor, name", FIXTURES)
def test_every_flavor_column_is_in_the_real_header(batch, flavor, name):
    columns, rows = rs.parse_batch(batch(name))
    assert len(rows) == 1
    missing = set(flavors.profile(flavor)["status_columns"]) - set(columns)
    assert not missing


@pytest.mark.parametrize("flavor, name", FIXTURES)
def test_normalized_names_are_the_same_for_both_flavors(batch, flavor, name):
    status = rs.replica_status(batch(name), flavor)
    for key in ("io_running", "sql_running", "seconds_behind", "source_host", "source_port",
                "last_io_errno", "last_io_error", "last_sql_errno", "last_sql_error",
                "exec_source_log_file", "exec_source_log_pos", "read_source_log_file", "read_source_log_pos"):
        assert key in status


@pytest.mark.parametrize("flavor, server", SERVERS, ids=SERVER_IDS)
def test_healthy(batch, flavor, server):
    status = rs.replica_status(batch(server + "-healthy"), flavor)
    assert rs.replica_problems(status, "mysql-0", "mysql") == []
    assert not rs.threads_stopped(status)
    facts = rs.summarize(status)
    assert facts["io_running"] and facts["sql_running"]
    assert facts["seconds_behind"] == 0
    assert facts["source_port"] == 3306
    assert facts["exec_source_log_file"].startswith("binlog.")


@pytest.mark.parametrize("flavor, server", SERVERS, ids=SERVER_IDS)
def test_sql_stopped(batch, flavor, server):
    status = rs.replica_status(batch(server + "-sql-stopped"), flavor)
    assert rs.threads_stopped(status)
    assert rs.replica_problems(status, "mysql-0", "mysql") == [
        "SQL thread not running (state: No)",
        "replication lag unknown (seconds behind the source is NULL)",
    ]


@pytest.mark.parametrize("flavor, server, text", [
    ("mysql", "mysql-9.7", "Coordinator stopped because there were error(s) in the worker(s)."),
    ("mariadb", "mariadb-10.11", "Could not execute Write_rows_v1 event on table app.t; Duplicate entry '4'"),
    ("mariadb", "mariadb-11.8", "Could not execute Write_rows_v1 event on table app.t; Duplicate entry '4'"),
], ids=SERVER_IDS)
def test_sql_error(batch, flavor, server, text):
    problems = rs.replica_problems(rs.replica_status(batch(server + "-sql-error"), flavor), "mysql-0", "mysql")
    assert problems[0] == "SQL thread not running (state: No)"
    assert problems[1].startswith("SQL error 1062: %s" % text), problems[1]
    assert problems[2] == "replication lag unknown (seconds behind the source is NULL)"
    assert len(problems) == 3


@pytest.mark.parametrize("flavor, server", SERVERS, ids=SERVER_IDS)
def test_io_error(batch, flavor, server):
    status = rs.replica_status(batch(server + "-io-connecting"), flavor)
    problems = rs.replica_problems(status, "mysql-0", "mysql")
    assert problems[0] == "IO thread not running (state: Connecting)"
    assert problems[1].startswith("IO error 1045: "), problems[1]
    assert "Access denied for user 'replicator'" in problems[1]
    assert not rs.threads_stopped(status)  # still retrying: worth waiting for


@pytest.mark.parametrize("flavor, server", SERVERS, ids=SERVER_IDS)
def test_lag_and_wrong_source(batch, flavor, server):
    status = rs.replica_status(batch(server + "-wrong-source-delayed"), flavor)
    lag = rs.summarize(status)["seconds_behind"]
    assert lag >= 1  # captured seconds after a write, behind a 3600 s delay
    assert rs.replica_problems(status, "mysql-2", "mysql", max_lag=lag) == []
    assert rs.replica_problems(status, "mysql-2", "mysql", max_lag=lag - 1) == [
        "replication lag %ds exceeds max_lag %ds" % (lag, lag - 1)]
    assert rs.replica_problems(status, "mysql-0", "mysql", port=3310) == [
        "source host 'mysql-2.mysql' is not the primary mysql-0.mysql",
        "source port 3306 is not 3310",
    ]


def test_not_a_replica():
    assert rs.replica_problems(None, "mdb-0", "mdb") == ["not configured as a replica (SHOW REPLICA STATUS returned no row)"]
    assert rs.threads_stopped(None)
    assert rs.summarize(None) is None


@pytest.mark.parametrize("host, expected", [
    ("mysql-0.mysql", True),
    ("mysql-0.mysql.default.svc.cluster.local", True),
    ("MySQL-0.MySQL.", True),
    ("mysql-0", False),
    ("mysql-1.mysql", False),
    ("mysql-0.mysql-read", False),
    ("10.0.0.1", False),
    ("", False),
    (None, False),
])
def test_source_matches(host, expected):
    assert rs.source_matches(host, "mysql-0", "mysql") is expected
