# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks the replication of a deployed StatefulSet from inside its pods: the talking part.

Pod ``<name>-0`` is the primary, every other ordinal a replica (docs/design.md). What the
deployment is (flavor, version, mode, service, port, lag limit, credentials Secret) is read
from the StatefulSet the role wrote; options override it. SQL runs through :mod:`pod_sql`
(the server's client over the exec API, password on stdin); every judgement is
:mod:`replication_verdict`'s.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
import uuid

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils.k8s import deployment_state
from ansible_collections.stateful.mysql.plugins.module_utils.replication import binlog_space, errant
from ansible_collections.stateful.mysql.plugins.module_utils.replication import verdict as rv
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError, NotFound
from ansible_collections.stateful.mysql.plugins.module_utils.replication.sql import SqlError, run_sql
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.statefulsets import (
    ANNOTATION_MAX_LAG,
    ANNOTATION_SEMI_SYNC,
    LABEL_FLAVOR,
    LABEL_REPLICATION_MODE,
    LABEL_VERSION,
    annotation,
    claim_storage_bytes,
    configmap_name,
    container_port,
    labels,
    secret_name,
    service_name,
    spec_replicas,
)
from ansible_collections.stateful.mysql.plugins.module_utils.replication.errors import ReplicationError

REPLICATION_MODES = ("gtid", "position")
# Seconds one exec (a few client calls) may take.
EXEC_TIMEOUT = 60
# Seconds between two looks at a replica that has not caught up yet.
POLL_INTERVAL = 1.0


class CheckError(ReplicationError):
    """The check could not start (no StatefulSet, no password, unknown flavor...)."""


def deployment_from(statefulset, params):
    """What the check needs to know, from the StatefulSet the role wrote and the options
    (an option that is set wins). Raises CheckError naming what is missing."""
    where = "StatefulSet %s/%s" % (params["namespace"], params["name"])
    found = labels(statefulset)
    flavor = params["flavor"] or found.get(LABEL_FLAVOR)
    if not flavor:
        raise CheckError("%s has no label %s; set the flavor option" % (where, LABEL_FLAVOR))
    try:
        profile = flavors.profile(flavor, params["version"] or found.get(LABEL_VERSION))
    except flavors.FlavorError as exc:
        raise CheckError(str(exc))
    mode = params["replication_mode"] or found.get(LABEL_REPLICATION_MODE)
    if mode not in REPLICATION_MODES:
        raise CheckError("%s: replication mode %r (label %s) is not one of %s; set the replication_mode option"
                         % (where, mode, LABEL_REPLICATION_MODE, ", ".join(REPLICATION_MODES)))
    port = params["port"] or container_port(statefulset, params["container"], "mysql")
    if not port:
        raise CheckError("%s: container %s has no port named mysql; set the port option" % (where, params["container"]))
    max_lag = params["max_lag"]
    if max_lag is None:
        max_lag = annotation(statefulset, ANNOTATION_MAX_LAG)
        if not str(max_lag or "").isdigit():
            raise CheckError("%s has no annotation %s; set the max_lag option" % (where, ANNOTATION_MAX_LAG))
    for table in params["checksum_tables"]:
        try:
            rv.parse_table_name(table)
        except rv.VerdictError as exc:
            raise CheckError(str(exc))
    return {
        "profile": profile,
        "mode": mode,
        "primary_pod": "%s-0" % params["name"],
        "service": service_name(statefulset) or params["name"],
        "port": int(port),
        "max_lag": int(max_lag),
        "timeout": params["timeout"],
        "tables": list(params["checksum_tables"]),
        "replicas": spec_replicas(statefulset) if params["replicas"] is None else params["replicas"],
        # None when the StatefulSet predates the annotation: semi-sync is then not judged.
        "semi_sync": annotation(statefulset, ANNOTATION_SEMI_SYNC),
        "state": configmap_name(statefulset, "state"),
        "selector": ((statefulset.get("spec") or {}).get("selector") or {}).get("matchLabels") or {},
        "secret": params["secret_name"] or secret_name(statefulset) or "%s-credentials" % params["name"],
        # The data volume each pod gets (the claim template's request), for the binlog space warning.
        "volume_bytes": claim_storage_bytes(statefulset, "data"),
        "binlog_space_percent": params["binlog_space_percent"],
    }


class ReplicationChecker:
    """One check. ``api`` is a cluster_api.ClusterApi (or anything with its statefulset,
    pod and secret_key calls); ``sql(pod, statements)`` runs statements and returns
    StatementResults (pod_sql.run_sql by default)."""

    def __init__(self, api, params, check_mode=False, sql=None, sleep=time.sleep, clock=time.monotonic):
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.namespace = params["namespace"]
        self.name = params["name"]
        self._sql = sql
        self.sleep = sleep
        self.clock = clock

    def setup(self):
        try:
            statefulset = self.api.statefulset(self.namespace, self.name)
        except NotFound as exc:
            raise CheckError(str(exc))
        self.deployment = deployment_from(statefulset, self.params)
        if self._sql is None:
            password = self.params["root_password"]
            if not password:
                try:
                    password = self.api.secret_key(self.namespace, self.deployment["secret"], "root-password")
                except NotFound as exc:
                    raise CheckError("%s; set root_password or secret_name" % exc)
            client = self.deployment["profile"]["client_bin"]
            self._sql = lambda pod, statements: run_sql(
                self.api, self.namespace, pod, self.params["container"], client, password, statements,
                timeout=EXEC_TIMEOUT)

    def ask(self, pod, statements):
        """(results, None), or (None, why) when the statements could not run at all."""
        try:
            return self._sql(pod, statements), None
        except SqlError as exc:
            return None, "cannot run SQL: %s" % exc

    def check_primary(self):
        pod = self.deployment["primary_pod"]
        canary_id = None
        if not self.params["canary"]:
            self.canary = "disabled"
        elif self.check_mode:
            self.canary = "skipped"
        else:
            canary_id = "%s-%s" % (time.strftime("%Y%m%dT%H%M%S", time.gmtime()), uuid.uuid4().hex)
        if self.api.pod(self.namespace, pod) is None:
            results, error = None, "pod %s does not exist" % pod
        else:
            results, error = self.ask(pod, rv.primary_statements(self.deployment["profile"], self.deployment["tables"],
                                                                 pod, canary_id))
        primary, canary = rv.primary_facts(pod, self.deployment, results, canary_id, error)
        if canary_id:
            self.canary = canary
        self.canary_id = canary_id if canary == "written" else None
        return primary

    def wait_for_replicas(self, primary, pods):
        statements = rv.replica_statements(self.deployment["profile"], self.canary_id)
        looks = {}
        deadline = self.clock() + self.deployment["timeout"]
        pending = list(pods)
        # Each look is one exec per replica; the replicas are asked at the same time.
        with ThreadPoolExecutor(max_workers=max(1, len(pods))) as pool:
            while pending:
                answers = list(pool.map(lambda pod: (pod, self.ask(pod, statements)), pending))
                for pod, (results, error) in answers:
                    looks[pod] = rv.replica_look(self.deployment, primary, results, self.canary_id, error)
                    if rv.settled(looks[pod]):
                        pending.remove(pod)
                if not pending or self.clock() + POLL_INTERVAL > deadline:
                    break
                self.sleep(POLL_INTERVAL)
        return looks

    def run(self):
        started = self.clock()
        self.setup()
        primary = self.check_primary()
        pods = ["%s-%d" % (self.name, index) for index in range(1, self.deployment["replicas"])]
        existing = [pod for pod in pods if self.api.pod(self.namespace, pod) is not None]
        looks = self.wait_for_replicas(primary, existing)
        tables = self.deployment["tables"]
        replicas = []
        for pod in pods:
            if pod not in looks:
                replicas.append(rv.missing_replica(pod))
                continue
            replica = rv.replica_result(pod, self.deployment, primary, looks[pod], self.canary_id)
            if tables and replica["caught_up"]:
                results, error = self.ask(pod, [rv.checksum_sql(tables)])
                rv.compare_checksums(replica, primary, tables, results[0] if results else None, error)
            else:
                rv.compare_checksums(replica, primary, tables)
            replicas.append(replica)
        self.check_last(primary, replicas)
        result = rv.verdict(self.namespace, self.name, self.deployment, primary, replicas, self.canary, self.canary_id)
        result["initialized"] = self.record_initialized(result["healthy"])
        result["elapsed"] = round(self.clock() - started, 3)
        return result

    def check_last(self, primary, replicas):
        """After every look: each replica's GTID state and binary logs, then the primary's.
        The primary goes after the replicas so that what they applied from it is in its state
        (errant.py); the replicas are asked at the same time."""
        dep = self.deployment
        asked = len(errant.primary_statements(dep))
        # A replica whose SQL never ran already has its problem; asking again only costs time.
        live = [replica for replica in replicas if replica["exists"] and replica["server_id"] is not None]
        statements = errant.replica_statements(dep) + binlog_space.statements(dep)
        with ThreadPoolExecutor(max_workers=max(1, len(live))) as pool:
            answers = list(pool.map(lambda replica: self.ask(replica["pod"], statements), live))
        results, error = (None, "the primary could not be read")
        if primary["reachable"]:
            results, error = self.ask(primary["pod"], errant.primary_statements(dep) + binlog_space.statements(dep))
        primary_state = errant.gtid_state(results[0]) if results and asked else None
        primary["binlog_bytes"] = binlog_space.binlog_bytes(results[-1]) if results else None
        if asked and primary["reachable"] and primary_state is None:
            problem = error or "reading its GTID state for the errant check failed: %s" % results[0].describe_error()
            primary["problems"].append(problem)
            primary["healthy"] = False
        for replica, (results, error) in zip(live, answers):
            state = errant.gtid_state(results[0]) if results and asked else None
            replica["binlog_bytes"] = binlog_space.binlog_bytes(results[-1]) if results else None
            why = error or ("reading its GTID state failed: %s" % results[0].describe_error() if asked and state is None
                            else None)
            errant.judge(replica, dep, state, primary_state, why)

    def record_initialized(self, healthy):
        """Bookkeeping like the canary (no change reported): from the first healthy check on,
        ordinal 0 refuses to start empty while its peers hold data it lacks."""
        state = self.deployment["state"]
        if not (healthy and state and self.params["record_initialized"]) or self.check_mode:
            return "skipped"
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return deployment_state.record_initialized(self.api, self.namespace, state, self.deployment["selector"], now)


def check_replication(api, params, check_mode=False):
    """Runs the whole check; returns the result dict (``healthy`` says the verdict).

    Raises CheckError when the check cannot start at all (or the API refuses a read).
    """
    checker = ReplicationChecker(api, params, check_mode)
    try:
        return checker.run()
    except NotFound:
        raise
    except K8sError as exc:
        raise CheckError("Kubernetes API error while checking StatefulSet %s/%s: %s"
                         % (params["namespace"], params["name"], exc))
