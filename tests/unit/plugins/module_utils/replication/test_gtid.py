# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""GTID positions (MariaDB), GTID sets (MySQL) and binlog coordinates."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from gtid_cases import errant_cases, gtid_cases

from ansible_collections.stateful.mysql.plugins.module_utils.replication import gtid

U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
U2 = "8a94f357-aab4-11df-86ab-c80aa9429562"


# --- MariaDB ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, parsed", [
    ("", {}),
    (None, {}),
    ("0-100-3", {0: 3}),
    ("0-100-3,1-101-7", {0: 3, 1: 7}),
    (" 0-100-3 ,\n1-101-7 ", {0: 3, 1: 7}),
    ("0-100-3,0-101-9", {0: 9}),
    ("0-100-18446744073709551615", {0: 18446744073709551615}),
])
def test_parse_mariadb(text, parsed):
    assert gtid.parse_mariadb_position(text) == parsed


@pytest.mark.parametrize("text", ["0-100", "a-b-c", "0-100-3-4", "0:100:3", "4294967296-1-1", "-1-100-3"])
def test_parse_mariadb_rejects(text):
    with pytest.raises(gtid.GtidError):
        gtid.parse_mariadb_position(text)


@pytest.mark.parametrize("primary, replica, reached", [
    ("0-100-5", "0-100-5", True),
    ("0-100-5", "0-100-6", True),
    ("0-100-5", "0-100-4", False),
    # Server ids do not matter, sequence numbers per domain do.
    ("0-100-5", "0-101-5", True),
    ("0-100-5", "0-101-4", False),
    # Every domain of the primary must be there.
    ("0-100-5,1-100-2", "0-100-5", False),
    ("0-100-5,1-100-2", "0-100-5,1-100-2", True),
    ("0-100-5,1-100-2", "1-100-2,0-100-7", True),
    # Extra replica domains do not matter.
    ("0-100-5", "0-100-5,9-200-1", True),
    # A primary with no transactions is reached by anything.
    ("", "", True),
    ("", "0-100-1", True),
    ("0-100-1", "", False),
    # Numbers, not text: 10 > 9.
    ("0-100-10", "0-100-9", False),
    ("0-100-9", "0-100-10", True),
])
def test_mariadb_reached(primary, replica, reached):
    assert gtid.mariadb_reached(primary, replica) is reached
    assert gtid.gtid_reached("mariadb", primary, replica)[0] is reached


def test_mariadb_detail():
    assert gtid.mariadb_behind("0-100-5,1-100-2", "0-100-4") == [(0, 5, 4), (1, 2, None)]
    ok, detail = gtid.gtid_reached("mariadb", "0-100-5,1-100-2", "0-100-4")
    assert not ok
    assert detail == "domain 0 at 4, primary at 5, domain 1 at nothing, primary at 2"
    assert gtid.gtid_reached("mariadb", "0-100-5", "0-100-5") == (True, "")


# --- MySQL --------------------------------------------------------------------------------

def test_parse_mysql():
    parsed = gtid.parse_mysql_set("%s:1-5:7,\n%s:1-3" % (U1.upper(), U2))
    assert parsed == {(U1, ""): [(1, 5), (7, 7)], (U2, ""): [(1, 3)]}


def test_parse_mysql_merges_and_sorts():
    assert gtid.parse_mysql_set("%s:7:1-3:4-5:2" % U1) == {(U1, ""): [(1, 5), (7, 7)]}
    assert gtid.parse_mysql_set("%s:1-3,%s:4-6" % (U1, U1)) == {(U1, ""): [(1, 6)]}


def test_parse_mysql_tags():
    parsed = gtid.parse_mysql_set("%s:1-5:Domain_1:1-3:7,%s:abc:2" % (U1, U2))
    assert parsed == {(U1, ""): [(1, 5)], (U1, "domain_1"): [(1, 3), (7, 7)], (U2, "abc"): [(2, 2)]}


def test_parse_mysql_uuid_without_dashes():
    assert gtid.parse_mysql_set(U1.replace("-", "") + ":1") == {(U1, ""): [(1, 1)]}


@pytest.mark.parametrize("text", [
    "not-a-uuid:1-5",
    U1,
    U1 + ":",
    U1 + ":5-3",
    U1 + ":0-3",
    U1 + ":1-5:tag",
    U1 + ":1-x",
    U1 + ":9tag:1",
])
def test_parse_mysql_rejects(text):
    with pytest.raises(gtid.GtidError):
        gtid.parse_mysql_set(text)


