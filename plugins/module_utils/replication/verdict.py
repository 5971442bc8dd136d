# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The replication check's verdict: pure functions of what the SQL returned.

replication_checker.py asks the servers (the statements below, in this order) and hands
the StatementResults here; nothing in this file talks to a cluster, so it is tested from
output captured on real servers (tests/unit/fixtures/replica_status).

A *deployment* is the dict of facts the checker learned from the StatefulSet and the
options: ``profile`` (flavors.profile), ``mode``, ``primary_pod``, ``service``, ``port``,
``max_lag``, ``timeout`` and ``tables``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.mysql.plugins.module_utils.replication import binlog_space, errant, gtid
from ansible_collections.stateful.mysql.plugins.module_utils.replication.sql import quote_identifier, quote_string
from ansible_collections.stateful.mysql.plugins.module_utils.replication.status import (
    normalize,
    replica_problems,
    source_matches,
    summarize,
    threads_stopped,
)
from ansible_collections.stateful.mysql.plugins.module_utils.replication.errors import ReplicationError

CANARY_DATABASE = "stateful_mysql_check"
CANARY_TABLE = "canary"
# Server errors meaning the canary table has not reached a replica yet.
CANARY_NOT_THERE = ("ERROR 1049", "ERROR 1146")
# Server errors refusing the login: waiting will not help.
LOGIN_REFUSED = ("ERROR 1045", "ERROR 1698")
# The semi-synchronous replication status variables of both flavors (names in the profile).
SEMI_SYNC_STATUS = "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'"


class VerdictError(ReplicationError, ValueError):
    """An input the check cannot work with (a malformed table name)."""


# --- statements -------------------------------------------------------------------------

def canary_write_sql(canary_id, pod):
    # One row, replaced by every run: the table never grows.
    table = "%s.%s" % (quote_identifier(CANARY_DATABASE), quote_identifier(CANARY_TABLE))
    return (
        "CREATE DATABASE IF NOT EXISTS %s; "
        "CREATE TABLE IF NOT EXISTS %s (slot TINYINT NOT NULL PRIMARY KEY, id VARCHAR(64) NOT NULL, "
        "written_by VARCHAR(255) NOT NULL, "
        "written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB; "
        "REPLACE INTO %s (slot, id, written_by) VALUES (1, %s, %s)"
    ) % (quote_identifier(CANARY_DATABASE), table, table, quote_string(canary_id), quote_string(pod))


def canary_read_sql(canary_id):
    return "SELECT COUNT(*) AS seen FROM %s.%s WHERE id = %s" % (
        quote_identifier(CANARY_DATABASE), quote_identifier(CANARY_TABLE), quote_string(canary_id))


def parse_table_name(name):
    """``"db.table"`` -> ``("db", "table")``; raises VerdictError otherwise."""
    db, dot, table = (name or "").partition(".")
    if not dot or not db or not table:
        raise VerdictError("checksum_tables entries must look like db.table, not %r" % name)
    return db, table


def checksum_sql(tables):
    return "CHECKSUM TABLE " + ", ".join(
        "%s.%s" % tuple(quote_identifier(part) for part in parse_table_name(name)) for name in tables)


def primary_statements(profile, tables, pod, canary_id=None):
    """What the primary is asked, in order; primary_facts reads the answers by position."""
    statements = [canary_write_sql(canary_id, pod)] if canary_id else []
    statements += ["SELECT @@GLOBAL.server_id", profile["read_only_query"], profile["primary_gtid_query"],
                   profile["show_primary_status"], SEMI_SYNC_STATUS]
    if tables:
        statements.append(checksum_sql(tables))
    return statements


def replica_statements(profile, canary_id=None):
    """What a replica is asked at each look, in order."""
    statements = [profile["show_replica_status"], "SELECT @@GLOBAL.server_id", profile["read_only_query"],
                  profile["replica_gtid_query"], SEMI_SYNC_STATUS]
    if canary_id:
        statements.append(canary_read_sql(canary_id))
    return statements


# --- reading the answers ----------------------------------------------------------------

def parse_checksums(result, tables):
    """{table: checksum text or None} from a CHECKSUM TABLE result (rows in request order)."""
    out = {}
    for index, name in enumerate(tables):
        row = result.rows[index] if index < len(result.rows) else None
        out[name] = row[-1] if row else None
    return out


def common_failure(results):
    """The error text when every statement failed the same way (e.g. the login), else None."""
    if not results or any(r.ok for r in results):
        return None
    errors = set(r.describe_error() for r in results)
    return errors.pop() if len(errors) == 1 else None


