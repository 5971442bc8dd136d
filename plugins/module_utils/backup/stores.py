# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where backups are kept: a PersistentVolumeClaim in the deployment's namespace, or an
S3 bucket. Both hold, per backup id, the stream (``<id>/stream``) and, written only once
the stream is complete and checked, its manifest (``<id>/manifest.json``): a backup
without a manifest is never usable.

- ``PvcStore``: PVC ``<name>-backups``, mounted at /backups by pod ``<name>-backup-store``
  (the deployment's server image running ``sleep``; created when needed, kept between runs
  and safe to delete). Bytes travel through the exec API; a stream is written as
  ``stream.partial`` and renamed once the store pod's own SHA-256 of what landed equals the
  controller's.
- ``S3Store``: objects ``<prefix>/<id>/stream`` (a multipart upload, invisible until
  completed) and ``<prefix>/<id>/manifest.json``; credentials from a Secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import json
import queue
import threading
import time

from ansible_collections.stateful.mysql.plugins.module_utils.backup import model as backups
from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import NotFound
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.pod_exec import STDOUT, PodExecError
from ansible_collections.stateful.mysql.plugins.module_utils.backup.s3_client import S3Client, S3Error

STORE_MOUNT = "/backups"
# Bytes per S3 part: 10,000 parts (S3's limit) hold 160 GiB.
PART_SIZE = 16 << 20
READ_SIZE = 1 << 20
S3_KEYS = ("access-key-id", "secret-access-key")


def store_argument_spec():
    """The options that say where backups are (documented by doc fragment backup_store)."""
    return dict(
        store=dict(type="str", default="pvc", choices=["pvc", "s3"]),
        pvc_size=dict(type="str", default="10Gi"),
        pvc_storage_class=dict(type="str"),
        store_image=dict(type="str"),
        s3_endpoint=dict(type="str"),
        s3_bucket=dict(type="str"),
        s3_prefix=dict(type="str", default=""),
        s3_region=dict(type="str", default="us-east-1"),
        # The name of a Secret and its namespace, not credentials (the module reads those).
        s3_secret=dict(type="str", no_log=False),
        s3_secret_namespace=dict(type="str", no_log=False),
        s3_validate_certs=dict(type="bool", default=True),
        s3_ca_file=dict(type="path"),
    )


def labels_for(name):
    """Labels of the backup objects: not the StatefulSet's, so no selector of its pods or
    volumes (the Services, the budget, recover.yml) ever takes them for one of its own."""
    return {"app.kubernetes.io/name": "stateful-mysql-backups", "app.kubernetes.io/managed-by": "stateful.mysql",
            "stateful.mysql/backups-of": name}


# --- the PVC store ----------------------------------------------------------------------

# bash -c SCRIPT stateful-mysql-store ARGS...: the store pod's side of each call.
LIST_SCRIPT = r"""
cd /backups 2>/dev/null || exit 0
for dir in */; do
  id=${dir%/}
  [[ $id =~ ^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$ ]] || continue
  stream=- partial=-
  [[ -f $id/stream ]] && stream=$(stat -c %s "$id/stream")
  [[ -f $id/stream.partial ]] && partial=$(stat -c %s "$id/stream.partial")
  printf '%s\t%s\t%s\t' "$id" "$stream" "$partial"
  if [[ -f $id/manifest.json ]]; then tr -d '\n' < "$id/manifest.json"; else printf -- -; fi
  printf '\n'
done
"""
WRITE_SCRIPT = r"""
set -euo pipefail
dir=/backups/$1
mkdir -p "$dir"
rm -f "$dir/stream.partial"
cat > "$dir/stream.partial"
sync "$dir/stream.partial"
printf '%s %s\n' "$(stat -c %s "$dir/stream.partial")" "$(sha256sum "$dir/stream.partial" | cut -d' ' -f1)"
"""
COMMIT_SCRIPT = r"""
set -euo pipefail
dir=/backups/$1
[[ -f $dir/stream.partial ]] || { echo "no stream.partial for $1" >&2; exit 3; }
cat > "$dir/manifest.json.tmp"
mv "$dir/stream.partial" "$dir/stream"
sync "$dir"
mv "$dir/manifest.json.tmp" "$dir/manifest.json"
sync "$dir"
"""
READ_SCRIPT = r"""exec cat "/backups/$1/stream" """
SUM_SCRIPT = r"""set -o pipefail; sha256sum "/backups/$1/stream" | cut -d' ' -f1"""
DELETE_SCRIPT = r"""rm -rf "/backups/$1" """


