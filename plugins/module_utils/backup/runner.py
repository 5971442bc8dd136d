# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups of a deployment, end to end: the talking part of the backup, backup_info and
backup_restore modules (the judgements are backups.py's, the stores backup_store.py's).

The data path needs nothing in the pods beyond the server image: the controller reads the
backup stream from the source pod through the exec API (backup.sh in its replication
container) and writes it to the store; a restore reads it back from the store and writes it
into ordinal 0's init container (receive-backup.sh), which checks it and builds the datadir
(restore-backup.sh). ConfigMap ``<name>-backup`` shows the running backup (id, source,
bytes so far, heartbeat) and keeps a second one from starting meanwhile.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import hashlib
import os
import time

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils.backup import model as backups
from ansible_collections.stateful.mysql.plugins.module_utils.backup.stores import labels_for, open_store
from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError, NotFound
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.pod_exec import STDOUT, PodExecError
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.statefulsets import (
    LABEL_FLAVOR,
    LABEL_REPLICATION_MODE,
    LABEL_VERSION,
    label_selector,
    labels,
)

SCRIPTS = "/etc/stateful-mysql"
# Seconds between two updates of the status ConfigMap while a backup streams.
HEARTBEAT_SECONDS = 2.0
# A running backup not heard of for this long was cut off: another may start.
STALE_SECONDS = 60
XBSTREAM_MAGIC = b"XBSTCK01"