def is_on(value):
    return str(value).strip().upper() in ("1", "ON", "YES", "TRUE")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _read_only(result):
    """(read_only, super_read_only) from the flavor's read-only query, Nones when unknown."""
    if not result.ok or not result.rows:
        return None, None
    row = result.first_row()
    return is_on(row[0]), (is_on(row[1]) if len(row) > 1 else None)


def empty_primary(pod):
    return {"pod": pod, "reachable": False, "server_id": None, "read_only": None, "super_read_only": None,
            "gtid": None, "file": None, "position": None, "semi_sync": None, "semi_sync_clients": None,
            "binlog_bytes": None, "checksums": {}, "problems": [], "healthy": False}


def semi_sync_status(result, profile, key):
    """The value of one semi-sync status variable (``key`` in the profile's names), or None
    when the server does not have it (semi-sync off, the plugin not loaded)."""
    if not result.ok:
        return None
    values = dict((row[0], row[1]) for row in result.rows if len(row) > 1)
    value = values.get(profile["semi_sync_status"][key])
    if value is None:
        return None
    return is_on(value) if key.endswith("active") else _int(value)


def primary_facts(pod, deployment, results, canary_id=None, error=None):
    """The primary's result, and the canary's fate (written / failed / None when not asked).

    ``results`` answer primary_statements(...) in order; ``error`` says why none came back.
    """
    out = empty_primary(pod)
    canary = None if canary_id is None else "failed"
    if error:
        out["problems"].append(error)
        return out, canary
    out["reachable"] = any(r.ok for r in results)
    failed = common_failure(results)
    if failed:
        out["problems"].append("SQL failed: %s" % failed)
        return out, canary
    first = 0
    if canary_id:
        first = 1
        if results[0].ok:
            canary = "written"
        else:
            out["problems"].append("canary write failed: %s" % results[0].describe_error())
    server_id, read_only, gtid_pos, binlog, semi_sync = results[first:first + 5]
    for label, result in (("server_id", server_id), ("read_only", read_only),
                          ("GTID", gtid_pos), ("binlog status", binlog)):
        if not result.ok:
            out["problems"].append("reading %s failed: %s" % (label, result.describe_error()))
    out["server_id"] = _int(server_id.scalar())
    out["read_only"], out["super_read_only"] = _read_only(read_only)
    if out["read_only"]:
        out["problems"].append("read_only is ON on the primary")
    if gtid_pos.ok:
        out["gtid"] = (gtid_pos.scalar() or "").replace("\n", "")
    if binlog.ok and binlog.rows:
        row = binlog.dicts()[0]
        out["file"] = row.get("File")
        out["position"] = _int(row.get("Position"))
    if deployment["mode"] == "position" and binlog.ok and not out["file"]:
        out["problems"].append("the primary has no binary log (%s is empty)" % deployment["profile"]["show_primary_status"])
    profile = deployment["profile"]
    out["semi_sync"] = semi_sync_status(semi_sync, profile, "primary_active")
    out["semi_sync_clients"] = semi_sync_status(semi_sync, profile, "clients")
    if deployment.get("semi_sync") not in (None, "off") and deployment["replicas"] > 1 and not out["semi_sync"]:
        out["problems"].append("semi-synchronous replication (%s) is not active on the primary: commits are "
                               "acknowledged before any replica has them" % deployment["semi_sync"])
    tables = deployment["tables"]
    if tables:
        checksums = results[first + 5]
        if checksums.ok:
            out["checksums"] = parse_checksums(checksums, tables)
            for table, value in sorted(out["checksums"].items()):
                if value is None:
                    out["problems"].append("CHECKSUM TABLE %s returned NULL (no such table?)" % table)
        else:
            out["problems"].append("CHECKSUM TABLE failed: %s" % checksums.describe_error())
    out["healthy"] = not out["problems"]
    return out, canary