def bash(script, *args):
    return ["bash", "-c", script, "stateful-mysql-store"] + list(args)


def parse_pvc_listing(text):
    """Entries (see backups.listing) from LIST_SCRIPT's output."""
    entries = {}
    for line in text.splitlines():
        fields = line.split("\t", 3)
        if len(fields) != 4 or not backups.is_id(fields[0]):
            continue
        backup_id, stream, partial, manifest = fields
        entry = {"manifest": None, "manifest_error": None,
                 "stream": int(stream) if stream.isdigit() else None,
                 "partial": int(partial) if partial.isdigit() else None}
        if manifest != "-":
            try:
                entry["manifest"] = json.loads(manifest)
            except ValueError as exc:
                entry["manifest_error"] = str(exc)
        entries[backup_id] = entry
    return entries


def store_pod_body(namespace, name, image, pull_policy):
    pod = "%s-backup-store" % name
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": pod, "namespace": namespace, "labels": labels_for(name)},
        "spec": {
            "automountServiceAccountToken": False,
            "enableServiceLinks": False,
            "terminationGracePeriodSeconds": 1,
            "securityContext": {"runAsUser": 999, "runAsGroup": 999, "runAsNonRoot": True, "fsGroup": 999,
                                "fsGroupChangePolicy": "OnRootMismatch", "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": "store", "image": image, "imagePullPolicy": pull_policy or "IfNotPresent",
                "command": ["sleep", "infinity"],
                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "256Mi"}},
                "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                    "capabilities": {"drop": ["ALL"]}},
                "volumeMounts": [{"name": "backups", "mountPath": STORE_MOUNT}],
            }],
            "volumes": [{"name": "backups", "persistentVolumeClaim": {"claimName": "%s-backups" % name}}],
        },
    }


def pvc_body(namespace, name, size, storage_class):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "%s-backups" % name, "namespace": namespace, "labels": labels_for(name)},
            "spec": spec}


class PvcWriter:
    """One stream being written to the store pod (stdin of WRITE_SCRIPT)."""

    def __init__(self, api, store, backup_id):
        self.store = store
        self.backup_id = backup_id
        self.session = api.exec_stream(store.namespace, store.pod, "store", bash(WRITE_SCRIPT, backup_id),
                                       stdin=True, timeout=600)

    def write(self, data):
        self.session.send(data)

    def finish(self):
        """(size, sha256) of what the store pod holds."""
        self.session.close_stdin()
        out, err = self.session.drain()
        if self.session.rc != 0:
            raise BackupError("writing the stream to %s failed: %s" % (self.store.where, err.strip()[-500:]))
        fields = out.split()
        if len(fields) != 2 or not fields[0].isdigit():
            raise BackupError("the store pod did not report what it wrote: %r" % out[-200:])
        return int(fields[0]), fields[1]

    def abort(self):
        self.session.close()
        try:
            self.store.delete(self.backup_id)
        except (BackupError, PodExecError):
            pass