def deployment_facts(statefulset, namespace, name):
    """Flavor, version, format, mode and server image of a deployment, from its StatefulSet."""
    found = labels(statefulset)
    try:
        profile = flavors.profile(found.get(LABEL_FLAVOR) or "", found.get(LABEL_VERSION))
    except flavors.FlavorError as exc:
        raise BackupError("StatefulSet %s/%s: %s" % (namespace, name, exc))
    image = pull_policy = None
    for container in (((statefulset.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []:
        if container.get("name") == "mysql":
            image, pull_policy = container.get("image"), container.get("imagePullPolicy")
    return {"namespace": namespace, "name": name, "flavor": profile["flavor"], "version": profile["version"],
            "format": profile["backup_format"], "replication_mode": found.get(LABEL_REPLICATION_MODE) or "gtid",
            "image": image, "pull_policy": pull_policy}


def parse_time(text):
    try:
        return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except (TypeError, ValueError):
        return None


class Status:
    """ConfigMap ``<name>-backup``: the backup running now (or the last one) and its
    progress. Taking it is conditional on the resourceVersion read, so two runs that start
    together cannot both go on."""

    def __init__(self, api, namespace, name, clock=time.time):
        self.api = api
        self.namespace = namespace
        self.name = "%s-backup" % name
        self.path = "/api/v1/namespaces/%s/configmaps/%s" % (namespace, self.name)
        self.labels = labels_for(name)
        self.clock = clock
        self.last = 0.0
        self.data = {}

    def read(self):
        found = self.api.get(self.path) or {}
        data = dict(found.get("data") or {})
        if data.get("phase") == "running":
            heard = parse_time(data.get("heartbeat"))
            data["stale"] = "true" if heard is None or self.clock() - heard > STALE_SECONDS else "false"
        return found, data

    def acquire(self, data):
        existing, current = self.read()
        if current.get("phase") == "running" and current.get("stale") == "false":
            raise BackupError("backup %s of %s is running (from pod %s, %s bytes so far, last heard of at %s): one "
                              "backup at a time" % (current.get("id"), self.name[:-len("-backup")],
                                                    current.get("source-pod"), current.get("bytes"),
                                                    current.get("heartbeat")))
        self.data = dict(data, phase="running", bytes="0", heartbeat=backups.iso(self.clock()), message="starting")
        try:
            if not existing:
                created = self.api.create("/api/v1/namespaces/%s/configmaps" % self.namespace, {
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": self.name, "namespace": self.namespace, "labels": self.labels},
                    "data": self.data})
                if created is None:
                    raise BackupError("another backup of %s started at the same time" % self.name[:-len("-backup")])
            else:
                self.api.merge_patch(self.path, {
                    "metadata": {"resourceVersion": existing["metadata"]["resourceVersion"]},
                    "data": dict((key, self.data.get(key)) for key in set(self.data) | set(existing.get("data") or {}))})
        except K8sError as exc:
            if exc.status == 409:
                raise BackupError("another backup of %s started at the same time" % self.name[:-len("-backup")])
            raise
        self.last = self.clock()

    def update(self, force=False, **fields):
        """Records progress; at most every HEARTBEAT_SECONDS unless ``force``."""
        self.data.update((key.replace("_", "-"), str(value)) for key, value in fields.items())
        now = self.clock()
        if not force and now - self.last < HEARTBEAT_SECONDS:
            return
        self.data["heartbeat"] = backups.iso(now)
        self.last = now
        try:
            self.api.merge_patch(self.path, {"data": self.data})
        except K8sError:
            if force:
                raise


def throttle(sent, started, rate_limit, sleep, clock):
    """Sleeps until ``sent`` bytes since ``started`` are within ``rate_limit`` bytes/s."""
    if rate_limit > 0:
        ahead = sent / float(rate_limit) - (clock() - started)
        if ahead > 0:
            sleep(ahead)


class BackupRun:
    """One backup of a deployment into a store (the backup module)."""

    def __init__(self, api, params, clock=time.time, sleep=time.sleep, token=None):
        self.api = api
        self.params = params
        self.clock = clock
        self.sleep = sleep
        self.token = token or os.urandom(3).hex()
        self.namespace = params["namespace"]
        self.name = params["name"]

    def run(self):
        try:
            statefulset = self.api.statefulset(self.namespace, self.name)
        except NotFound as exc:
            raise BackupError(str(exc))
        deployment = deployment_facts(statefulset, self.namespace, self.name)
        pods, _version = self.api.pods(self.namespace, label_selector(statefulset))
        source, role, warning = backups.choose_source(self.name, pods, self.params["source_pod"])
        store = open_store(self.api, self.params, self.namespace, self.name, deployment["image"],
                           deployment["pull_policy"])
        started = self.clock()
        backup_id = backups.new_id(started, self.token)
        status = Status(self.api, self.namespace, self.name, self.clock)
        status.acquire({"id": backup_id, "source-pod": source, "source-role": role, "store": store.where,
                        "started": backups.iso(started)})
        try:
            manifest = self.stream(deployment, store, status, backup_id, source, role, started)
        except (BackupError, K8sError) as exc:
            message = str(exc)
            status.update(force=True, phase="failed", message=message[-900:], finished=backups.iso(self.clock()))
            raise BackupError(message)
        deleted = self.retain(store, backup_id)
        status.update(force=True, phase="completed", message="backup %s completed" % backup_id,
                      finished=manifest["finished"])
        return {"changed": True, "id": backup_id, "manifest": manifest, "source_pod": source, "source_role": role,
                "warnings": [warning] if warning else [], "deleted": deleted, "store": store.describe()}

    def stream(self, deployment, store, status, backup_id, source, role, started):
        command = ["bash", "%s/backup.sh" % SCRIPTS, backup_id]
        timeout = self.params["timeout"]
        digest = hashlib.sha256()
        size = 0
        stderr = []
        check = backups.FilesStreamCheck() if deployment["format"].startswith("stateful-mysql-files") else None
        writer = store.begin(backup_id)
        try:
            session = self.api.exec_stream(self.namespace, source, "replication", command, timeout=timeout)
            status.update(force=True, message="streaming from %s" % source)
            for channel, payload in session.frames():
                if channel == STDOUT:
                    if size == 0 and check is None and bytes(payload[:len(XBSTREAM_MAGIC)]) != XBSTREAM_MAGIC:
                        raise BackupError("the backup stream from %s is not xbstream" % source)
                    writer.write(payload)
                    digest.update(payload)
                    size += len(payload)
                    if check is not None:
                        check.feed(payload)
                    throttle(size, started, self.params["rate_limit"], self.sleep, self.clock)
                else:
                    stderr.append(bytes(payload))
                status.update(bytes=size)
                if self.clock() - started > timeout:
                    session.close()
                    raise BackupError("the backup did not finish within %ss (timeout)" % timeout)
            text = b"".join(stderr).decode("utf-8", "replace")
            rc = session.rc
            if rc != 0:
                raise BackupError("the backup in pod %s failed (exit code %s):\n%s" % (source, rc, backups.log_tail(text)))
            if check is not None:
                check.finish()
            if size == 0:
                raise BackupError("the backup in pod %s produced no data:\n%s" % (source, backups.log_tail(text)))
            stored, stored_sha = writer.finish()
        except BaseException:
            writer.abort()
            raise
        sha = digest.hexdigest()
        if stored != size or (stored_sha and stored_sha != sha):
            store.delete(backup_id)
            raise BackupError("%s holds %s bytes (sha256 %s) of backup %s; %d bytes (sha256 %s) were sent"
                              % (store.where, stored, stored_sha or "unknown", backup_id, size, sha))
        facts = backups.parse_facts(text)
        manifest = backups.build_manifest(backup_id, deployment, facts, size, sha, started, self.clock(), source, role)
        manifest["store"] = store.describe()
        store.commit(backup_id, manifest)
        status.update(force=True, bytes=size, message="stored; applying retention")
        return manifest

    def retain(self, store, backup_id):
        usable, incomplete = backups.listing(store.entries())
        if backup_id not in [manifest["id"] for manifest in usable]:
            raise BackupError("backup %s is not listed as usable in %s after it was stored" % (backup_id, store.where))
        old, leftovers = backups.retention([m["id"] for m in usable], [e["id"] for e in incomplete],
                                           self.params["keep"], backup_id)
        for old_id in old + leftovers:
            store.delete(old_id)
        return old + leftovers


def list_backups(api, params):
    """The backup_info module: the usable backups (their manifests), the incomplete ones,
    the status of the running or last backup; one backup's manifest when ``id`` is set."""
    namespace, name = params["namespace"], params["name"]
    statefulset = api.get("/apis/apps/v1/namespaces/%s/statefulsets/%s" % (namespace, name))
    image = pull_policy = None
    if statefulset:
        facts = deployment_facts(statefulset, namespace, name)
        image, pull_policy = facts["image"], facts["pull_policy"]
    store = open_store(api, params, namespace, name, image, pull_policy)
    usable, incomplete = backups.listing(store.entries())
    _found, status = Status(api, namespace, name).read()
    result = {"changed": False, "backups": usable, "incomplete": incomplete, "status": status,
              "store": store.describe(), "ids": [manifest["id"] for manifest in usable]}
    if params["id"]:
        result["backup"] = backups.find_backup(usable, incomplete, params["id"], store.where)
        if params["verify"]:
            problem = backups.checksum_problem(result["backup"], store.checksum(params["id"]), store.where)
            if problem:
                raise BackupError(problem)
    return result


def init_state(pod):
    """The state of ordinal 0's init container: running, succeeded, or waiting (why)."""
    for status in (pod.get("status") or {}).get("initContainerStatuses") or []:
        if status.get("name") == "init":
            state = status.get("state") or {}
            if state.get("running"):
                return "running", None
            if "terminated" in state:
                if state["terminated"].get("exitCode") == 0:
                    return "succeeded", None
                return "failed", state["terminated"].get("message") or state["terminated"].get("reason")
            return "waiting", (state.get("waiting") or {}).get("reason")
    return "pending", (pod.get("status") or {}).get("phase")


class RestoreRun:
    """The backup_restore module: feeds a stored backup into ordinal 0 of a deployment that
    site.yml created to restore it."""

    def __init__(self, api, params, clock=time.monotonic, sleep=time.sleep):
        self.api = api
        self.params = params
        self.clock = clock
        self.sleep = sleep
        self.namespace = params["namespace"]
        self.name = params["name"]
        self.pod = "%s-0" % self.name

    def source_store(self, target):
        namespace = self.params["from_namespace"] or self.namespace
        name = self.params["from_name"] or self.name
        source = self.api.get("/apis/apps/v1/namespaces/%s/statefulsets/%s" % (namespace, name))
        facts = deployment_facts(source or target, namespace, name)
        return open_store(self.api, self.params, namespace, name, facts["image"], facts["pull_policy"])

    def wait_for_init(self):
        deadline = self.clock() + self.params["timeout"]
        while True:
            pod = self.api.pod(self.namespace, self.pod)
            if pod is not None:
                state, why = init_state(pod)
                if state in ("running", "succeeded"):
                    return state
            else:
                state, why = "missing", "the pod does not exist yet"
            if self.clock() > deadline:
                raise BackupError("ordinal 0 (%s/%s) did not start restoring within %ss: its init container is %s%s"
                                  % (self.namespace, self.pod, self.params["timeout"], state, " (%s)" % why if why else ""))
            self.sleep(1)

    def run(self):
        try:
            target = self.api.statefulset(self.namespace, self.name)
        except NotFound as exc:
            raise BackupError("%s: site.yml creates it before sending the backup" % exc)
        store = self.source_store(target)
        usable, incomplete = backups.listing(store.entries())
        manifest = backups.find_backup(usable, incomplete, self.params["id"], store.where)
        if self.wait_for_init() == "succeeded":
            return {"changed": False, "id": manifest["id"], "received": 0, "manifest": manifest,
                    "msg": "ordinal 0 has already started from its data"}
        started = self.clock()
        command = ["bash", "%s/receive-backup.sh" % SCRIPTS, manifest["id"], str(manifest["size"])]
        session = self.api.exec_stream(self.namespace, self.pod, "init", command, stdin=True, timeout=600)
        digest = hashlib.sha256()
        sent = 0
        try:
            for chunk in store.open(manifest["id"]):
                session.send(chunk)
                digest.update(chunk)
                sent += len(chunk)
            session.close_stdin()
        except (K8sError, BackupError) as exc:
            detail = self.drained(session)
            raise BackupError("sending backup %s to %s stopped after %d bytes: %s%s"
                              % (manifest["id"], self.pod, sent, exc, "; ordinal 0 said: " + detail if detail else ""))
        out, err = session.drain()
        sha = digest.hexdigest()
        if sent != manifest["size"] or sha != manifest["sha256"]:
            raise BackupError("backup %s is corrupt: the stored stream has %d bytes with sha256 %s, its manifest says %d "
                              "bytes with sha256 %s; ordinal 0 refuses it too, nothing was restored"
                              % (manifest["id"], sent, sha, manifest["size"], manifest["sha256"]))
        if session.rc != 0:
            raise BackupError("ordinal 0 did not take backup %s: %s" % (manifest["id"], backups.log_tail(err)))
        seconds = self.clock() - started
        return {"changed": True, "id": manifest["id"], "received": sent, "manifest": manifest,
                "seconds": round(seconds, 3), "msg": out.strip()}

    @staticmethod
    def drained(session):
        try:
            _out, err = session.drain()
            return backups.log_tail(err, 3)
        except PodExecError:
            return ""
