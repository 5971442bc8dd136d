#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_info
short_description: List the backups of a MySQL or MariaDB StatefulSet, with their manifests
version_added: 0.2.0
description:
  - Lists the backups M(stateful.mysql.backup) stored for deployment O(name) in O(namespace),
    in the store the options name (a PVC in that namespace, or an S3 bucket).
  - "RV(backups) holds the usable ones, oldest first: those with a sound manifest and a
    stored stream of the manifest's size. Everything else (a backup cut off or failed before
    its manifest was written, an unreadable manifest, a stream of the wrong size) is in
    RV(incomplete) with the reason, and cannot be restored."
  - "RV(status) is ConfigMap C(<name>-backup): the backup running now with its bytes so
    far, or how the last one ended."
  - With O(id), also returns that backup's manifest as RV(backup), and fails naming the
    reason when it is not usable.
  - The deployment need not exist any more (its backups in S3 outlive it); with
    O(store=pvc) the claim must, and with no StatefulSet left to take an image from, the
    store pod needs O(store_image).
author:
  - stateful.mysql maintainers (@stateful)
requirements:
  - python >= 3.8
  - kubernetes >= 24.2.0
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - stateful.mysql.backup_store
attributes:
  check_mode:
    description: Reads only (with O(store=pvc) it may start the store pod, which holds nothing of its own).
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  name:
    description: Name of the StatefulSet whose backups to list.
    type: str
    required: true
  namespace:
    description: Its namespace (with O(store=pvc), where the claim is).
    type: str
    default: default
  id:
    description: A backup id; the module fails unless that backup is usable, and returns its manifest.
    type: str
  verify:
    description:
      - With O(id), also read the stored stream and fail unless its SHA-256 is the
        manifest's (a corrupt backup). With O(store=pvc) the store pod computes it; from S3
        the whole object is read.
    type: bool
    default: false
seealso:
  - module: stateful.mysql.backup
  - module: stateful.mysql.backup_restore
"""

EXAMPLES = r"""
- name: The backups on the volume
  stateful.mysql.backup_info:
    name: mysql
    namespace: db
  register: found

- name: Newest usable backup
  ansible.builtin.debug:
    msg: "{{ (found.backups | last).id }} at {{ (found.backups | last).gtid }}"
  when: found.backups | length > 0

- name: One backup in S3, failing unless it can be restored
  stateful.mysql.backup_info:
    name: mysql
    namespace: db
    store: s3
    s3_endpoint: https://s3.eu-west-1.amazonaws.com
    s3_bucket: acme-db-backups
    s3_secret: backup-s3-credentials
    id: 20261201T231500Z-0a1b2c
"""

RETURN = r"""
backups:
  description: The usable backups' manifests, oldest first (see M(stateful.mysql.backup) for the fields).
  returned: always
  type: list
  elements: dict
ids:
  description: The usable backups' ids, oldest first.
  returned: always
  type: list
  elements: str
incomplete:
  description: Backups that cannot be restored, with why.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The backup's id.
      type: str
    reason:
      description: Why it is not usable.
      type: str
      sample: "no manifest: the stream stopped at 12582912 bytes (cut off, failed, or still running)"
    bytes:
      description: Bytes stored of its stream, when known.
      type: int
status:
  description:
    - The data of ConfigMap C(<name>-backup) (id, phase C(running), C(completed) or C(failed),
      source-pod, bytes, heartbeat, message); with phase C(running), C(stale) says whether
      it has not been heard of for 60 seconds (cut off). Empty when no backup ever ran.
  returned: always
  type: dict
backup:
  description: The manifest of O(id).
  returned: when O(id) is set
  type: dict
store:
  description: Where the backups are.
  returned: always
  type: dict
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import k8s_argument_spec, run_module
from ansible_collections.stateful.mysql.plugins.module_utils.backup.runner import list_backups
from ansible_collections.stateful.mysql.plugins.module_utils.backup.stores import store_argument_spec
from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError


def argument_spec():
    spec = k8s_argument_spec(
        name=dict(type="str", required=True),
        namespace=dict(type="str", default="default"),
        id=dict(type="str"),
        verify=dict(type="bool", default=False),
    )
    spec.update(store_argument_spec())
    return spec


def main():
    run_module(argument_spec(), lambda api, module: list_backups(api, module.params), errors=(BackupError,))


if __name__ == "__main__":
    main()