class PvcStore:
    kind = "pvc"

    def __init__(self, api, namespace, name, image=None, pull_policy=None, size="10Gi", storage_class=None,
                 sleep=time.sleep, clock=time.monotonic):
        self.api = api
        self.namespace = namespace
        self.name = name
        self.claim = "%s-backups" % name
        self.pod = "%s-backup-store" % name
        self.image = image
        self.pull_policy = pull_policy
        self.size = size
        self.storage_class = storage_class
        self.where = "PVC %s in namespace %s" % (self.claim, namespace)
        self.sleep = sleep
        self.clock = clock
        self.ready = False

    def describe(self):
        return {"kind": "pvc", "namespace": self.namespace, "claim": self.claim}

    def exists(self):
        return self.api.get("/api/v1/namespaces/%s/persistentvolumeclaims/%s" % (self.namespace, self.claim)) is not None

    def ensure(self, create=False, timeout=300):
        """Makes the store pod run; False when there is no PVC and ``create`` is off."""
        if self.ready:
            return True
        base = "/api/v1/namespaces/%s" % self.namespace
        if not self.exists():
            if not create:
                return False
            self.api.create(base + "/persistentvolumeclaims", pvc_body(self.namespace, self.name, self.size,
                                                                       self.storage_class))
        pod = self.api.pod(self.namespace, self.pod)
        if pod is None or (pod.get("metadata") or {}).get("deletionTimestamp"):
            if not self.image:
                raise BackupError("%s has no store pod and no image to start one with (set store_image)" % self.where)
            deadline = self.clock() + timeout
            while pod is not None:  # the previous one is still going
                if self.clock() > deadline:
                    raise BackupError("the old store pod %s did not go within %ss" % (self.pod, timeout))
                self.sleep(1)
                pod = self.api.pod(self.namespace, self.pod)
            self.api.create(base + "/pods", store_pod_body(self.namespace, self.name, self.image, self.pull_policy))
        self.wait_running(timeout)
        self.ready = True
        return True

    def wait_running(self, timeout):
        deadline = self.clock() + timeout
        while True:
            pod = self.api.pod(self.namespace, self.pod) or {}
            status = pod.get("status") or {}
            running = [s for s in status.get("containerStatuses") or [] if (s.get("state") or {}).get("running")]
            if status.get("phase") == "Running" and running:
                return
            if status.get("phase") in ("Failed", "Succeeded"):
                raise BackupError("the store pod %s ended (%s); delete it to get a new one" % (self.pod, status["phase"]))
            if self.clock() > deadline:
                raise BackupError("the store pod %s did not run within %ss (phase %s)"
                                  % (self.pod, timeout, status.get("phase") or "unknown"))
            self.sleep(1)

    def run(self, script, *args, **kwargs):
        result = self.api.exec(self.namespace, self.pod, "store", bash(script, *args), **kwargs)
        if result.rc != 0:
            raise BackupError("the store pod %s failed (exit code %s): %s"
                              % (self.pod, result.rc, (result.stderr or result.stdout).strip()[-500:]))
        return result.stdout

    def entries(self):
        if not self.ensure():
            return {}
        return parse_pvc_listing(self.run(LIST_SCRIPT, timeout=120))

    def begin(self, backup_id):
        self.ensure(create=True)
        return PvcWriter(self.api, self, backup_id)

    def commit(self, backup_id, manifest):
        self.run(COMMIT_SCRIPT, backup_id, stdin=json.dumps(manifest, sort_keys=True), timeout=120)

    def open(self, backup_id):
        """The stored stream, in pieces; PodExecError or BackupError when it breaks off."""
        self.ensure()
        session = self.api.exec_stream(self.namespace, self.pod, "store", bash(READ_SCRIPT, backup_id), timeout=600)
        errors = []
        for channel, payload in session.frames():
            if channel == STDOUT:
                yield payload
            else:
                errors.append(bytes(payload).decode("utf-8", "replace"))
        if session.rc != 0:
            raise BackupError("reading backup %s from %s failed: %s" % (backup_id, self.where, "".join(errors).strip()))

    def delete(self, backup_id):
        if not backups.is_id(backup_id):
            raise BackupError("refusing to delete %r: not a backup id" % backup_id)
        self.run(DELETE_SCRIPT, backup_id, timeout=300)

    def checksum(self, backup_id):
        """SHA-256 of the stored stream, computed where it lies (no bytes travel)."""
        self.ensure()
        return self.run(SUM_SCRIPT, backup_id, timeout=1800).strip()

    def abandon_uploads(self, backup_ids):
        """Nothing to do here: an unfinished stream is a directory, which delete removes."""


