#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup
short_description: Take a consistent physical backup of a MySQL or MariaDB StatefulSet and store it
version_added: 0.2.0
description:
  - Takes one consistent physical backup of a StatefulSet deployed by this collection and
    stores it, with a manifest, on a PersistentVolumeClaim in its namespace or in an
    S3-compatible bucket (see O(store)).
  - "The source is a Ready replica, the highest ordinal first, so the primary is never
    touched; only when no replica is Ready is the backup taken from the primary, and the
    module says so in its warnings and in RV(source_role)."
  - "MySQL: C(CLONE LOCAL DATA DIRECTORY) copies the server's data into the pod's C(/tmp)
    (it needs room for one copy), a temporary server on the copy finishes the clone's
    recovery and reports the GTID set the copy holds, and the directory is streamed in the
    C(stateful-mysql-files 1) format (the official image has no tar). MariaDB:
    C(mariadb-backup --backup --stream=xbstream --slave-info), the stream new replicas
    receive; its log gives the GTID position (from a replica, the primary's position it had
    applied) and the binary log coordinates."
  - The stream travels from the pod's C(replication) container to the controller through
    the Kubernetes exec API and from there to the store; nothing is added to the pods. The
    module computes its SHA-256 on the way, checks that the stream ended complete, and
    (PVC) that the store holds exactly those bytes.
  - The manifest (id, flavor, server version, GTID set or position, binary log
    coordinates, size, SHA-256 of the stored stream, start and end times, source pod) is
    written only after the stream is stored completely. A failed or cut-off backup has no
    manifest and is never listed as usable (see M(stateful.mysql.backup_info)).
  - "While it runs, ConfigMap C(<name>-backup) shows the backup's id, source pod, phase and
    bytes streamed so far, refreshed every 2 seconds
    (C(kubectl get configmap <name>-backup -o yaml)); it also keeps a second backup of the
    same deployment from starting meanwhile (a run not heard of for 60 seconds counts as cut off)."
  - "Retention: once the new backup is stored, all but the O(keep) newest usable backups
    are deleted, and the leftovers of cut-off or failed backups older than the new one."
author:
  - stateful.mysql maintainers (@stateful)
requirements:
  - python >= 3.8
  - kubernetes >= 24.2.0
  - a Kubernetes API server speaking the C(v5.channel.k8s.io) exec protocol (1.30 and later) for O(store=pvc)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - stateful.mysql.backup_store
attributes:
  check_mode:
    description: Not supported; a backup is taken or not.
    support: none
  diff_mode:
    description: Returns no diff.
    support: none
options:
  name:
    description: Name of the StatefulSet.
    type: str
    required: true
  namespace:
    description: Its namespace.
    type: str
    default: default
  keep:
    description: How many usable backups to keep once this one is stored, this one included; C(0) keeps every one.
    type: int
    default: 7
  source_pod:
    description: Take the backup from this Ready pod of the StatefulSet instead of choosing one.
    type: str
  rate_limit:
    description:
      - Largest rate, in bytes per second, at which the stream is read from the pod (and so
        at which the pod reads its disk); C(0) means as fast as it goes.
    type: int
    default: 0
  timeout:
    description: Seconds the whole backup may take; also the longest silence tolerated from the pod.
    type: int
    default: 3600
notes:
  - The pods must run this collection's scripts with backup support (C(backup.sh) in the
    ConfigMap); run the site playbook of this version first.
  - The credentials used need C(get) and C(list) on StatefulSets and pods, C(create) on
    C(pods/exec), C(get), C(create) and C(patch) on ConfigMaps, C(get) on Secrets (with
    O(store=s3)), and with O(store=pvc) C(get) and C(create) on PersistentVolumeClaims and pods.
seealso:
  - module: stateful.mysql.backup_info
  - module: stateful.mysql.backup_restore
"""

EXAMPLES = r"""
- name: Back up to the volume mysql-backups in the deployment's namespace, keeping 7
  stateful.mysql.backup:
    name: mysql
    namespace: db

