# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a backup is, as pure functions: its id, its manifest, which pod it is taken from,
which backups retention removes, what a listing shows, and the check that a
"stateful-mysql-files 1" stream (MySQL's backup format, backup-clone-local.sh) ended
complete. The talking parts are backup_runner.py and backup_store.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.pods import is_ready, ordinal, pod_name

# <UTC time>-<6 hex digits>: sorts by time, unique enough for one deployment's backups.
ID_PATTERN = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$")
MANIFEST_VERSION = 1
MANIFEST_FIELDS = ("id", "flavor", "version", "server_version", "format", "size", "sha256", "started",
                   "finished", "source_pod", "source_role")
FACT_PREFIX = "@@stateful-mysql-backup "
FILES_HEADER = b"stateful-mysql-files 1\n"
# Longest record line a files stream may hold (a path of the datadir and two numbers).
MAX_LINE = 8192


class BackupError(Exception):
    """A backup, listing or restore cannot go on; the message says why."""


def new_id(now, token):
    """The id of a backup started at ``now`` (seconds since the epoch); ``token`` 6 hex digits."""
    return "%s-%s" % (time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now)), token)


def is_id(text):
    return bool(ID_PATTERN.match(text or ""))


def iso(now):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))


# --- where a backup is taken ------------------------------------------------------------

def choose_source(name, pods, requested=None):
    """(pod, role, warning) for a backup of StatefulSet ``name`` whose pods are ``pods``
    (the API's JSON). A Ready replica, the highest ordinal first (no new replica clones from
    it); the primary only when no replica is Ready, with a warning saying so; ``requested``
    (a pod name) when it is one of the StatefulSet's Ready pods."""
    ready = {}
    for pod in pods:
        index = ordinal(pod_name(pod), name)
        if index is not None and is_ready(pod):
            ready[index] = pod_name(pod)
    if requested:
        index = ordinal(requested, name)
        if index is None or ready.get(index) != requested:
            raise BackupError("source_pod %s is not a Ready pod of StatefulSet %s (Ready: %s)"
                              % (requested, name, ", ".join(ready[i] for i in sorted(ready)) or "none"))
        return requested, "primary" if index == 0 else "replica", None
    replicas = sorted((i for i in ready if i > 0), reverse=True)
    if replicas:
        return ready[replicas[0]], "replica", None
    if 0 in ready:
        return ready[0], "primary", (
            "no replica of %s is Ready: the backup is taken from the primary %s (it keeps serving writes meanwhile, "
            "at the cost of the backup's reads)" % (name, ready[0]))
    raise BackupError("no pod of StatefulSet %s is Ready: nothing to back up from" % name)


# --- what the pod said ------------------------------------------------------------------

def parse_facts(text):
    """NAME -> VALUE of the "@@stateful-mysql-backup NAME VALUE" lines backup.sh printed."""
    facts = {}
    for line in text.splitlines():
        if line.startswith(FACT_PREFIX):
            name, _sep, value = line[len(FACT_PREFIX):].partition(" ")
            facts[name] = value.strip()
    return facts


def log_tail(text, lines=15):
    """The last log lines of backup.sh's stderr, without the facts."""
    kept = [line for line in text.splitlines() if line.strip() and not line.startswith(FACT_PREFIX)]
    return "\n".join(kept[-lines:])


def backup_position(facts):
    """(gtid, binlog) of the backup: the GTID set (MySQL) or position (MariaDB; taken from
    a replica, the primary's position it had applied), and the source's own binary log
    coordinates when the tool reported them (else None)."""
    gtid = facts.get("gtid") or facts.get("replica-gtid") or facts.get("binlog-gtid") or ""
    binlog = None
    if facts.get("binlog-file"):
        binlog = {"file": facts["binlog-file"], "position": int(facts.get("binlog-position") or 0)}
    return gtid, binlog


def build_manifest(backup_id, deployment, facts, size, sha256, started, finished, source_pod, source_role):
    """The manifest stored beside a complete backup. ``deployment`` holds namespace, name,
    flavor, version, replication_mode and format."""
    gtid, binlog = backup_position(facts)
    duration = max(finished - started, 0.0)
    return {
        "manifest_version": MANIFEST_VERSION,
        "id": backup_id,
        "namespace": deployment["namespace"],
        "name": deployment["name"],
        "flavor": deployment["flavor"],
        "version": deployment["version"],
        "server_version": facts.get("server-version", ""),
        "replication_mode": deployment["replication_mode"],
        "format": deployment["format"],
        "gtid": gtid,
        "binlog": binlog,
        "size": size,
        "sha256": sha256,
        "data_bytes": int(facts["data-bytes"]) if facts.get("data-bytes", "").isdigit() else None,
        "started": iso(started),
        "finished": iso(finished),
        "seconds": round(duration, 3),
        "bytes_per_second": int(size / duration) if duration > 0 else None,
        "source_pod": source_pod,
        "source_role": source_role,
    }


def manifest_problems(manifest, backup_id):
    """Why a stored manifest cannot describe backup ``backup_id`` (empty when it can)."""
    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]
    problems = ["the manifest lacks %s" % field for field in MANIFEST_FIELDS if manifest.get(field) in (None, "")]
    if manifest.get("id") not in (None, backup_id):
        problems.append("the manifest describes backup %s" % manifest.get("id"))
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        problems.append("manifest version %r is not %d" % (manifest.get("manifest_version"), MANIFEST_VERSION))
    if not re.match(r"^[0-9a-f]{64}$", str(manifest.get("sha256") or "")):
        problems.append("the manifest's sha256 is not a SHA-256 digest")
    return problems


# --- listings and retention -------------------------------------------------------------