# --- the S3 store -----------------------------------------------------------------------

class S3Writer:
    """A multipart upload fed in PART_SIZE parts; a second connection uploads while the
    stream goes on (two parts at most in memory besides the one filling)."""

    def __init__(self, client, key, part_size=PART_SIZE):
        self.client = client
        self.key = key
        self.part_size = part_size
        self.upload_id = client.create_upload(key)
        self.buffer = bytearray()
        self.parts = 0
        self.etags = {}
        self.error = None
        self.queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._upload, args=(client.copy(),))
        self.thread.daemon = True
        self.thread.start()

    def _upload(self, client):
        while True:
            item = self.queue.get()
            if item is None:
                break
            number, body = item
            if self.error is not None:
                continue
            try:
                self.etags[number] = client.upload_part(self.key, self.upload_id, number, body)
            except Exception as exc:  # reported by the writing thread
                self.error = exc
        client.close()

    def _send(self, body):
        if self.error is not None:
            raise BackupError("uploading to S3 failed: %s" % self.error)
        self.parts += 1
        self.queue.put((self.parts, body))

    def write(self, data):
        self.buffer += data
        while len(self.buffer) >= self.part_size:
            self._send(bytes(self.buffer[:self.part_size]))
            del self.buffer[:self.part_size]

    def _stop(self):
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def finish(self):
        """(size, None): S3 computes no SHA-256 of a whole multipart object, but refused any
        part whose bytes did not match the signed payload hash."""
        if self.buffer or not self.parts:
            self._send(bytes(self.buffer))
            self.buffer = bytearray()
        self._stop()
        if self.error is not None:
            self.abort()
            raise BackupError("uploading to S3 failed: %s" % self.error)
        self.client.complete_upload(self.key, self.upload_id, [self.etags[n] for n in range(1, self.parts + 1)])
        return self.client.head_object(self.key), None

    def abort(self):
        self.error = self.error or BackupError("aborted")
        self._stop()
        try:
            self.client.abort_upload(self.key, self.upload_id)
        except S3Error:
            pass