- name: Back up to S3, keeping the last 30
  stateful.mysql.backup:
    name: mysql
    namespace: db
    store: s3
    s3_endpoint: https://s3.eu-west-1.amazonaws.com
    s3_region: eu-west-1
    s3_bucket: acme-db-backups
    s3_secret: backup-s3-credentials
    keep: 30
  register: backup

- name: Say where it came from
  ansible.builtin.debug:
    msg: "{{ backup.id }}: {{ backup.manifest.size }} bytes from {{ backup.source_pod }} at GTID {{ backup.manifest.gtid }}"
"""

RETURN = r"""
id:
  description: The backup's id (UTC start time and 6 hex digits; ids sort by time).
  returned: success
  type: str
  sample: 20261201T231500Z-0a1b2c
manifest:
  description: The manifest stored beside the stream.
  returned: success
  type: dict
  contains:
    id:
      description: The backup's id.
      type: str
    namespace:
      description: Namespace of the deployment backed up.
      type: str
    name:
      description: Name of the StatefulSet backed up.
      type: str
    flavor:
      description: C(mysql) or C(mariadb).
      type: str
    version:
      description: The deployment's major.minor version (a restore needs the same).
      type: str
      sample: "9.7"
    server_version:
      description: What the server reported (C(SELECT VERSION())).
      type: str
      sample: 9.7.4-2
    replication_mode:
      description: The deployment's replication mode.
      type: str
    format:
      description: The stream's format, C(stateful-mysql-files/1) (MySQL) or C(xbstream) (MariaDB).
      type: str
    gtid:
      description: The GTID set (MySQL) or position (MariaDB) the backup holds.
      type: str
      sample: 8d15ec9f-eddc-11f1-a5f1-a6db8ed1cb3d:1-5
    binlog:
      description: The source server's binary log file and position at the backup (MariaDB), or null.
      type: dict
    size:
      description: Bytes of the stored stream.
      type: int
    sha256:
      description: SHA-256 of the stored stream, checked again before a restore extracts anything.
      type: str
    data_bytes:
      description: Bytes of the copied datadir (MySQL), or null.
      type: int
    started:
      description: When the backup started (UTC, ISO 8601).
      type: str
    finished:
      description: When the stream was stored completely.
      type: str
    seconds:
      description: Seconds from start to stored.
      type: float
    bytes_per_second:
      description: RV(manifest.size) over RV(manifest.seconds).
      type: int
    source_pod:
      description: The pod the backup was taken from.
      type: str
    source_role:
      description: C(replica) or C(primary).
      type: str
    store:
      description: Where it is stored (kind, and the claim or endpoint, bucket and prefix).
      type: dict
source_pod:
  description: The pod the backup was taken from.
  returned: success
  type: str
  sample: mysql-2
source_role:
  description: C(replica), or C(primary) when no replica was Ready (a warning says so too).
  returned: success
  type: str
deleted:
  description: Ids retention deleted (older usable backups beyond O(keep), leftovers of cut-off ones).
  returned: success
  type: list
  elements: str
store:
  description: Where the backups are (kind, claim or endpoint, bucket, prefix).
  returned: success
  type: dict
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import k8s_argument_spec, run_module
from ansible_collections.stateful.mysql.plugins.module_utils.backup.runner import BackupRun
from ansible_collections.stateful.mysql.plugins.module_utils.backup.stores import store_argument_spec
from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError


def argument_spec():
    spec = k8s_argument_spec(
        name=dict(type="str", required=True),
        namespace=dict(type="str", default="default"),
        keep=dict(type="int", default=7),
        source_pod=dict(type="str"),
        rate_limit=dict(type="int", default=0),
        timeout=dict(type="int", default=3600),
    )
    spec.update(store_argument_spec())
    return spec


CHECKS = [
    (lambda p: p["keep"] >= 0 and p["rate_limit"] >= 0 and p["timeout"] >= 1,
     "keep and rate_limit must not be negative, timeout must be at least 1"),
]


def main():
    run_module(argument_spec(), lambda api, module: BackupRun(api, module.params).run(),
               checks=CHECKS, errors=(BackupError,), supports_check_mode=False)


if __name__ == "__main__":
    main()
