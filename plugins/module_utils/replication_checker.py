# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks the replication of a deployed StatefulSet from inside its pods.

Pod ``<name>-0`` is the primary, every other ordinal a replica (docs/design.md). All SQL
runs through :mod:`pod_sql` (the server's client over the exec API, password on stdin);
flavor differences come from :func:`flavors.profile`; the verdict on one replica from
:mod:`replication_status` and :mod:`gtid`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
import uuid

from ansible_collections.stateful.mysql.plugins.module_utils import flavors, gtid
from ansible_collections.stateful.mysql.plugins.module_utils.k8s_api import NotFound, api_error_text, apis
from ansible_collections.stateful.mysql.plugins.module_utils.pod_sql import (
    SqlError,
    quote_identifier,
    quote_string,
    run_sql,
)
from ansible_collections.stateful.mysql.plugins.module_utils.replication_status import (
    normalize,
    replica_problems,
    source_matches,
    summarize,
    threads_stopped,
)
from ansible_collections.stateful.mysql.plugins.module_utils.statefulsets import (
    LABEL_FLAVOR,
    LABEL_REPLICATION_MODE,
    LABEL_VERSION,
    labels,
    read_pod,
    read_secret_key,
    read_statefulset,
    service_name,
    spec_replicas,
)

try:
    from kubernetes.client.exceptions import ApiException
except ImportError:
    # Reported by AnsibleK8SModule when the module starts.
    class ApiException(Exception):
        pass

CANARY_DATABASE = "stateful_mysql_check"
CANARY_TABLE = "canary"
SOURCE_PORT = 3306
REPLICATION_MODES = ("gtid", "position")
# Seconds one exec (a few client calls) may take.
EXEC_TIMEOUT = 60
# Seconds between two looks at a replica that has not caught up yet.
POLL_INTERVAL = 1.0
# Server errors meaning the canary table has not reached a replica yet.
CANARY_NOT_THERE = ("ERROR 1049", "ERROR 1146")
# Server errors refusing the login: waiting will not help.
LOGIN_REFUSED = ("ERROR 1045", "ERROR 1698")


class CheckError(Exception):
    """The check could not start (no StatefulSet, no password, unknown flavor...)."""


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
    """``"db.table"`` -> ``("db", "table")``; raises CheckError otherwise."""
    db, dot, table = (name or "").partition(".")
    if not dot or not db or not table:
        raise CheckError("checksum_tables entries must look like db.table, not %r" % name)
    return db, table


def checksum_sql(tables):
    return "CHECKSUM TABLE " + ", ".join(
        "%s.%s" % tuple(quote_identifier(part) for part in parse_table_name(name)) for name in tables)


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


class ReplicationChecker:
    def __init__(self, client, params, check_mode=False):
        self.core, self.apps = apis(client)
        self.params = params
        self.check_mode = check_mode
        self.name = params["name"]
        self.namespace = params.get("namespace") or "default"
        self.container = params.get("container") or "mysql"
        self.tables = list(params.get("checksum_tables") or [])
        for table in self.tables:
            parse_table_name(table)
        self.max_lag = params.get("max_lag", 30)
        self.timeout = params.get("timeout", 60)
        self.primary_pod = "%s-0" % self.name

    # --- setup ------------------------------------------------------------------------

    def setup(self):
        try:
            statefulset = read_statefulset(self.apps, self.namespace, self.name)
        except NotFound as exc:
            raise CheckError(str(exc))
        found = labels(statefulset)
        flavor = self.params.get("flavor") or found.get(LABEL_FLAVOR)
        if not flavor:
            raise CheckError("StatefulSet %s/%s has no label %s; set the flavor option"
                             % (self.namespace, self.name, LABEL_FLAVOR))
        version = self.params.get("version") or found.get(LABEL_VERSION)
        try:
            self.profile = flavors.profile(flavor, version)
        except flavors.FlavorError as exc:
            raise CheckError(str(exc))
        mode = self.params.get("replication_mode") or found.get(LABEL_REPLICATION_MODE) or "gtid"
        if mode not in REPLICATION_MODES:
            raise CheckError("replication mode %r (label %s) is not one of %s"
                             % (mode, LABEL_REPLICATION_MODE, ", ".join(REPLICATION_MODES)))
        self.mode = mode
        replicas = self.params.get("replicas")
        self.replicas = spec_replicas(statefulset) if replicas is None else replicas
        self.service = service_name(statefulset) or self.name
        password = self.params.get("root_password")
        if not password:
            secret = self.params.get("secret_name") or "%s-credentials" % self.name
            try:
                password = read_secret_key(self.core, self.namespace, secret, "root-password")
            except NotFound as exc:
                raise CheckError("%s; set root_password or secret_name" % exc)
        self._password = password

    def sql(self, pod, statements):
        return run_sql(self.core, self.namespace, pod, self.container, self.profile["client_bin"],
                       self._password, statements, timeout=EXEC_TIMEOUT)

    # --- primary ----------------------------------------------------------------------

    def check_primary(self):
        pod = self.primary_pod
        out = {
            "pod": pod, "reachable": False, "server_id": None, "read_only": None,
            "super_read_only": None, "gtid": None, "file": None, "position": None,
            "checksums": {}, "problems": [],
        }
        self.canary_id = None
        self.canary = "disabled"
        statements = []
        canary_id = None
        if self.params.get("canary", True):
            if self.check_mode:
                self.canary = "skipped"
            else:
                canary_id = "%s-%s" % (time.strftime("%Y%m%dT%H%M%S", time.gmtime()), uuid.uuid4().hex)
                statements.append(canary_write_sql(canary_id, pod))
        first = len(statements)
        statements += [
            "SELECT @@GLOBAL.server_id",
            self.profile["read_only_query"],
            self.profile["primary_gtid_query"],
            self.profile["show_primary_status"],
        ]
        if self.tables:
            statements.append(checksum_sql(self.tables))
        if read_pod(self.core, self.namespace, pod) is None:
            out["problems"].append("pod %s does not exist" % pod)
            if canary_id:
                self.canary = "failed"
            return out
        try:
            results = self.sql(pod, statements)
        except SqlError as exc:
            out["problems"].append("cannot run SQL: %s" % exc)
            if canary_id:
                self.canary = "failed"
            return out
        out["reachable"] = any(r.ok for r in results)
        failed = common_failure(results)
        if failed:
            out["problems"].append("SQL failed: %s" % failed)
            if canary_id:
                self.canary = "failed"
            return out
        if canary_id:
            if results[0].ok:
                self.canary_id = canary_id
                self.canary = "written"
            else:
                self.canary = "failed"
                out["problems"].append("canary write failed: %s" % results[0].describe_error())
        server_id, read_only, gtid_pos, binlog = results[first:first + 4]
        for label, result in (("server_id", server_id), ("read_only", read_only),
                              ("GTID", gtid_pos), ("binlog status", binlog)):
            if not result.ok:
                out["problems"].append("reading %s failed: %s" % (label, result.describe_error()))
        out["server_id"] = _int(server_id.scalar())
        if read_only.ok and read_only.rows:
            row = read_only.first_row()
            out["read_only"] = is_on(row[0])
            out["super_read_only"] = is_on(row[1]) if len(row) > 1 else None
            if out["read_only"]:
                out["problems"].append("read_only is ON on the primary")
        if gtid_pos.ok:
            out["gtid"] = (gtid_pos.scalar() or "").replace("\n", "")
        if binlog.ok and binlog.rows:
            row = binlog.dicts()[0]
            out["file"] = row.get("File")
            out["position"] = _int(row.get("Position"))
        if self.mode == "position" and binlog.ok and not out["file"]:
            out["problems"].append("the primary has no binary log (%s is empty)" % self.profile["show_primary_status"])
        if self.tables:
            checksums = results[first + 4]
            if checksums.ok:
                out["checksums"] = parse_checksums(checksums, self.tables)
                for table, value in sorted(out["checksums"].items()):
                    if value is None:
                        out["problems"].append("CHECKSUM TABLE %s returned NULL (no such table?)" % table)
            else:
                out["problems"].append("CHECKSUM TABLE failed: %s" % checksums.describe_error())
        return out

    # --- replicas ---------------------------------------------------------------------

    def poll_replica(self, pod, primary):
        """One look at a replica: a dict of facts (``error`` set when SQL could not run)."""
        look = {"error": None, "final": False, "status": None, "status_known": False, "server_id": None, "read_only": None,
                "super_read_only": None, "gtid": None, "caught_up": False, "caught_up_detail": "",
                "canary_seen": None, "statement_errors": []}
        statements = [
            self.profile["show_replica_status"],
            "SELECT @@GLOBAL.server_id",
            self.profile["read_only_query"],
            self.profile["replica_gtid_query"],
        ]
        if self.canary_id:
            statements.append(canary_read_sql(self.canary_id))
        try:
            results = self.sql(pod, statements)
        except SqlError as exc:
            look["error"] = "cannot run SQL: %s" % exc
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
            look["status"] = normalize(rows[0], self.profile["flavor"]) if rows else None
        else:
            look["statement_errors"].append("%s failed: %s" % (self.profile["show_replica_status"], status.describe_error()))
        look["server_id"] = _int(server_id.scalar())
        if read_only.ok and read_only.rows:
            row = read_only.first_row()
            look["read_only"] = is_on(row[0])
            look["super_read_only"] = is_on(row[1]) if len(row) > 1 else None
        elif not read_only.ok:
            look["statement_errors"].append("reading read_only failed: %s" % read_only.describe_error())
        if gtid_pos.ok:
            look["gtid"] = (gtid_pos.scalar() or "").replace("\n", "")
        if self.canary_id:
            canary = results[4]
            if canary.ok:
                look["canary_seen"] = (_int(canary.scalar()) or 0) > 0
            elif any(code in canary.error for code in CANARY_NOT_THERE):
                look["canary_seen"] = False
            else:
                look["canary_seen"] = False
                look["statement_errors"].append("reading the canary failed: %s" % canary.describe_error())
        look["caught_up"], look["caught_up_detail"] = self.caught_up(primary, look)
        return look

    def caught_up(self, primary, look):
        """(True/False, detail), or (None, why) when it cannot be told, for one look at a
        replica against the primary's recorded position."""
        if not primary["reachable"]:
            return None, "the primary could not be read"
        try:
            if self.mode == "gtid":
                if primary["gtid"] is None or look["gtid"] is None:
                    return None, "GTID position unknown"
                return gtid.gtid_reached(self.profile["gtid_set_kind"], primary["gtid"], look["gtid"])
            status = look["status"]
            if not primary["file"] or status is None or not status.get("exec_source_log_file"):
                return None, "binlog coordinates unknown"
            reached = gtid.position_reached(primary["file"], primary["position"],
                                            status["exec_source_log_file"], status["exec_source_log_pos"])
            detail = "" if reached else "executed %s:%s, primary at %s:%s" % (
                status["exec_source_log_file"], status["exec_source_log_pos"], primary["file"], primary["position"])
            return reached, detail
        except (gtid.GtidError, ValueError, TypeError) as exc:
            return None, str(exc)

    def settled(self, look):
        """True when looking again cannot change the outcome (done, stopped or undecidable)."""
        if look["error"]:
            return look["final"]
        if look["caught_up"] is None:
            return True
        done = look["caught_up"] and look["canary_seen"] is not False
        return done or (look["status_known"] and threads_stopped(look["status"]))

    def wait_for_replicas(self, primary, pods):
        looks = {}
        deadline = time.monotonic() + self.timeout
        pending = list(pods)
        while pending:
            for pod in list(pending):
                looks[pod] = self.poll_replica(pod, primary)
                if self.settled(looks[pod]):
                    pending.remove(pod)
            if not pending or time.monotonic() + POLL_INTERVAL > deadline:
                break
            time.sleep(POLL_INTERVAL)
        return looks

    def replica_result(self, pod, look, primary):
        facts = summarize(look["status"]) or {}
        out = {
            "pod": pod,
            "server_id": look["server_id"],
            "io_running": facts.get("io_running", False),
            "io_state": facts.get("io_state"),
            "sql_running": facts.get("sql_running", False),
            "sql_state": facts.get("sql_state"),
            "last_io_errno": facts.get("last_io_errno"),
            "last_io_error": facts.get("last_io_error"),
            "last_sql_errno": facts.get("last_sql_errno"),
            "last_sql_error": facts.get("last_sql_error"),
            "seconds_behind": facts.get("seconds_behind"),
            "source_host": facts.get("source_host"),
            "source_port": facts.get("source_port"),
            "source_is_primary": False,
            "gtid": look["gtid"],
            "exec_source_log_file": facts.get("exec_source_log_file"),
            "exec_source_log_pos": facts.get("exec_source_log_pos"),
            "caught_up": look["caught_up"],
            "canary_seen": look["canary_seen"],
            "checksums": {},
            "read_only": look["read_only"],
            "super_read_only": look["super_read_only"],
            "status": look["status"],
            "problems": [],
        }
        problems = out["problems"]
        if look["error"]:
            problems.append(look["error"])
            return out
        problems.extend(look["statement_errors"])
        if look["status_known"]:
            problems.extend(replica_problems(look["status"], self.primary_pod, self.service, SOURCE_PORT, self.max_lag))
        out["source_is_primary"] = bool(facts) and source_matches(
            facts["source_host"], self.primary_pod, self.service) and facts["source_port"] == SOURCE_PORT
        stopped = look["status_known"] and threads_stopped(look["status"])
        if look["caught_up"] is None:
            problems.append("cannot tell whether it caught up with the primary: %s" % look["caught_up_detail"])
        elif not look["caught_up"]:
            problems.append("not caught up with the primary %s: %s" % (
                "(replication is stopped)" if stopped else "within %ss" % self.timeout,
                look["caught_up_detail"] or "behind"))
        if self.canary_id and not look["canary_seen"]:
            problems.append("canary row %s not seen%s" % (
                self.canary_id, "" if stopped else " within %ss" % self.timeout))
        if look["read_only"] is False:
            problems.append("read_only is OFF on a replica")
        if primary["server_id"] is not None and look["server_id"] == primary["server_id"]:
            problems.append("server_id %s is the primary's" % look["server_id"])
        return out

    def compare_checksums(self, replica, primary):
        if not self.tables:
            return
        if not replica["caught_up"]:
            replica["problems"].append("checksums not compared: the replica has not caught up")
            return
        try:
            result = self.sql(replica["pod"], [checksum_sql(self.tables)])[0]
        except SqlError as exc:
            replica["problems"].append("CHECKSUM TABLE could not run: %s" % exc)
            return
        if not result.ok:
            replica["problems"].append("CHECKSUM TABLE failed: %s" % result.describe_error())
            return
        replica["checksums"] = parse_checksums(result, self.tables)
        for table in self.tables:
            mine, theirs = replica["checksums"].get(table), primary["checksums"].get(table)
            if mine != theirs:
                replica["problems"].append("CHECKSUM TABLE %s differs from the primary (%s, primary %s)" % (table, mine, theirs))

    # --- all --------------------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        self.setup()
        primary = self.check_primary()
        primary["healthy"] = not primary["problems"]
        replica_pods = ["%s-%d" % (self.name, index) for index in range(1, self.replicas)]
        existing = [pod for pod in replica_pods if read_pod(self.core, self.namespace, pod) is not None]
        looks = self.wait_for_replicas(primary, existing)
        replicas = []
        for pod in replica_pods:
            if pod not in looks:
                replicas.append({"pod": pod, "healthy": False, "problems": ["pod %s does not exist" % pod],
                                 "caught_up": None, "canary_seen": None, "checksums": {}})
                continue
            replica = self.replica_result(pod, looks[pod], primary)
            self.compare_checksums(replica, primary)
            replica["healthy"] = not replica["problems"]
            replicas.append(replica)
        unhealthy = ([self.primary_pod] if not primary["healthy"] else []) + [r["pod"] for r in replicas if not r["healthy"]]
        checksums = {}
        for table in self.tables:
            checksums[table] = dict((item["pod"], item["checksums"].get(table)) for item in [primary] + replicas)
        result = {
            # The canary row is the check's own bookkeeping, not a change to what is managed:
            # a verification run reports changed=false, so a re-run of site.yml shows 0.
            "changed": False,
            "healthy": not unhealthy,
            "unhealthy": unhealthy,
            "primary": primary,
            "replicas": replicas,
            "canary_id": self.canary_id,
            "canary": self.canary,
            "checksums": checksums,
            "flavor": self.profile["flavor"],
            "version": self.profile["version"],
            "replication_mode": self.mode,
            "elapsed": round(time.monotonic() - started, 3),
        }
        result["msg"] = summary(self.namespace, self.name, result)
        return result


def summary(namespace, name, result):
    if result["healthy"]:
        return "replication of StatefulSet %s/%s is healthy: %d replica(s) caught up with %s" % (
            namespace, name, len(result["replicas"]), result["primary"]["pod"])
    parts = []
    for item in [result["primary"]] + result["replicas"]:
        if not item.get("healthy"):
            parts.append("%s: %s" % (item["pod"], "; ".join(item["problems"])))
    return "replication of StatefulSet %s/%s is unhealthy: %s" % (namespace, name, " | ".join(parts))


def check_replication(client, params, check_mode=False):
    """Runs the whole check; returns the result dict (``healthy`` says the verdict).

    Raises CheckError when the check cannot start at all (or the API refuses a read).
    """
    checker = ReplicationChecker(client, params, check_mode)
    try:
        return checker.run()
    except ApiException as exc:
        raise CheckError("Kubernetes API error while checking StatefulSet %s/%s: %s"
                         % (checker.namespace, checker.name, api_error_text(exc)))