class S3Store:
    kind = "s3"

    def __init__(self, client, prefix):
        self.client = client
        self.prefix = prefix.strip("/")
        self.where = "s3://%s/%s (%s)" % (client.bucket, self.prefix, client.netloc)

    def describe(self):
        return {"kind": "s3", "endpoint": "%s://%s" % (self.client.scheme, self.client.netloc),
                "bucket": self.client.bucket, "prefix": self.prefix}

    def key(self, backup_id, leaf):
        return "%s/%s/%s" % (self.prefix, backup_id, leaf)

    def _split(self, key):
        rest = key[len(self.prefix) + 1:] if key.startswith(self.prefix + "/") else ""
        backup_id, _sep, leaf = rest.partition("/")
        return (backup_id, leaf) if backups.is_id(backup_id) else (None, None)

    def entries(self):
        entries = {}

        def entry(backup_id):
            return entries.setdefault(backup_id, {"manifest": None, "manifest_error": None, "stream": None,
                                                  "partial": None, "upload": False})
        try:
            for item in self.client.list_objects(self.prefix + "/"):
                backup_id, leaf = self._split(item["key"])
                if leaf == "stream":
                    entry(backup_id)["stream"] = item["size"]
                elif leaf == "manifest.json":
                    found = entry(backup_id)
                    try:
                        found["manifest"] = json.loads(self.client.get_object(item["key"]).decode("utf-8"))
                    except ValueError as exc:
                        found["manifest_error"] = str(exc)
            for upload in self.client.list_uploads(self.prefix + "/"):
                backup_id, leaf = self._split(upload["key"])
                if leaf == "stream":
                    entry(backup_id)["upload"] = True
        except S3Error as exc:
            raise BackupError("listing %s failed: %s" % (self.where, exc))
        return entries

    def begin(self, backup_id):
        try:
            return S3Writer(self.client, self.key(backup_id, "stream"))
        except S3Error as exc:
            raise BackupError("starting an upload to %s failed: %s" % (self.where, exc))

    def commit(self, backup_id, manifest):
        self.client.put_object(self.key(backup_id, "manifest.json"), json.dumps(manifest, sort_keys=True).encode(),
                               content_type="application/json")

    def open(self, backup_id):
        response = self.client.open_object(self.key(backup_id, "stream"))
        try:
            while True:
                data = response.read(READ_SIZE)
                if not data:
                    break
                yield data
        finally:
            response.close()

    def checksum(self, backup_id):
        """SHA-256 of the stored stream (S3 keeps none of a multipart object: read it all)."""
        digest = hashlib.sha256()
        try:
            for chunk in self.open(backup_id):
                digest.update(chunk)
        except S3Error as exc:
            raise BackupError("reading backup %s from %s failed: %s" % (backup_id, self.where, exc))
        return digest.hexdigest()

    def delete(self, backup_id):
        if not backups.is_id(backup_id):
            raise BackupError("refusing to delete %r: not a backup id" % backup_id)
        for leaf in ("manifest.json", "stream"):
            self.client.delete_object(self.key(backup_id, leaf))
        self.abandon_uploads([backup_id])

    def abandon_uploads(self, backup_ids):
        """Aborts the unfinished uploads of these backups (their parts cost storage)."""
        wanted = set(backup_ids)
        for upload in self.client.list_uploads(self.prefix + "/"):
            backup_id, _leaf = self._split(upload["key"])
            if backup_id in wanted:
                self.client.abort_upload(upload["key"], upload["upload_id"])


# --- choosing the store -----------------------------------------------------------------

def s3_credentials(api, params, namespace):
    secret = params["s3_secret"]
    where = params["s3_secret_namespace"] or namespace
    if not secret:
        raise BackupError("store=s3 needs s3_secret: a Secret with keys %s" % " and ".join(S3_KEYS))
    try:
        return [api.secret_key(where, secret, key) for key in S3_KEYS]
    except NotFound as exc:
        raise BackupError("%s (store=s3 reads keys %s there)" % (exc, " and ".join(S3_KEYS)))


def open_store(api, params, namespace, name, image=None, pull_policy=None):
    """The store the options name, for the backups of deployment ``name`` in ``namespace``."""
    if params["store"] == "pvc":
        return PvcStore(api, namespace, name, image=params["store_image"] or image,
                        pull_policy=pull_policy, size=params["pvc_size"], storage_class=params["pvc_storage_class"])
    missing = [option for option in ("s3_endpoint", "s3_bucket") if not params[option]]
    if missing:
        raise BackupError("store=s3 needs %s" % " and ".join(missing))
    access_key, secret_key = s3_credentials(api, params, namespace)
    try:
        client = S3Client(params["s3_endpoint"], params["s3_bucket"], access_key, secret_key,
                          region=params["s3_region"], validate_certs=params["s3_validate_certs"],
                          ca_file=params["s3_ca_file"])
    except S3Error as exc:
        raise BackupError(str(exc))
    return S3Store(client, params["s3_prefix"] or "%s/%s" % (namespace, name))


def store_params(params):
    """The store options alone (what a module passes on)."""
    return copy.deepcopy(dict((key, params[key]) for key in store_argument_spec()))