def replica_look(deployment, primary, results, canary_id=None, error=None):
    """One look at a replica: a dict of facts (``error`` set when its SQL could not run).

    ``results`` answer replica_statements(...) in order.
    """
    profile = deployment["profile"]
    look = {"error": None, "final": False, "status": None, "status_known": False, "server_id": None,
            "read_only": None, "super_read_only": None, "gtid": None, "semi_sync": None, "caught_up": False,
            "caught_up_detail": "", "canary_seen": None, "statement_errors": []}
    if error:
        look["error"] = error
        return look
    failed = common_failure(results)
    if failed:
        look["error"] = "SQL failed: %s" % failed
        # A refused login does not heal while we wait; a server starting up may.
        look["final"] = any(code in failed for code in LOGIN_REFUSED)
        return look
    status, server_id, read_only, gtid_pos = results[:4]
    if status.ok:
        look["status_known"] = True
        rows = status.dicts()
        look["status"] = normalize(rows[0], profile["flavor"]) if rows else None
    else:
        look["statement_errors"].append("%s failed: %s" % (profile["show_replica_status"], status.describe_error()))
    look["server_id"] = _int(server_id.scalar())
    look["read_only"], look["super_read_only"] = _read_only(read_only)
    if not read_only.ok:
        look["statement_errors"].append("reading read_only failed: %s" % read_only.describe_error())
    if gtid_pos.ok:
        look["gtid"] = (gtid_pos.scalar() or "").replace("\n", "")
    look["semi_sync"] = semi_sync_status(results[4], profile, "replica_active")
    if canary_id:
        canary = results[5]
        look["canary_seen"] = bool(canary.ok and (_int(canary.scalar()) or 0) > 0)
        if not canary.ok and not any(code in canary.error for code in CANARY_NOT_THERE):
            look["statement_errors"].append("reading the canary failed: %s" % canary.describe_error())
    look["caught_up"], look["caught_up_detail"] = caught_up(deployment, primary, look)
    return look


def caught_up(deployment, primary, look):
    """(True/False, detail), or (None, why) when it cannot be told, for one look at a
    replica against the primary's recorded position."""
    if not primary["reachable"]:
        return None, "the primary could not be read"
    try:
        if deployment["mode"] == "gtid":
            if primary["gtid"] is None or look["gtid"] is None:
                return None, "GTID position unknown"
            return gtid.gtid_reached(deployment["profile"]["gtid_set_kind"], primary["gtid"], look["gtid"])
        status = look["status"]
        if not primary["file"] or status is None or not status.get("exec_source_log_file"):
            return None, "binlog coordinates unknown"
        facts = summarize(status)
        reached = gtid.position_reached(primary["file"], primary["position"],
                                        facts["exec_source_log_file"], facts["exec_source_log_pos"])
        detail = "" if reached else "executed %s:%s, primary at %s:%s" % (
            facts["exec_source_log_file"], facts["exec_source_log_pos"], primary["file"], primary["position"])
        return reached, detail
    except (gtid.GtidError, ValueError, TypeError) as exc:
        return None, str(exc)


def settled(look):
    """True when looking again cannot change the outcome (done, stopped or undecidable)."""
    if look["error"]:
        return look["final"]
    if look["caught_up"] is None:
        return True
    done = look["caught_up"] and look["canary_seen"] is not False
    return done or (look["status_known"] and threads_stopped(look["status"]))


def _replica_shape(pod):
    """Every key a replica's result has, whatever happened to it."""
    return {
        "pod": pod, "exists": True, "server_id": None, "io_running": False, "io_state": None,
        "sql_running": False, "sql_state": None, "last_io_errno": None, "last_io_error": None,
        "last_sql_errno": None, "last_sql_error": None, "seconds_behind": None, "source_host": None,
        "source_port": None, "source_is_primary": False, "gtid": None, "exec_source_log_file": None,
        "exec_source_log_pos": None, "caught_up": None, "canary_seen": None, "semi_sync": None, "checksums": {},
        "read_only": None, "super_read_only": None, "status": None, "errant": None, "binlog_bytes": None,
        "healthy": False, "problems": [],
    }


def missing_replica(pod):
    """The result of a replica whose pod does not exist."""
    out = _replica_shape(pod)
    out["exists"] = False
    out["problems"].append("pod %s does not exist" % pod)
    return out


