# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The errant-transaction verdict on one replica's result: pure, from constructed states."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils.replication import errant
from ansible_collections.stateful.mysql.plugins.module_utils.replication import verdict as rv
from ansible_collections.stateful.mysql.plugins.module_utils.replication.sql import StatementResult

U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
U2 = "8a94f357-aab4-11df-86ab-c80aa9429562"


def deployment(flavor="mysql", mode="gtid"):
    return {"profile": flavors.profile(flavor), "mode": mode, "primary_pod": "mysql-0"}


def replica(pod="mysql-1", exists=True):
    out = rv.missing_replica(pod) if not exists else rv.replica_result(
        pod, dict(deployment(), service="mysql", port=3306, max_lag=30, timeout=60, semi_sync=None),
        rv.empty_primary("mysql-0"), {"error": "x", "status": None, "server_id": None, "gtid": None,
                                      "caught_up": None, "canary_seen": None, "read_only": None,
                                      "super_read_only": None, "semi_sync": None})
    out["problems"] = [] if exists else out["problems"]
    return out


def test_statements_come_from_the_profile():
    assert errant.replica_statements(deployment("mariadb")) == [
        "SELECT @@GLOBAL.gtid_binlog_state, @@GLOBAL.gtid_slave_pos"]
    assert errant.primary_statements(deployment("mysql")) == ["SELECT @@GLOBAL.gtid_executed"]
    assert errant.replica_statements(deployment(mode="position")) == []
    assert errant.primary_statements(deployment(mode="position")) == []


def test_gtid_state_joins_the_columns():
    result = StatementResult("q", 0, "a\tb\n0-100-5,\\n0-101-1\t0-100-5\n", "")
    assert errant.gtid_state(result) == "0-100-5,0-101-1,0-100-5"
    assert errant.gtid_state(StatementResult("q", 0, "a\tb\n\tNULL\n", "")) == ""
    assert errant.gtid_state(StatementResult("q", 1, "", "ERROR 1045")) is None
    assert errant.gtid_state(None) is None


@pytest.mark.parametrize("flavor, replica_state, primary_state, found", [
    ("mysql", "%s:1-5,%s:1" % (U1, U2), "%s:1-5" % U1, "%s:1" % U2),
    ("mysql", "%s:1-5" % U1, "%s:1-6" % U1, ""),
    ("mariadb", "0-100-5,0-101-2,0-100-5", "0-100-5", "0-101-2"),
    ("mariadb", "0-100-5,0-100-5", "0-100-6", ""),
])
def test_judge_names_what_the_primary_lacks(flavor, replica_state, primary_state, found):
    item = replica()
    errant.judge(item, deployment(flavor), replica_state, primary_state)
    assert item["errant"] == found
    if found:
        assert item["problems"] == [
            "errant transactions (on this replica, not on the primary mysql-0): %s; it has diverged from the "
            "primary: rebuild it from the primary (delete its pod and PVC)" % found]
    else:
        assert item["problems"] == []


def test_unknown_states_leave_errant_null():
    item = replica()
    errant.judge(item, deployment(), None, "%s:1" % U1, why="reading its GTID state failed: ERROR 2013")
    assert item["errant"] is None
    assert item["problems"] == ["cannot tell whether it holds errant transactions: reading its GTID state failed: ERROR 2013"]
    quiet = replica()
    errant.judge(quiet, deployment(), "%s:1" % U1, None)
    assert quiet["errant"] is None and quiet["problems"] == []
    broken = replica()
    errant.judge(broken, deployment(), "not-a-gtid", "")
    assert broken["errant"] is None and broken["problems"][0].startswith("cannot tell whether it holds errant")


def test_position_mode_and_missing_pods_are_not_judged():
    item = replica()
    errant.judge(item, deployment(mode="position"), "%s:1" % U2, "")
    assert item["errant"] is None and item["problems"] == []
    gone = replica("mysql-2", exists=False)
    errant.judge(gone, deployment(), None, "", why="pod gone")
    assert gone["problems"] == ["pod mysql-2 does not exist"]


def test_check_state():
    known, unknown, gone = replica(), replica(), replica("mysql-3", exists=False)
    known["errant"] = ""
    assert errant.check_state(deployment(), [known, gone]) == "compared"
    assert errant.check_state(deployment(), [known, unknown]) == "incomplete"
    assert errant.check_state(deployment(mode="position"), [known]) == "unavailable"
