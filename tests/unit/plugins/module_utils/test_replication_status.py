# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Batch output parsing and replica health, for both flavors' column names.

MariaDB fixtures were captured from MariaDB 10.11.19; MySQL 8.4 fixtures are written from
the 8.4 manual's column list (each fixture's header says which).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils import replication_status as rs


# --- batch output -------------------------------------------------------------------------

def test_escapes_and_nulls(batch):
    columns, rows = rs.parse_batch(batch("mariadb-10.11-escapes"))
    assert columns == ["id", "tab\\there"]
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


def test_scalar_outputs(batch):
    assert rs.parse_batch(batch("mariadb-10.11-gtid-binlog-pos")) == (["@@GLOBAL.gtid_binlog_pos"], [["0-100-3"]])
    assert rs.parse_batch(batch("mariadb-10.11-read-only"))[1] == [["1", "0"]]
    status = rs.parse_batch_dicts(batch("mariadb-10.11-binlog-status"))
    assert status == [{"File": "mysql-bin.000001", "Position": "819", "Binlog_Do_DB": "", "Binlog_Ignore_DB": ""}]
    assert rs.parse_batch(batch("mariadb-10.11-checksum"))[1] == [["t.x", "4033052743"], ["t.nope", None]]


# --- both flavors' column names -------------------------------------------------------------

FIXTURES = [
    ("mariadb", "mariadb-10.11-healthy"),
    ("mariadb", "mariadb-10.11-sql-stopped"),
    ("mariadb", "mariadb-10.11-sql-error"),
    ("mariadb", "mariadb-10.11-io-error"),
    ("mariadb", "mariadb-10.11-delayed"),
    ("mysql", "mysql-8.4-healthy"),
    ("mysql", "mysql-8.4-sql-error"),
    ("mysql", "mysql-8.4-io-connecting"),
    ("mysql", "mysql-8.4-wrong-source"),
]


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


@pytest.mark.parametrize("flavor, name, primary", [
    ("mariadb", "mariadb-10.11-healthy", "mdb-0"),
    ("mysql", "mysql-8.4-healthy", "mysql-0"),
])
def test_healthy(batch, flavor, name, primary):
    status = rs.replica_status(batch(name), flavor)
    assert rs.replica_problems(status, primary, primary[:-2]) == []
    assert not rs.threads_stopped(status)
    facts = rs.summarize(status)
    assert facts["io_running"] and facts["sql_running"]
    assert facts["seconds_behind"] == 0
    assert facts["source_port"] == 3306


def test_mysql_executed_set_spans_lines(batch):
    row = rs.parse_batch_dicts(batch("mysql-8.4-healthy"))[0]
    assert row["Executed_Gtid_Set"] == ("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42,\n"
                                        "8a94f357-aab4-11df-86ab-c80aa9429562:1-3")
    assert rs.normalize(row, "mysql")["executed_gtid_set"] == row["Executed_Gtid_Set"]


def test_mariadb_sql_stopped(batch):
    status = rs.replica_status(batch("mariadb-10.11-sql-stopped"), "mariadb")
    assert rs.threads_stopped(status)
    assert rs.replica_problems(status, "mdb-0", "mdb") == [
        "SQL thread not running (state: No)",
        "replication lag unknown (seconds behind the source is NULL)",
    ]


@pytest.mark.parametrize("flavor, name, primary, errno, text", [
    ("mariadb", "mariadb-10.11-sql-error", "mdb-0", 1062, "Error 'Duplicate entry '20' for key 'PRIMARY'' on query."),
    ("mysql", "mysql-8.4-sql-error", "mysql-0", 1062, "Coordinator stopped because there were error(s) in the worker(s)."),
])
def test_sql_error(batch, flavor, name, primary, errno, text):
    problems = rs.replica_problems(rs.replica_status(batch(name), flavor), primary, primary[:-2])
    assert problems[0] == "SQL thread not running (state: No)"
    assert problems[1].startswith("SQL error %d: %s" % (errno, text))
    assert problems[2] == "replication lag unknown (seconds behind the source is NULL)"
    assert len(problems) == 3


@pytest.mark.parametrize("flavor, name, primary, errno", [
    ("mariadb", "mariadb-10.11-io-error", "mdb-0", 1045),
    ("mysql", "mysql-8.4-io-connecting", "mysql-0", 2061),
])
def test_io_error(batch, flavor, name, primary, errno):
    status = rs.replica_status(batch(name), flavor)
    problems = rs.replica_problems(status, primary, primary[:-2])
    assert problems[0] == "IO thread not running (state: Connecting)"
    assert problems[1].startswith("IO error %d: " % errno)
    assert not rs.threads_stopped(status)  # still retrying: worth waiting for


def test_lag(batch):
    status = rs.replica_status(batch("mariadb-10.11-delayed"), "mariadb")
    assert rs.replica_problems(status, "mdb-0", "mdb", max_lag=30) == []
    assert rs.replica_problems(status, "mdb-0", "mdb", max_lag=3) == ["replication lag 4s exceeds max_lag 3s"]


def test_wrong_source(batch):
    status = rs.replica_status(batch("mysql-8.4-wrong-source"), "mysql")
    assert rs.replica_problems(status, "mysql-0", "mysql") == [
        "replication lag 120s exceeds max_lag 30s",
        "source host '10.244.0.31' is not the primary mysql-0.mysql",
        "source port 3307 is not 3306",
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