@pytest.mark.parametrize("primary, replica, subset", [
    ("", "", True),
    ("", U1 + ":1-5", True),
    (U1 + ":1-5", "", False),
    (U1 + ":1-5", U1 + ":1-5", True),
    (U1 + ":1-5", U1 + ":1-10", True),
    (U1 + ":1-5", U1 + ":1-4", False),
    (U1 + ":1-5", U1 + ":2-5", False),
    # A gap inside the replica's set.
    (U1 + ":1-5", U1 + ":1-2:4-5", False),
    (U1 + ":1-2:4-5", U1 + ":1-5", True),
    # Adjacent intervals cover like one.
    (U1 + ":1-10", U1 + ":1-4:5-10", True),
    # Every source UUID counts.
    ("%s:1-5,%s:1-3" % (U1, U2), U1 + ":1-5", False),
    ("%s:1-5,%s:1-3" % (U1, U2), "%s:1-3,\n%s:1-9" % (U2, U1), True),
    # Upper-case output of one server, lower-case of another.
    (U1.upper() + ":1-5", U1 + ":1-5", True),
    # Tags are separate members.
    (U1 + ":tag:1-3", U1 + ":1-3", False),
    (U1 + ":tag:1-3", U1 + ":1-3:tag:1-3", True),
])
def test_mysql_subset(primary, replica, subset):
    assert gtid.mysql_is_subset(primary, replica) is subset
    assert gtid.gtid_reached("mysql", primary, replica)[0] is subset


def test_mysql_missing_detail():
    ok, detail = gtid.gtid_reached("mysql", "%s:1-10,%s:1-3" % (U1, U2), "%s:1-2:5-6" % U1)
    assert not ok
    assert detail == "missing %s:3-4:7-10,%s:1-3" % (U1, U2)
    assert gtid.format_mysql_set(gtid.parse_mysql_set(U1 + ":t:4")) == U1 + ":t:4"


def test_unknown_kind():
    with pytest.raises(gtid.GtidError):
        gtid.gtid_reached("postgres", "", "")


# --- the table shared with lib.sh's tests -----------------------------------------------------

@pytest.mark.parametrize("a, b, covers", gtid_cases("mariadb"))
def test_shared_table_mariadb(a, b, covers):
    # a covers b: a replica at a has reached a primary at b.
    assert gtid.mariadb_reached(b, a) is covers
    assert gtid.gtid_reached("mariadb", b, a)[0] is covers


@pytest.mark.parametrize("a, b, covers", gtid_cases("mysql"))
def test_shared_table_mysql(a, b, covers):
    # a covers b: b is a subset of a, what the pods ask the server as GTID_SUBSET(b, a).
    assert gtid.mysql_is_subset(b, a) is covers
    assert gtid.gtid_reached("mysql", b, a)[0] is covers


@pytest.mark.parametrize("a, b, covers", gtid_cases("mysql"))
def test_mysql_errant_is_coverage_seen_from_the_other_side(a, b, covers):
    # A replica at b holds nothing errant exactly when a primary at a covers it.
    assert (gtid.errant("mysql", a, b) == "") is covers


# --- errant transactions (the table's *_errant sections) -------------------------------------

@pytest.mark.parametrize("primary, replica, errant", errant_cases("mariadb"))
def test_errant_mariadb(primary, replica, errant):
    assert gtid.errant("mariadb", primary, replica) == errant


@pytest.mark.parametrize("primary, replica, errant", errant_cases("mysql"))
def test_errant_mysql(primary, replica, errant):
    assert gtid.errant("mysql", primary, replica) == errant


def test_mariadb_state_keeps_server_ids_apart():
    assert gtid.parse_mariadb_state("0-100-5,0-101-2,\n0-100-3") == {(0, 100): 5, (0, 101): 2}
    with pytest.raises(gtid.GtidError):
        gtid.parse_mariadb_state("0-100")
    with pytest.raises(gtid.GtidError):
        gtid.errant("postgres", "", "")


# --- binlog coordinates ---------------------------------------------------------------------

@pytest.mark.parametrize("primary, replica, reached", [
    (("mysql-bin.000001", 819), ("mysql-bin.000001", 819), True),
    (("mysql-bin.000001", 819), ("mysql-bin.000001", 900), True),
    (("mysql-bin.000001", 819), ("mysql-bin.000001", 818), False),
    (("mysql-bin.000002", 4), ("mysql-bin.000001", 99999), False),
    (("mysql-bin.000001", 99999), ("mysql-bin.000002", 4), True),
    # Numbers, not text: index 1000000 follows 999999.
    (("mysql-bin.999999", 10), ("mysql-bin.1000000", 4), True),
    (("mysql-bin.000010", 4), ("mysql-bin.000009", 4), False),
    (("mysql-bin.000001", "819"), ("mysql-bin.000001", "1173"), True),
])
def test_position_reached(primary, replica, reached):
    assert gtid.position_reached(primary[0], primary[1], replica[0], replica[1]) is reached


def test_position_from_different_logs():
    with pytest.raises(gtid.GtidError):
        gtid.position_reached("mysql-bin.000001", 4, "other-bin.000001", 4)
    with pytest.raises(gtid.GtidError):
        gtid.parse_binlog_file("mysql-bin")
    assert gtid.parse_binlog_file("mysql-bin.000012") == ("mysql-bin", 12)
    assert gtid.parse_binlog_file("my.host-bin.000003") == ("my.host-bin", 3)