def replica_result(pod, deployment, primary, look, canary_id=None):
    """A replica's result from its last look (checksums are compared afterwards)."""
    facts = summarize(look["status"]) or {}
    out = _replica_shape(pod)
    for key in ("io_running", "io_state", "sql_running", "sql_state", "last_io_errno", "last_io_error",
                "last_sql_errno", "last_sql_error", "seconds_behind", "source_host", "source_port",
                "exec_source_log_file", "exec_source_log_pos"):
        if key in facts:
            out[key] = facts[key]
    for key in ("server_id", "gtid", "caught_up", "canary_seen", "read_only", "super_read_only", "status", "semi_sync"):
        out[key] = look[key]
    problems = out["problems"]
    if look["error"]:
        problems.append(look["error"])
        return out
    problems.extend(look["statement_errors"])
    primary_pod, service, port = deployment["primary_pod"], deployment["service"], deployment["port"]
    if look["status_known"]:
        problems.extend(replica_problems(look["status"], primary_pod, service, port, deployment["max_lag"]))
    out["source_is_primary"] = bool(facts) and source_matches(facts["source_host"], primary_pod, service) \
        and facts["source_port"] == port
    stopped = look["status_known"] and threads_stopped(look["status"])
    timeout = deployment["timeout"]
    if look["caught_up"] is None:
        problems.append("cannot tell whether it caught up with the primary: %s" % look["caught_up_detail"])
    elif not look["caught_up"]:
        problems.append("not caught up with the primary %s: %s" % (
            "(replication is stopped)" if stopped else "within %ss" % timeout, look["caught_up_detail"] or "behind"))
    if canary_id and not look["canary_seen"]:
        problems.append("canary row %s not seen%s" % (canary_id, "" if stopped else " within %ss" % timeout))
    if look["read_only"] is False:
        problems.append("read_only is OFF on a replica")
    if primary["server_id"] is not None and look["server_id"] == primary["server_id"]:
        problems.append("server_id %s is the primary's" % look["server_id"])
    if deployment.get("semi_sync") not in (None, "off") and not stopped and look["semi_sync"] is False:
        problems.append("semi-synchronous replication is not active on this replica")
    return out


def compare_checksums(replica, primary, tables, result=None, error=None):
    """Adds the replica's checksums (``result`` of checksum_sql) and any difference."""
    if not tables:
        return
    if not replica["caught_up"]:
        replica["problems"].append("checksums not compared: the replica has not caught up")
        return
    if error:
        replica["problems"].append("CHECKSUM TABLE could not run: %s" % error)
        return
    if not result.ok:
        replica["problems"].append("CHECKSUM TABLE failed: %s" % result.describe_error())
        return
    replica["checksums"] = parse_checksums(result, tables)
    for table in tables:
        mine, theirs = replica["checksums"].get(table), primary["checksums"].get(table)
        if mine != theirs:
            replica["problems"].append("CHECKSUM TABLE %s differs from the primary (%s, primary %s)" % (table, mine, theirs))


def verdict(namespace, name, deployment, primary, replicas, canary, canary_id):
    """The module's result (without ``elapsed``): health, each pod, the message."""
    for replica in replicas:
        replica["healthy"] = not replica["problems"]
    unhealthy = ([primary["pod"]] if not primary["healthy"] else []) + [r["pod"] for r in replicas if not r["healthy"]]
    checksums = dict((table, dict((item["pod"], item["checksums"].get(table)) for item in [primary] + replicas))
                     for table in deployment["tables"])
    result = {
        # The canary row is the check's own bookkeeping, not a change to what is managed:
        # a verification run reports changed=false, so a re-run of site.yml shows 0.
        "changed": False,
        "healthy": not unhealthy,
        "unhealthy": unhealthy,
        "primary": primary,
        "replicas": replicas,
        "canary_id": canary_id,
        "canary": canary,
        "checksums": checksums,
        "flavor": deployment["profile"]["flavor"],
        "version": deployment["profile"]["version"],
        "replication_mode": deployment["mode"],
        "port": deployment["port"],
        "max_lag": deployment["max_lag"],
        "service": deployment["service"],
        "secret_name": deployment.get("secret"),
        "semi_sync": deployment.get("semi_sync"),
        "errant_check": errant.check_state(deployment, replicas),
        "volume_bytes": deployment.get("volume_bytes"),
        "binlog_space_percent": deployment.get("binlog_space_percent"),
        "warnings": warnings(deployment, primary, replicas),
    }
    result["msg"] = summary(namespace, name, result)
    return result


def warnings(deployment, primary, replicas):
    """What the result warns about without failing: a check that cannot be made, binary logs
    filling a volume."""
    out = [errant.POSITION_MODE_WARNING] if deployment["mode"] != "gtid" else []
    for item in [primary] + list(replicas):
        text = binlog_space.warning(item["pod"], item.get("binlog_bytes"), deployment.get("volume_bytes"),
                                    deployment.get("binlog_space_percent"))
        if text:
            out.append(text)
    return out


def summary(namespace, name, result):
    if result["healthy"]:
        return "replication of StatefulSet %s/%s is healthy: %d replica(s) caught up with %s" % (
            namespace, name, len(result["replicas"]), result["primary"]["pod"])
    parts = ["%s: %s" % (item["pod"], "; ".join(item["problems"]))
             for item in [result["primary"]] + result["replicas"] if not item.get("healthy")]
    return "replication of StatefulSet %s/%s is unhealthy: %s" % (namespace, name, " | ".join(parts))
