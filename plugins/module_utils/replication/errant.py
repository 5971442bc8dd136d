# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errant transactions: a replica holding transactions its primary lacks (a write made on
the replica itself). Such a replica has forked from the primary: it would serve data the
primary never had and, cloned or promoted, spread it. Pure functions of what the SQL returned.

Caught up (verdict.py) asks the other direction; both must hold. The replicas' GTID state is
read first, the primary's after every replica's (checker.py): a primary read earlier would
miss its own newest commits, already applied on the replica, and call them errant. The sets
are compared here, in Python (gtid.errant), not with the server's GTID_SUBTRACT: MariaDB has
no such function, one primary read serves every replica, and the same table of cases tests
both flavors (tests/unit/fixtures/gtid_cases.yml).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.mysql.plugins.module_utils.replication import gtid

# What the result says when the check cannot be made (position mode has no GTIDs).
POSITION_MODE_WARNING = (
    "errant transactions (writes made on a replica) cannot be detected in replication_mode=position: "
    "there are no GTIDs to compare, so a forked replica passes this check; use GTID mode")


def replica_statements(deployment):
    """What a replica is asked for this check (none in position mode)."""
    return [deployment["profile"]["errant_replica_query"]] if deployment["mode"] == "gtid" else []


def primary_statements(deployment):
    return [deployment["profile"]["errant_primary_query"]] if deployment["mode"] == "gtid" else []


def gtid_state(result):
    """Every column of the first row joined by commas (MariaDB's query returns two), or None
    when the statement failed."""
    if result is None or not result.ok:
        return None
    row = result.first_row() or []
    return ",".join(value.replace("\n", "") for value in row if value)


def judge(replica, deployment, replica_state, primary_state, why=None):
    """Sets ``replica["errant"]``: the transactions the primary lacks ("" none; None when it
    cannot be told), and names them as a problem. ``why`` says what could not be read."""
    replica["errant"] = None
    if deployment["mode"] != "gtid" or not replica["exists"]:
        return
    if replica_state is None or primary_state is None:
        # An unreachable replica already has its problem; do not bury it under a second one.
        if why:
            replica["problems"].append("cannot tell whether it holds errant transactions: %s" % why)
        return
    try:
        replica["errant"] = gtid.errant(deployment["profile"]["gtid_set_kind"], primary_state, replica_state)
    except gtid.GtidError as exc:
        replica["problems"].append("cannot tell whether it holds errant transactions: %s" % exc)
        return
    if replica["errant"]:
        replica["problems"].append(
            "errant transactions (on this replica, not on the primary %s): %s; it has diverged from the "
            "primary: rebuild it from the primary (delete its pod and PVC)" % (deployment["primary_pod"], replica["errant"]))


def check_state(deployment, replicas):
    """The result's ``errant_check``: ``compared`` (every existing replica's errant set is
    known), ``incomplete`` (some could not be told) or ``unavailable`` (position mode)."""
    if deployment["mode"] != "gtid":
        return "unavailable"
    known = all(replica["errant"] is not None for replica in replicas if replica["exists"])
    return "compared" if known else "incomplete"