def listing(entries):
    """(usable, incomplete) from a store's entries: ``entries`` maps backup id to
    {"manifest": dict or None, "manifest_error": text or None, "stream": stored size or
    None, "partial": bytes of an unfinished stream or None}. A backup is usable only with a
    sound manifest and a stream of the manifest's size; everything else is incomplete, with
    the reason."""
    usable, incomplete = [], []
    for backup_id in sorted(entries):
        entry = entries[backup_id]
        manifest = entry.get("manifest")
        stream = entry.get("stream")
        reason = None
        if entry.get("manifest_error"):
            reason = "unreadable manifest: %s" % entry["manifest_error"]
        elif manifest is None:
            partial = entry.get("partial")
            if stream is not None:
                reason = "no manifest: the backup was cut off or failed after its %d bytes were stored" % stream
            elif entry.get("upload"):
                reason = "no manifest: the upload of its stream was begun and not completed (cut off, failed, or still running)"
            elif partial is not None:
                reason = "no manifest: the stream stopped at %d bytes (cut off, failed, or still running)" % partial
            else:
                reason = "no manifest and no stream"
        else:
            problems = manifest_problems(manifest, backup_id)
            if problems:
                reason = "; ".join(problems)
            elif stream is None:
                reason = "the manifest names a stream that is not stored"
            elif stream != manifest["size"]:
                reason = "the stored stream has %d bytes, its manifest says %d" % (stream, manifest["size"])
        if reason:
            incomplete.append({"id": backup_id, "reason": reason,
                               "bytes": stream if stream is not None else entry.get("partial")})
        else:
            usable.append(manifest)
    return usable, incomplete


def retention(usable_ids, incomplete_ids, keep, new_id):
    """(usable ids to delete, incomplete ids to delete) once backup ``new_id`` completed:
    all but the ``keep`` newest usable backups (0 keeps every one), and every incomplete one
    older than the new backup (a newer one may belong to a run still going)."""
    ordered = sorted(set(usable_ids) | {new_id})
    delete = ordered[:-keep] if keep > 0 else []
    return [backup_id for backup_id in delete if backup_id != new_id], \
        sorted(backup_id for backup_id in incomplete_ids if backup_id < new_id)


def find_backup(usable, incomplete, backup_id, where):
    """The manifest of usable backup ``backup_id``; BackupError naming why not otherwise."""
    if not is_id(backup_id):
        raise BackupError("%r is not a backup id (they look like 20261201T120000Z-0a1b2c)" % backup_id)
    for manifest in usable:
        if manifest["id"] == backup_id:
            return manifest
    for entry in incomplete:
        if entry["id"] == backup_id:
            raise BackupError("backup %s in %s is not usable: %s" % (backup_id, where, entry["reason"]))
    raise BackupError("no backup %s in %s (usable: %s)" % (
        backup_id, where, ", ".join(m["id"] for m in usable) or "none"))


def checksum_problem(manifest, actual, where):
    """Why backup ``manifest`` cannot be restored when its stored stream hashes to
    ``actual`` (None when it can)."""
    if actual == manifest["sha256"]:
        return None
    return ("backup %s in %s is corrupt: its stored stream's sha256 is %s, its manifest says %s; "
            "nothing was restored" % (manifest["id"], where, actual or "unknown", manifest["sha256"]))


# --- the MySQL stream's shape -----------------------------------------------------------

class FilesStreamCheck:
    """Follows a "stateful-mysql-files 1" stream as it passes (``feed``), without keeping
    it: header, "D <path>" and "F <size> <path>" records (a file's bytes skipped), and the
    final "E <records>". ``finish()`` raises BackupError unless the stream ended exactly
    there; it returns the number of records."""

    def __init__(self):
        self.records = 0
        self.header = False
        self.ended = False
        self.skip = 0
        self.line = b""
        self.error = None

    def _fail(self, message):
        self.error = message
        raise BackupError("the backup stream is malformed: %s" % message)

    def _record(self, line):
        if not self.header:
            if line + b"\n" != FILES_HEADER:
                self._fail("it does not start with %r" % FILES_HEADER.strip().decode())
            self.header = True
            return
        match = re.match(br"^E ([0-9]+)$", line)
        if match:
            if int(match.group(1)) != self.records:
                self._fail("it announces %s records and holds %d" % (match.group(1).decode(), self.records))
            self.ended = True
            return
        match = re.match(br"^(?:D|F ([0-9]+)) (.+)$", line)
        if not match:
            self._fail("unreadable record %r" % line[:80])
        self.records += 1
        if match.group(1) is not None:
            self.skip = int(match.group(1))

    def feed(self, data):
        if self.error:
            raise BackupError("the backup stream is malformed: %s" % self.error)
        view = memoryview(data)
        position = 0
        while position < len(view):
            if self.ended:
                self._fail("bytes follow its end record")
            if self.skip:
                taken = min(self.skip, len(view) - position)
                self.skip -= taken
                position += taken
                continue
            chunk = bytes(view[position:position + MAX_LINE + 1 - len(self.line)])
            newline = chunk.find(b"\n")
            if newline < 0:
                self.line += chunk
                position += len(chunk)
                if len(self.line) > MAX_LINE:
                    self._fail("a record line is longer than %d bytes" % MAX_LINE)
                continue
            line = self.line + chunk[:newline]
            self.line = b""
            position += newline + 1
            self._record(line)

    def finish(self):
        if self.error:
            raise BackupError("the backup stream is malformed: %s" % self.error)
        if not self.ended:
            raise BackupError("the backup stream ended before its end record (%d records): it was cut short"
                              % self.records)
        return self.records
